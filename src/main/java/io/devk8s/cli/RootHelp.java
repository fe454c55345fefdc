package io.devk8s.cli;

import io.devk8s.Environment;
import io.devk8s.console.ColorChoice;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * {@code devk8s --help} (also {@code -h}, {@code help} and no arguments) without building a command: the root's
 * help is laid out from {@link RootHelpText}, the texts of its annotations generated at build time, by the rules
 * {@link WordWrapHelp} gives picocli (wrap at spaces only, picocli's columns and hanging indents). Building the
 * root command reads the annotations of the root, its options and every listed command, which is most of the time
 * {@code --help} takes; the result is the same text, byte for byte: {@code RootHelpTest} renders both at every
 * width from {@link #MIN_WIDTH} to {@link #MAX_WIDTH}, with and without colour. Outside that range, or when a
 * word does not fit a column (picocli would break it), {@link #render} returns null and picocli lays it out.
 */
final class RootHelp {
    /** picocli's narrowest usage width. */
    static final int MIN_WIDTH = 55;
    /** The widest width {@code RootHelpTest} compares with picocli. */
    static final int MAX_WIDTH = 320;

    /** picocli's hanging indent for the wrapped lines of a table cell. */
    private static final int INDENT_WRAPPED_LINES = 2;

    private RootHelp() {
    }

    /** Whether {@code args} asks for the root's help and nothing else. */
    static boolean isRequest(String[] args) {
        if (args.length == 0) {
            return true;
        }
        if (args.length != 1) {
            return false;
        }
        String arg = args[0];
        return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
    }

    /**
     * The root's help as this process prints it: the width picocli would pick (the terminal's, else 80, else the
     * {@code picocli.usage.width} system property) and devk8s's colour choice; null when picocli must lay it out.
     */
    static String forThisProcess(Environment environment) {
        // the root's @Command has usageHelpAutoWidth = true and no width: picocli's own rules from there on
        int width = new UsageMessageSpec().autoWidth(true).width();
        return render(width, ColorChoice.enabled(environment, false, ColorChoice.isTerminal()));
    }

    /** The root's help at {@code width} columns; null when picocli must lay it out (see the class comment). */
    static String render(int width, boolean color) {
        if (width < MIN_WIDTH || width > MAX_WIDTH) {
            return null;
        }
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder(4096);
        paragraphs(out, RootHelpText.HEADER, false, width, nl);
        for (String line : color ? RootHelpText.SYNOPSIS_COLOR : RootHelpText.SYNOPSIS) {
            out.append(line).append(nl);
        }
        paragraphs(out, RootHelpText.DESCRIPTION, false, width, nl);
        if (!table(out, color ? RootHelpText.OPTION_LEFT_COLOR : RootHelpText.OPTION_LEFT, RootHelpText.OPTION_TEXT,
                RootHelpText.OPTION_TEXT_COLUMN, width, nl)
                || !heading(out, RootHelpText.COMMAND_HEADING, width, nl)
                || !table(out, color ? RootHelpText.COMMAND_LEFT_COLOR : RootHelpText.COMMAND_LEFT,
                        RootHelpText.COMMAND_TEXT, RootHelpText.COMMAND_TEXT_COLUMN, width, nl)
                || !heading(out, RootHelpText.FOOTER_HEADING, width, nl)) {
            return null;
        }
        paragraphs(out, RootHelpText.FOOTER, true, width, nl);
        return out.toString();
    }

    /** {@link WordWrapHelp}'s header, description and footer: each line wrapped at spaces, under its own indent. */
    private static void paragraphs(StringBuilder out, String[] lines, boolean keepIndentedLines, int width,
                                   String nl) {
        for (String line : lines) {
            int indent = indentOf(line);
            if (keepIndentedLines && indent > 0) {
                out.append(stripTrailing(line)).append(nl);
                continue;
            }
            int start = 0;
            int room = width;
            boolean first = true;
            while (true) {
                int end = cut(line, start, room);
                if (!first) {
                    out.append(" ".repeat(indent));
                }
                out.append(stripTrailing(line.substring(start, end))).append(nl);
                first = false;
                start = skipSpaces(line, end);
                room = Math.max(1, width - indent);
                if (start >= line.length()) {
                    break;
                }
            }
        }
    }

    /**
     * A two-part table (picocli's options or commands): {@code left} is the rendered cells before the text column
     * ("" for a line of a text that goes on the row below), the text wraps in the last column, which starts at
     * {@code textColumn} and has picocli's one column of room kept free. False when a word is longer than the
     * room.
     */
    private static boolean table(StringBuilder out, String[] left, String[] text, int textColumn, int width,
                                 String nl) {
        int room = Math.max(1, width - textColumn - 1);
        int hanging = Math.min(INDENT_WRAPPED_LINES, room / 2);
        String blank = " ".repeat(textColumn);
        for (int row = 0; row < text.length; row++) {
            String line = text[row];
            int start = 0;
            int space = room;
            boolean first = true;
            do {
                int end = cut(line, start, space);
                if (end - start > space) {
                    return false; // picocli breaks a word longer than the column with a BreakIterator
                }
                StringBuilder l = new StringBuilder(width + 32);
                if (first) {
                    l.append(left[row].isEmpty() ? blank : left[row]);
                } else {
                    l.append(blank).append(" ".repeat(hanging));
                }
                l.append(line, start, end);
                out.append(rtrim(l)).append(nl);
                first = false;
                start = skipSpaces(line, end);
                space = Math.max(1, room - hanging);
            } while (start < line.length());
        }
        return true;
    }

    /** {@link WordWrapHelp#createHeading}: each line wrapped at spaces in one column of the whole width. */
    private static boolean heading(StringBuilder out, String text, int width, String nl) {
        int room = Math.max(1, width - 1);
        StringBuilder heading = new StringBuilder();
        for (String line : text.split("\r?\n", -1)) {
            int start = 0;
            do {
                int end = cut(line, start, room);
                if (end - start > room) {
                    return false;
                }
                heading.append(rtrim(new StringBuilder(line.substring(start, end)))).append(nl);
                start = skipSpaces(line, end);
            } while (start < line.length());
        }
        heading.setLength(heading.length() - nl.length());
        int trailing = 0;
        while (trailing < text.length() && text.charAt(text.length() - 1 - trailing) == ' ') {
            trailing++;
        }
        out.append(heading).append(" ".repeat(trailing));
        return true;
    }

    /**
     * Where the piece of {@code line} that starts at {@code start} ends: the whole rest when it fits in
     * {@code room}, else the last space within the room, else (a word longer than the room) the next space or
     * the end. The rule of every wrapped line of devk8s's help ({@code WordWrapTable.wrap} uses it too).
     */
    static int cut(String line, int start, int room) {
        if (line.length() - start <= room) {
            return line.length();
        }
        int cut = line.lastIndexOf(' ', start + room);
        if (cut <= start || line.substring(start, cut).isBlank()) {
            cut = line.indexOf(' ', start + room);
            if (cut < 0) {
                return line.length();
            }
        }
        return cut;
    }

    static int skipSpaces(String line, int from) {
        int i = from;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static StringBuilder rtrim(StringBuilder s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        s.setLength(end);
        return s;
    }
}
