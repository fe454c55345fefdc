package io.devk8s.adapter.template;

import io.devk8s.Devk8sException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a template's delimiters and block tags before Jinjava reads it, because Jinjava lets some mistakes
 * through: an unclosed <code>&#123;&#123; x &#125;</code> is printed as text (and then breaks the YAML far from the cause), a stray
 * {@code {% endif %}}, an {@code {% else %}} outside a block or a second {@code {% else %}} are silently
 * ignored. Each is a one-line error naming the file and the line, in template terms.
 *
 * <p>Checked: every <code>&#123;&#123;</code>, <code>&#123;%</code> and <code>&#123;#</code> is closed before the next one opens (quoted strings inside
 * an expression may hold anything); every block tag ({@code if}, {@code for}, {@code macro}, {@code call},
 * {@code filter}, {@code block}, {@code raw}, a {@code set} without {@code =}, ...) is closed by its own end
 * tag, in order; {@code else} and {@code elif} stand inside an {@code if} (or {@code else} inside a
 * {@code for}), at most one {@code else} per block and no {@code elif} after it. Text between
 * {@code {% raw %}} and {@code {% endraw %}} is not looked at.
 */
final class TemplateSyntax {
    private static final Set<String> BLOCKS = Set.of("if", "for", "macro", "call", "filter", "block", "autoescape",
            "ifchanged", "unless", "set", "raw");
    private static final Pattern TAG_NAME = Pattern.compile("[-+]?\\s*([A-Za-z_]\\w*)");
    private static final Pattern END_RAW = Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%}");

    private TemplateSyntax() {}

    private static final class Block {
        final String name;
        final String tag;
        final int line;
        boolean sawElse;

        Block(String name, String tag, int line) {
            this.name = name;
            this.tag = tag;
            this.line = line;
        }
    }

    /** @throws Devk8sException (usage) {@code file:line: ...} for the first problem found */
    static void check(String file, String text) {
        Deque<Block> open = new ArrayDeque<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            int start = text.indexOf('{', i);
            if (start < 0 || start + 1 >= n) {
                break;
            }
            char kind = text.charAt(start + 1);
            if (kind != '{' && kind != '%' && kind != '#') {
                i = start + 1;
                continue;
            }
            String opener = "{" + kind;
            String closer = kind == '{' ? "}}" : kind + "}";
            int end = closing(text, start + 2, kind);
            if (end == -1) {
                throw error(file, text, start, "'" + opener + "' is not closed with '" + closer + "'"
                        + example(kind));
            }
            if (end < -1) {
                int next = -end - 2;
                throw error(file, text, start, "'" + opener + "' is not closed with '" + closer + "' before the next '"
                        + text.substring(next, next + 2) + "' on line " + lineOf(text, next) + example(kind));
            }
            if (kind == '%') {
                String body = text.substring(start + 2, end);
                Matcher name = TAG_NAME.matcher(body);
                if (name.lookingAt()) {
                    String tag = "{%" + body + "%}";
                    i = tag(file, text, start, end, name.group(1), body, tag.replaceAll("\\s+", " "), open);
                    continue;
                }
            }
            i = end + closer.length();
        }
        if (!open.isEmpty()) {
            Block b = open.peek();
            throw Devk8sException.usage(file + ":" + b.line + ": " + b.tag + " is never closed: add {% end" + b.name
                    + " %} where the block ends");
        }
    }

    /** Handles one tag; returns where scanning goes on. */
    private static int tag(String file, String text, int start, int end, String name, String body, String tag,
            Deque<Block> open) {
        int line = lineOf(text, start);
        int after = end + 2;
        if (name.equals("raw")) {
            Matcher endRaw = END_RAW.matcher(text);
            if (!endRaw.find(after)) {
                throw Devk8sException.usage(file + ":" + line + ": " + tag + " is never closed: add {% endraw %} "
                        + "where the raw text ends");
            }
            return endRaw.end();
        }
        if (BLOCKS.contains(name) && !(name.equals("set") && body.contains("="))) {
            open.push(new Block(name, tag, line));
            return after;
        }
        if (name.equals("else") || name.equals("elif")) {
            Block b = open.peek();
            if (b == null || !(b.name.equals("if") || (name.equals("else") && b.name.equals("for")))) {
                throw Devk8sException.usage(file + ":" + line + ": {% " + name + " %} outside an {% if %}"
                        + (name.equals("else") ? " or {% for %}" : "") + " block: move it inside one or remove it");
            }
            if (b.sawElse) {
                throw Devk8sException.usage(file + ":" + line + ": {% " + name + " %} after the {% else %} of the "
                        + b.tag + " block from line " + b.line + ": a block has at most one {% else %}, and it comes last");
            }
            b.sawElse = name.equals("else");
            return after;
        }
        if (name.startsWith("end") && name.length() > 3) {
            String closes = name.substring(3);
            Block b = open.peek();
            if (b == null) {
                throw Devk8sException.usage(file + ":" + line + ": {% " + name + " %} has no matching {% " + closes
                        + " %}: remove it, or add the {% " + closes + " ... %} it should close");
            }
            if (!b.name.equals(closes)) {
                throw Devk8sException.usage(file + ":" + line + ": {% " + name + " %} does not match the open "
                        + b.tag + " from line " + b.line + ": close that one first with {% end" + b.name + " %}");
            }
            open.pop();
        }
        return after;
    }

    /**
     * Index of the closer of a tag whose body starts at {@code from}; -1 when there is none; {@code -2 - k} when
     * another opener at {@code k} comes first. Quoted strings inside expressions and tags are skipped.
     */
    private static int closing(String text, int from, char kind) {
        String closer = kind == '{' ? "}}" : kind + "}";
        int n = text.length();
        int i = from;
        while (i < n) {
            char c = text.charAt(i);
            if (kind != '#' && (c == '\'' || c == '"')) {
                int q = i + 1;
                while (q < n && text.charAt(q) != c && text.charAt(q) != '\n') {
                    q += text.charAt(q) == '\\' ? 2 : 1;
                }
                if (q < n && text.charAt(q) == c) {
                    i = q + 1;
                    continue;
                }
            }
            if (text.startsWith(closer, i)) {
                return i;
            }
            if (kind != '#' && c == '{' && i + 1 < n && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '%')) {
                return -2 - i;
            }
            i++;
        }
        return -1;
    }

    private static String example(char kind) {
        return switch (kind) {
            case '{' -> ", e.g. {{ namespace }}";
            case '%' -> ", e.g. {% if jaeger %}";
            default -> ", e.g. {# a comment #}";
        };
    }

    private static Devk8sException error(String file, String text, int at, String message) {
        return Devk8sException.usage(file + ":" + lineOf(text, at) + ": " + message);
    }

    static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
