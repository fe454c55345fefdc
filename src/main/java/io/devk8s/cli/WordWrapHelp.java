package io.devk8s.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.IHelpFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Help that wraps lines at spaces only. picocli's own tables wrap with {@link java.text.BreakIterator}'s line
 * rules, which also break after {@code .}, {@code :} and {@code -} inside a word, so {@code --set
 * grafana.anonymousRole=Viewer}, {@code e.g.} or {@code C:\Windows} came out split over two lines. Here a
 * word is only moved to the next line whole; example lines of a footer (those that start with a space) are
 * never wrapped at all, so each stays one copy-pasteable command.
 */
final class WordWrapHelp extends Help {

    /** The factory to install on a {@code CommandLine}; it is inherited by subcommands added later. */
    static final IHelpFactory FACTORY = WordWrapHelp::new;

    WordWrapHelp(CommandSpec spec, ColorScheme colorScheme) {
        super(spec, colorScheme);
    }

    @Override
    public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
                                      ColorScheme scheme) {
        Layout layout = super.createDefaultLayout(options, positionals, scheme);
        return new Layout(scheme, WordWrapTable.copyOf(scheme, layout.textTable()), layout.optionRenderer(),
                layout.parameterRenderer());
    }

    @Override
    public TextTable createTextTable(Map<?, ?> map) {
        return WordWrapTable.copyOf(colorScheme(), super.createTextTable(map));
    }

    @Override
    public String header(Object... params) {
        return join(commandSpec().usageMessage().header(), false, params);
    }

    @Override
    public String description(Object... params) {
        return join(commandSpec().usageMessage().description(), false, params);
    }

    @Override
    public String footer(Object... params) {
        return join(commandSpec().usageMessage().footer(), true, params);
    }

    /** picocli's list of subcommands and their headers, laid out by a {@link WordWrapTable} instead of its own. */
    @Override
    public String commandList(Map<String, Help> subcommands) {
        if (subcommands.isEmpty()) {
            return "";
        }
        int longest = 0;
        for (String name : subcommands.keySet()) {
            longest = Math.max(longest, name.length());
        }
        int commandLength = Math.min(longest, width() / 2);
        ColorScheme tableScheme = Help.defaultColorScheme(colorScheme().ansi());
        TextTable table = WordWrapTable.copyOf(tableScheme, TextTable.forColumns(tableScheme,
                new Column(commandLength + 2, 2, Column.Overflow.SPAN),
                new Column(width() - (commandLength + 2), 2, Column.Overflow.WRAP)));
        table.setAdjustLineBreaksForWideCJKCharacters(commandSpec().usageMessage().adjustLineBreaksForWideCJKCharacters());
        for (Map.Entry<String, Help> entry : subcommands.entrySet()) {
            Help help = entry.getValue();
            String[] header = help.commandSpec().usageMessage().header();
            String[] description = help.commandSpec().usageMessage().description();
            String first = header != null && header.length > 0 ? header[0]
                    : description != null && description.length > 0 ? description[0] : "";
            Text[] lines = colorScheme().text(String.format(first)).splitLines();
            for (int i = 0; i < lines.length; i++) {
                table.addRowValues(i == 0 ? help.commandNamesText(", ") : tableScheme.text(""), lines[i]);
            }
        }
        return table.toString();
    }

    /** picocli's heading ("Commands:", "Examples:"), laid out by a {@link WordWrapTable} instead of its own. */
    @Override
    public String createHeading(String text, Object... params) {
        String formatted;
        try {
            formatted = text == null ? "" : String.format(text, params);
        } catch (java.util.IllegalFormatException e) {
            formatted = text; // as picocli: the raw text
        }
        TextTable table = WordWrapTable.copyOf(colorScheme(), TextTable.forColumnWidths(colorScheme(), width()));
        table.setAdjustLineBreaksForWideCJKCharacters(commandSpec().usageMessage().adjustLineBreaksForWideCJKCharacters());
        table.indentWrappedLines = 0;
        // one row a line (picocli's Text.splitLines fails on a line that ends the text)
        for (String line : formatted.split("\r?\n", -1)) {
            table.addRowValues(line);
        }
        String result = table.toString();
        String separator = System.lineSeparator();
        if (result.endsWith(separator)) {
            result = result.substring(0, result.length() - separator.length());
        }
        int trailing = 0;
        while (text != null && trailing < text.length() && text.charAt(text.length() - 1 - trailing) == ' ') {
            trailing++;
        }
        return result + " ".repeat(trailing);
    }

    @Override
    protected String insertSynopsisCommandName(int headingLength, Text details) {
        String name = commandSpec().qualifiedName();
        String padding = " ".repeat(headingLength);
        Text line = colorScheme().text(padding).concat(colorScheme().commandText(name)).concat(details);
        int indent = Math.min(headingLength + name.length() + 1, width() / 2);
        StringBuilder out = new StringBuilder();
        List<Text> lines = WordWrapTable.wrap(line, width(), indent);
        for (int i = 0; i < lines.size(); i++) {
            String text = (i == 0 ? "" : " ".repeat(indent)) + lines.get(i).toString();
            out.append(i == 0 ? text.substring(headingLength) : text).append(System.lineSeparator());
        }
        return out.toString();
    }

    private String join(String[] lines, boolean keepIndentedLines, Object... params) {
        if (lines == null || lines.length == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String raw : lines) {
            String formatted = params.length == 0 ? String.format(raw) : String.format(raw, params);
            for (Text line : colorScheme().text(formatted).splitLines()) {
                String plain = line.plainString();
                int indent = plain.length() - plain.stripLeading().length();
                if (keepIndentedLines && indent > 0) {
                    out.append(stripTrailing(line.toString())).append(System.lineSeparator());
                    continue;
                }
                List<Text> parts = WordWrapTable.wrap(line, width(), indent);
                for (int i = 0; i < parts.size(); i++) {
                    out.append(i == 0 ? "" : " ".repeat(indent)).append(stripTrailing(parts.get(i).toString()))
                            .append(System.lineSeparator());
                }
            }
        }
        return out.toString();
    }

    private int width() {
        return commandSpec().usageMessage().width();
    }

    private static String stripTrailing(String s) {
        return s.replaceAll("[ \\t]+$", "");
    }

    /**
     * A text table whose wrapping columns break lines at spaces only. It wraps them itself and writes every piece
     * that fits whole into a column that picocli only copies into ({@code TRUNCATE}): picocli's own wrapping runs a
     * {@link java.text.BreakIterator} over every piece, whose locale data are a tenth of the time
     * {@code devk8s --help} takes. Only a word longer than the column goes through picocli's wrapping.
     */
    static final class WordWrapTable extends TextTable {
        private final boolean[] wraps;
        private final ColorScheme scheme;

        private WordWrapTable(ColorScheme scheme, Column[] columns, boolean[] wraps) {
            super(scheme, columns);
            this.wraps = wraps;
            this.scheme = scheme;
        }

        static WordWrapTable copyOf(ColorScheme scheme, TextTable table) {
            Column[] original = table.columns();
            Column[] columns = new Column[original.length];
            boolean[] wraps = new boolean[original.length];
            for (int i = 0; i < original.length; i++) {
                Column c = original[i];
                wraps[i] = c.overflow == Column.Overflow.WRAP;
                columns[i] = wraps[i] ? new Column(c.width, c.indent, Column.Overflow.TRUNCATE) : c;
            }
            WordWrapTable copy = new WordWrapTable(scheme, columns, wraps);
            copy.indentWrappedLines = table.indentWrappedLines;
            copy.setAdjustLineBreaksForWideCJKCharacters(table.isAdjustLineBreaksForWideCJKCharacters());
            return copy;
        }

        @Override
        public Cell putValue(int row, int col, Text value) {
            Column column = columns()[col];
            if (!wraps[col] || value == null) {
                return super.putValue(row, col, value);
            }
            int room = Math.max(1, column.width - column.indent - 1);
            int hanging = Math.min(indentWrappedLines, room / 2);
            int current = row;
            Cell cell = null;
            Text[] lines = value.splitLines();
            for (int l = 0; l < lines.length; l++) {
                List<Text> parts = wrap(lines[l], room, hanging);
                for (int p = 0; p < parts.size(); p++) {
                    Text part = parts.get(p);
                    if (l > 0 || p > 0) {
                        addEmptyRow();
                        current = rowCount() - 1;
                    }
                    boolean fits = part.plainString().length() <= (p > 0 ? Math.max(1, room - hanging) : room);
                    if (p > 0) {
                        part = plain(" ".repeat(hanging)).concat(part);
                    }
                    if (fits) {
                        cell = super.putValue(current, col, part);
                    } else {
                        // a word longer than the room: picocli's own wrapping, which breaks it after a ',', '/'...
                        current = putWrapped(current, col, part);
                        cell = new Cell(col, current);
                    }
                }
            }
            return cell == null ? super.putValue(row, col, value) : cell;
        }

        /** {@code value} wrapped by picocli (a BreakIterator) from {@code row} on; returns the last row it used. */
        private int putWrapped(int row, int col, Text value) {
            Column column = columns()[col];
            TextTable wrapped = TextTable.forColumns(scheme, new Column(column.width, column.indent, Column.Overflow.WRAP));
            wrapped.indentWrappedLines = indentWrappedLines;
            wrapped.setAdjustLineBreaksForWideCJKCharacters(isAdjustLineBreaksForWideCJKCharacters());
            wrapped.addEmptyRow();
            wrapped.putValue(0, 0, value);
            int current = row;
            for (int r = 0; r < wrapped.rowCount(); r++) {
                if (r > 0) {
                    addEmptyRow();
                    current = rowCount() - 1;
                }
                Text text = wrapped.textAt(r, 0);
                super.putValue(current, col, text.substring(Math.min(column.indent, text.plainString().length())));
            }
            return current;
        }

        private static Text plain(String s) {
            return Help.defaultColorScheme(Ansi.OFF).text(s);
        }

        /**
         * Splits a line into pieces of at most {@code width} columns, breaking only at spaces; every piece after
         * the first has {@code hanging} columns less room (the caller indents it). A word longer than the room
         * stays whole on a line of its own.
         */
        static List<Text> wrap(Text line, int width, int hanging) {
            String plain = line.plainString();
            List<Text> parts = new ArrayList<>();
            int start = 0;
            int room = width;
            do {
                int end = RootHelp.cut(plain, start, room); // the rule RootHelp lays the root's help out by
                parts.add(line.substring(start, end));
                start = RootHelp.skipSpaces(plain, end);
                room = Math.max(1, width - hanging);
            } while (start < plain.length());
            return parts;
        }
    }
}
