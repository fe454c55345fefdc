package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.support.CliRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every flag a hint names exists where the hint sends the user. A flag inside {@code `devk8s <command> ...`} (or
 * {@code 'devk8s <command> ...'}) must be an option of that command; a bare flag in an error of a command must be
 * one of that command's own. Flags of other tools (inside {@code `minikube ...`}, {@code `kubectl ...`}) are not
 * ours and are skipped. Checked twice: over every string literal in the main sources, and over what the commands
 * really print when things are missing (no minikube, no kubeconfig, a bad profile, bad values).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HintFlagsTest {
    /** Flags of other tools that messages name outside backticks, each with the tool it belongs to. */
    private static final Set<String> FOREIGN = Set.of(
            "--extra-config" /* minikube start */, "--container-runtime" /* minikube start */);

    private static final Pattern DEVK8S_COMMAND = Pattern.compile("[`'](devk8s [^`']*)[`']?");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*[a-z0-9])");

    @TempDir
    Path dir;

    private static CommandLine root() {
        return Devk8sCommand.commandLine(new Devk8sCommand(new CliRunner().environment(), (e, c) -> null),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    /** The command a {@code devk8s a b --x} line names: the longest run of subcommand words. */
    static CommandLine command(CommandLine root, String devk8sLine) {
        CommandLine cmd = root;
        for (String word : devk8sLine.split("\\s+")) {
            if (word.equals("devk8s")) {
                continue;
            }
            CommandLine sub = cmd.getSubcommands().get(word);
            if (sub == null) {
                break;
            }
            cmd = sub;
        }
        return cmd;
    }

    static boolean hasFlag(CommandLine cmd, String flag) {
        return cmd.getCommandSpec().findOption(flag) != null || (flag.startsWith("--no-")
                && cmd.getCommandSpec().findOption("--" + flag.substring(5)) != null
                && cmd.getCommandSpec().findOption("--" + flag.substring(5)).negatable());
    }

    /** Problems with one piece of text printed by {@code current} (null: only devk8s references are checked). */
    static List<String> problems(CommandLine root, CommandLine current, String text) {
        List<String> problems = new ArrayList<>();
        String rest = text;
        Matcher m = DEVK8S_COMMAND.matcher(text);
        while (m.find()) {
            CommandLine target = command(root, m.group(1));
            Matcher f = FLAG.matcher(m.group(1));
            while (f.find()) {
                if (!hasFlag(target, f.group(1))) {
                    problems.add("`" + target.getCommandSpec().qualifiedName() + "` has no " + f.group(1) + ": "
                            + text);
                }
            }
        }
        if (current == null) {
            return problems;
        }
        // bare flags: outside any backtick or quote segment
        rest = rest.replaceAll("`[^`]*`", " ").replaceAll("'devk8s [^']*'", " ");
        Matcher f = FLAG.matcher(rest);
        while (f.find()) {
            if (!hasFlag(current, f.group(1)) && !FOREIGN.contains(f.group(1))) {
                problems.add("`" + current.getCommandSpec().qualifiedName() + "` has no " + f.group(1) + ": " + text);
            }
        }
        return problems;
    }

    @Test
    void should_name_only_existing_flags_in_every_devk8s_command_of_the_sources() throws IOException {
        CommandLine root = root();
        List<String> problems = new ArrayList<>();
        int references = 0;
        try (Stream<Path> files = Files.walk(Path.of(System.getProperty("devk8s.project.dir", "."), "src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                // string literals joined where the source concatenates them, so a hint split over lines counts whole
                String source = Files.readString(file).replaceAll("\"\\s*\\+\\s*[^\"]*?\\+\\s*\"", " X ")
                        .replaceAll("\"\\s*\\+\\s*\"", "");
                Matcher literal = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(source);
                while (literal.find()) {
                    references += literal.group(1).contains("devk8s ") && literal.group(1).contains(" --") ? 1 : 0;
                    problems.addAll(problems(root, null, literal.group(1)).stream()
                            .map(p -> file.getFileName() + ": " + p).toList());
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(references > 10, "only " + references + " devk8s references with flags found: wrong folder?");
    }

    @Test
    void should_check_a_command_reference_against_that_command() {
        CommandLine root = root();
        assertEquals(1, problems(root, null, "run `devk8s hosts apply --nope`").size());
        assertEquals(0, problems(root, null, "run `devk8s up --start`").size());
        assertEquals(0, problems(root, null, "run `devk8s up --no-wait`").size(), "negatable --wait");
        assertEquals(1, problems(root, null, "run `devk8s status --start`").size());
        assertEquals(0, problems(root, null, "run `minikube start --cpus=4`").size());
        assertEquals(1, problems(root, command(root, "devk8s hosts show"), "or pass --ip ADDRESS").size());
    }

    /** What the commands print when minikube, the kubeconfig or a value is missing or wrong. */
    @Test
    void should_name_only_flags_of_the_failing_command_in_its_errors() throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        Path emptyPath = Files.createDirectories(dir.resolve("empty-bin"));
        CliRunner noMinikube = new CliRunner().env("PATH", emptyPath.toString())
                .env("KUBECONFIG", dir.resolve("missing-kubeconfig").toString()).env("HOME", dir.toString());
        List<String[]> runs = List.of(
                new String[] {"hosts", "apply", "--hosts-file", hosts.toString()},
                new String[] {"hosts", "apply", "--hosts-file", hosts.toString(), "-p", "has space"},
                new String[] {"hosts", "show", "--hosts-file", hosts.toString(), "-p", "has space"},
                new String[] {"up", "--dry-run", "--no-wait", "--hosts-file", hosts.toString()},
                new String[] {"up", "--timeout", "99999999999h"},
                new String[] {"down", "--hosts-file", hosts.toString()},
                new String[] {"status", "--hosts-file", hosts.toString()},
                new String[] {"status", "-p", "has space"},
                new String[] {"doctor", "--hosts-file", hosts.toString()},
                new String[] {"render", "stack", "--components", "bogus"},
                new String[] {"render", "stack", "--set", "nope"},
                new String[] {"status", "-o", "xml"});
        CommandLine root = root();
        List<String> problems = new ArrayList<>();
        for (String[] args : runs) {
            CliRunner.Result r = noMinikube.run(args);
            if (args[0].equals("hosts") && args[1].equals("apply") && args.length == 4) {
                assertTrue(r.err().contains("--minikube PATH"), r.err()); // the hint this command now honours
            }
            assertTrue(r.exitCode() != 0, () -> String.join(" ", args) + " should fail here:\n" + r.out() + r.err());
            CommandLine current = command(root, "devk8s " + String.join(" ", Arrays.asList(args)));
            for (String line : (r.out() + "\n" + r.err()).lines().toList()) {
                problems.addAll(problems(root, current, line));
            }
        }
        assertEquals(List.of(), problems);
    }
}
