package io.devk8s.adapter.template;

/** Writes arbitrary text as a YAML literal block scalar that parses back to exactly the same string. */
final class YamlBlock {
    private YamlBlock() {}

    /**
     * {@code |}, {@code |-} or {@code |+} followed by the lines indented by {@code indent} spaces. Text a
     * plain block scalar cannot hold (carriage returns and other control characters, a first line that starts
     * with white space or is empty, leading tabs) falls back to a double-quoted string.
     */
    static String literal(String text, int indent) {
        if (text.isEmpty() || needsQuoting(text)) {
            return quoted(text);
        }
        // strip: no final newline; clip: exactly one; keep: more than one (the extra ones become empty lines)
        String chomp = !text.endsWith("\n") ? "-" : text.endsWith("\n\n") ? "+" : "";
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        String pad = " ".repeat(indent);
        StringBuilder out = new StringBuilder("|").append(chomp);
        for (String line : body.split("\n", -1)) {
            out.append('\n');
            if (!line.isEmpty()) {
                out.append(pad).append(line);
            }
        }
        return out.toString();
    }

    private static boolean needsQuoting(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || c == '\uFEFF') {
                return true;
            }
        }
        // a tab at the start of a line would be read as indentation by some parsers
        return text.startsWith("\t") || text.contains("\n\t") || text.startsWith(" ") || text.startsWith("\n");
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\uFEFF') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
