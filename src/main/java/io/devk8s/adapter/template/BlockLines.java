package io.devk8s.adapter.template;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja's {@code trim_blocks} and {@code lstrip_blocks}, done before Jinjava sees the template: a line that
 * ends with a block tag ({@code {% if %}}, {@code {% endfor %}}, ...) loses its line break, and a line that
 * starts with one loses its indentation. Jinjava's own options do the same but then count lines wrongly in
 * errors (each trimmed line break is lost from the count); here the line break moves into an empty Jinja
 * comment ({@code {#\n#}}), which prints nothing but keeps every later line number right.
 */
final class BlockLines {
    private static final Pattern LINE = Pattern.compile("([^\\n]*?)(\\r?\\n)");
    private static final Pattern RAW = Pattern.compile("\\{%-?\\s*raw\\s*-?%}");
    private static final Pattern END_RAW = Pattern.compile("\\{%-?\\s*endraw\\s*-?%}");

    private BlockLines() {}

    static String trim(String template) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        Matcher m = LINE.matcher(template);
        int end = 0;
        boolean inRaw = false;
        while (m.find()) {
            String line = m.group(1);
            String newline = m.group(2);
            end = m.end();
            if (inRaw) {
                if (END_RAW.matcher(line).find()) {
                    inRaw = false;
                    out.append(trimLine(line, newline));
                } else {
                    out.append(line).append(newline);
                }
                continue;
            }
            Matcher raw = RAW.matcher(line);
            if (raw.find() && !END_RAW.matcher(line.substring(raw.end())).find()) {
                inRaw = true;
                // inside raw a comment would print literally: put the line break in a comment before the tag
                String tag = line.strip();
                if (RAW.matcher(tag).matches()) {
                    out.append("{#").append(newline).append("#}").append(tag);
                } else {
                    out.append(line).append(newline);
                }
                continue;
            }
            out.append(trimLine(line, newline));
        }
        out.append(template, end, template.length());
        return out.toString();
    }

    private static String trimLine(String line, String newline) {
        String stripped = line.stripTrailing();
        if (!stripped.endsWith("%}")) {
            return line + newline;
        }
        String lead = line.stripLeading();
        String body = lead.startsWith("{%") ? stripped.stripLeading() : stripped;
        return body + "{#" + newline + "#}";
    }
}
