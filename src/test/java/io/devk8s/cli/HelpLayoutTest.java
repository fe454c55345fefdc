package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.support.CliRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * Every command's help, rendered at the widths of common terminals: no word is split over two lines (picocli's
 * own wrapping breaks after '.', ':' and '-', which split {@code grafana.anonymousRole}, {@code e.g.} and
 * {@code C:\Windows}), and every example line of a footer is printed whole and fits an 80-column terminal.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HelpLayoutTest {

    private static final int UNWRAPPED = 2000;

    static Stream<Arguments> commandsAndWidths() {
        List<Arguments> out = new ArrayList<>();
        for (String name : commandNames(root())) {
            for (int width : new int[] {80, 100, 120}) {
                out.add(Arguments.of(name, width));
            }
        }
        return out.stream();
    }

    private static CommandLine root() {
        return Devk8sCommand.commandLine(new Devk8sCommand(new CliRunner().environment(), (e, c) -> null),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    private static List<String> commandNames(CommandLine cmd) {
        List<String> names = new ArrayList<>();
        names.add(cmd.getCommandSpec().qualifiedName(" "));
        cmd.getSubcommands().values().stream().distinct().forEach(sub -> names.addAll(commandNames(sub)));
        return names.stream().distinct().toList();
    }

    private static CommandLine find(CommandLine root, String qualifiedName) {
        CommandLine cmd = root;
        for (String part : Arrays.asList(qualifiedName.split(" ")).subList(1, qualifiedName.split(" ").length)) {
            cmd = cmd.getSubcommands().get(part);
        }
        return cmd;
    }

    static String help(String command, int width) {
        CommandLine root = root();
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(width);
        StringWriter out = new StringWriter();
        find(root, command).usage(new PrintWriter(out), Ansi.OFF);
        return out.toString();
    }

    @ParameterizedTest(name = "{0} at {1} columns")
    @MethodSource("commandsAndWidths")
    void should_not_break_a_word_over_two_lines(String command, int width) {
        String wrapped = help(command, width);
        List<String> lines = wrapped.lines().toList();
        for (String word : help(command, UNWRAPPED).split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            assertTrue(lines.stream().anyMatch(l -> containsWord(l, word)),
                    () -> "'" + word + "' is split over two lines in `" + command + " --help` at " + width
                            + " columns:\n" + wrapped);
        }
    }

    @ParameterizedTest(name = "{0} at {1} columns")
    @MethodSource("commandsAndWidths")
    void should_print_every_example_line_whole_and_within_80_columns(String command, int width) {
        CommandLine cmd = find(root(), command);
        List<String> lines = help(command, width).lines().toList();
        for (String example : cmd.getCommandSpec().usageMessage().footer()) {
            if (!example.startsWith(" ")) {
                continue;
            }
            String expected = example.stripTrailing();
            assertTrue(lines.contains(expected), () -> "example not printed whole: " + expected);
            assertTrue(expected.length() <= 80, () -> "example longer than 80 columns (" + expected.length()
                    + "): " + expected);
        }
    }

    @ParameterizedTest(name = "{0} at {1} columns")
    @MethodSource("commandsAndWidths")
    void should_keep_prose_within_the_width(String command, int width) {
        CommandLine cmd = find(root(), command);
        List<String> examples = Arrays.stream(cmd.getCommandSpec().usageMessage().footer())
                .filter(f -> f.startsWith(" ")).map(String::stripTrailing).toList();
        for (String line : help(command, width).lines().toList()) {
            if (examples.contains(line)) {
                continue;
            }
            // a single word longer than the room may stick out; nothing else does
            boolean oneLongWord = line.strip().split("\\s+").length == 1
                    || line.strip().substring(line.strip().lastIndexOf(' ') + 1).length() > width / 2;
            assertTrue(line.length() <= width || oneLongWord,
                    () -> "line longer than " + width + " columns: '" + line + "'");
        }
    }

    @Test
    void should_not_show_empty_list_or_null_defaults() {
        for (String command : commandNames(root())) {
            String help = help(command, 120);
            assertFalse(help.contains("Default: []"), () -> command + " --help shows an empty default:\n" + help);
            assertFalse(help.contains("Default: null"), () -> command + " --help shows a null default:\n" + help);
        }
    }

    @Test
    void should_keep_the_windows_hosts_path_and_the_set_example_whole_at_80_columns() {
        assertTrue(help("devk8s render stack", 80).contains("--set grafana.anonymousRole=Viewer"));
        assertTrue(help("devk8s status", 80).contains("C:\\Windows\\System32\\drivers\\etc\\hosts"));
        assertTrue(help("devk8s hosts apply", 80).contains("--host web.test"));
    }

    @Test
    void should_wrap_the_help_printed_by_the_cli_at_spaces_too() {
        var r = new CliRunner().runAndExpect(0, "up", "--help");
        List<String> lines = r.out().lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            String before = lines.get(i - 1);
            String after = lines.get(i).strip();
            assertFalse(before.endsWith("e.") && after.startsWith("g."), r.out());
            assertFalse(before.endsWith("-") && !before.endsWith(" -") && !after.isEmpty()
                    && Character.isLetter(after.charAt(0)), () -> "broken after a hyphen:\n" + before + "\n" + after);
        }
        assertTrue(r.out().contains("e.g. --minikube-arg=--cpus=4."), r.out());
    }

    private static boolean containsWord(String line, String word) {
        for (String w : line.split("\\s+")) {
            if (w.equals(word)) {
                return true;
            }
        }
        return false;
    }
}
