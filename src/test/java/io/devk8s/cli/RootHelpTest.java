package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Environment;
import io.devk8s.support.CliRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The root's help that {@code devk8s --help} prints without building a command ({@link RootHelp}) is picocli's,
 * byte for byte: at every width picocli can pick up to {@link RootHelp#MAX_WIDTH}, with and without colour. Its
 * texts and the names of the root's subcommands ({@code RootHelpText}, which {@link Devk8sCommand#commandLineFor}
 * reads instead of every command's annotation) are generated from the annotations and committed; this test fails
 * when they are stale. To regenerate: {@code mvn -q test -Dtest=RootHelpTest -Ddevk8s.writeRootHelp=true}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RootHelpTest {

    private static final String REGENERATE =
            "regenerate it: mvn -q test -Dtest=RootHelpTest -Ddevk8s.writeRootHelp=true";
    /** Wide enough that picocli wraps nothing: the texts are read from the help at this width. */
    private static final int UNWRAPPED = 1000;
    private static final String ESC = "\033";

    private static CommandLine root(int width, boolean color) {
        CommandLine root = Devk8sCommand.commandLine(
                new Devk8sCommand(new CliRunner().environment(), (e, c) -> null),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(width);
        root.setColorScheme(Help.defaultColorScheme(color ? Ansi.ON : Ansi.OFF));
        return root;
    }

    /** What picocli prints for the root's help at this width. */
    private static String picocli(int width, boolean color) {
        CommandLine root = root(width, color);
        StringWriter out = new StringWriter();
        root.usage(new PrintWriter(out), root.getColorScheme());
        return out.toString();
    }

    @Test
    void should_print_what_picocli_prints_at_every_width_with_and_without_colour() {
        for (boolean color : new boolean[] {false, true}) {
            for (int width = RootHelp.MIN_WIDTH; width <= RootHelp.MAX_WIDTH; width++) {
                String expected = picocli(width, color);
                String actual = RootHelp.render(width, color);
                assertNotNull(actual, "no fast root help at width " + width + (color ? " in colour" : ""));
                assertEquals(expected, actual, "root help at width " + width + (color ? " in colour" : ""));
            }
        }
    }

    @Test
    void should_leave_widths_it_was_not_compared_at_to_picocli() {
        assertNull(RootHelp.render(RootHelp.MIN_WIDTH - 1, false));
        assertNull(RootHelp.render(RootHelp.MAX_WIDTH + 1, true));
    }

    @Test
    void colour_should_change_only_the_escape_codes() {
        assertEquals(RootHelp.render(80, false), RootHelp.render(80, true).replaceAll(ESC + "\\[[0-9;]*m", ""));
        assertTrue(RootHelp.render(80, true).contains(ESC + "["), "no colour in the coloured help");
    }

    @Test
    void should_answer_only_a_request_for_the_roots_help() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"-h"},
                new String[] {"help"})) {
            assertTrue(RootHelp.isRequest(args), String.join(" ", args));
        }
        for (String[] args : List.of(new String[] {"help", "up"}, new String[] {"up", "--help"},
                new String[] {"--help", "--no-color"}, new String[] {"--version"}, new String[] {"-hV"},
                new String[] {"status"})) {
            assertTrue(!RootHelp.isRequest(args), String.join(" ", args));
        }
    }

    @Test
    void should_print_what_picocli_prints_for_this_process() {
        // not a terminal here: picocli's width is 80 and devk8s's colour choice is off unless forced
        String fast = RootHelp.forThisProcess(new Environment(Map.of(), Path.of(".")));
        assertEquals(picocli(80, false), fast);
        assertEquals(picocli(80, true), RootHelp.forThisProcess(
                new Environment(Map.of("CLICOLOR_FORCE", "1"), Path.of("."))));
        assertEquals(picocli(80, false), RootHelp.forThisProcess(
                new Environment(Map.of("CLICOLOR_FORCE", "1", "NO_COLOR", "1"), Path.of("."))));
    }

    @Test
    void committed_texts_should_match_the_annotations() throws Exception {
        String generated = generate();
        Path committed = Path.of(System.getProperty("devk8s.project.dir", "."),
                "src/main/java/io/devk8s/cli/RootHelpText.java");
        if (Boolean.getBoolean("devk8s.writeRootHelp")) {
            Files.writeString(committed, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(committed), "missing " + committed + "; " + REGENERATE);
        assertEquals(generated, Files.readString(committed, StandardCharsets.UTF_8),
                committed + " is out of date; " + REGENERATE);
    }

    // ------------------------------------------------------------------------------------------------ generator

    /** RootHelpText.java: the root's texts, read from picocli's help at a width where nothing wraps. */
    static String generate() {
        CommandLine plainRoot = root(UNWRAPPED, false);
        CommandLine colorRoot = root(UNWRAPPED, true);
        Help plain = plainRoot.getHelp();
        Help color = colorRoot.getHelp();
        CommandSpec spec = plainRoot.getCommandSpec();
        // the sections RootHelp lays out, and nothing in the ones it leaves out
        for (String empty : new String[] {plain.headerHeading(), plain.descriptionHeading(),
                plain.parameterListHeading(), plain.parameterList(), plain.optionListHeading(),
                plain.endOfOptionsList(), plain.exitCodeListHeading(), plain.exitCodeList()}) {
            if (!empty.isEmpty()) {
                throw new IllegalStateException("RootHelp does not lay out this section of the root's help: " + empty);
            }
        }
        int optionColumn = plain.calcLongOptionColumnWidth(spec.options(), spec.positionalParameters(),
                plain.colorScheme()) + 6;
        int longest = 0;
        for (String name : plain.subcommands().keySet()) {
            longest = Math.max(longest, name.length());
        }
        int commandColumn = longest + 4;

        StringBuilder java = new StringBuilder();
        java.append("package io.devk8s.cli;\n\n")
                .append("/**\n")
                .append(" * The texts of the root command's help, for {@link RootHelp}, and the names of its subcommands, for\n")
                .append(" * {@link Devk8sCommand#commandLineFor}: generated from the annotations of {@link Devk8sCommand} and its\n")
                .append(" * commands by {@code RootHelpTest}, which fails when they are stale.\n")
                .append(" * Do not edit; regenerate: {@code mvn -q test -Dtest=RootHelpTest -Ddevk8s.writeRootHelp=true}.\n")
                .append(" */\n")
                .append("final class RootHelpText {\n")
                .append("    private RootHelpText() {\n    }\n\n");
        constant(java, "HEADER", paragraphs(spec.usageMessage().header()));
        constant(java, "SYNOPSIS", lines(plain.synopsisHeading() + plain.synopsis(plain.synopsisHeadingLength())));
        constant(java, "SYNOPSIS_COLOR", lines(color.synopsisHeading() + color.synopsis(color.synopsisHeadingLength())));
        constant(java, "DESCRIPTION", paragraphs(spec.usageMessage().description()));
        table(java, "OPTION", plain.optionList(), color.optionList(), optionColumn);
        constant(java, "COMMAND_HEADING", String.format(spec.usageMessage().commandListHeading()));
        table(java, "COMMAND", plain.commandList(), color.commandList(), commandColumn);
        constant(java, "FOOTER_HEADING", String.format(spec.usageMessage().footerHeading()));
        constant(java, "FOOTER", paragraphs(spec.usageMessage().footer()));
        java.append("    /** The name and aliases of each class in the root's {@code @Command(subcommands)}, in that order. */\n")
                .append("    static final String[][] COMMAND_NAMES = {\n");
        for (Class<?> sub : Devk8sCommand.class.getAnnotation(CommandLine.Command.class).subcommands()) {
            CommandLine.Command c = sub.getAnnotation(CommandLine.Command.class);
            java.append("        {").append(literal(c.name()));
            for (String alias : c.aliases()) {
                java.append(", ").append(literal(alias));
            }
            java.append("},\n");
        }
        java.append("    };\n\n");
        java.setLength(java.length() - 1);
        java.append("}\n");
        return java.toString();
    }

    /** Lines of annotation text as picocli formats them ({@code %n}, {@code %%}); markup is not supported. */
    private static List<String> paragraphs(String[] raw) {
        List<String> lines = new ArrayList<>();
        for (String r : raw) {
            String formatted = String.format(r);
            if (formatted.contains("@|")) {
                throw new IllegalStateException("RootHelp does not render picocli markup: " + r);
            }
            lines.addAll(List.of(formatted.split("\r\n|\r|\n", -1)));
        }
        return lines;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** A table of picocli's at the unwrapped width, split where its text column starts. */
    private static void table(StringBuilder java, String name, String plain, String color, int column) {
        List<String> plainLines = lines(plain);
        List<String> colorLines = lines(color);
        List<String> left = new ArrayList<>();
        List<String> leftColor = new ArrayList<>();
        List<String> text = new ArrayList<>();
        for (int i = 0; i < plainLines.size(); i++) {
            String p = plainLines.get(i);
            String c = colorLines.get(i);
            String cells = p.length() > column ? p.substring(0, column) : p;
            if (!cells.isBlank() && cells.charAt(cells.length() - 1) != ' ' && p.length() > column) {
                throw new IllegalStateException("a cell of the root's help runs into its text column: " + p);
            }
            String t = p.length() > column ? p.substring(column) : "";
            if (!c.endsWith(t)) {
                throw new IllegalStateException("RootHelp does not render colour in a table's text: " + c);
            }
            boolean blank = cells.isBlank();
            String padding = " ".repeat(column - (p.length() - t.length()));
            left.add(blank ? "" : cells + padding);
            leftColor.add(blank ? "" : c.substring(0, c.length() - t.length()) + padding);
            text.add(t);
        }
        java.append("    static final int ").append(name).append("_TEXT_COLUMN = ").append(column).append(";\n\n");
        constant(java, name + "_LEFT", left);
        constant(java, name + "_LEFT_COLOR", leftColor);
        constant(java, name + "_TEXT", text);
    }

    private static void constant(StringBuilder java, String name, String value) {
        java.append("    static final String ").append(name).append(" = ").append(literal(value)).append(";\n\n");
    }

    private static void constant(StringBuilder java, String name, List<String> values) {
        java.append("    static final String[] ").append(name).append(" = {\n");
        for (String v : values) {
            java.append("        ").append(literal(v)).append(",\n");
        }
        java.append("    };\n\n");
    }

    private static String literal(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\033' -> out.append("\\033");
                default -> {
                    if (ch < 0x20 || ch > 0x7e) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
