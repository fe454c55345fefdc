package io.devk8s.adapter.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what in a Dockerfile needs BuildKit, which the daemon's API builder (the classic one) rejects: a
 * {@code # syntax=} parser directive, any flag on {@code RUN} ({@code --mount} for caches, secrets and ssh,
 * {@code --network}, {@code --security}), {@code COPY}/{@code ADD} flags other than {@code --from} and
 * {@code --chown} ({@code --chmod}, {@code --link}, {@code --parents}, {@code --exclude}, {@code --checksum}, ...),
 * and heredocs ({@code <<EOF}) in {@code RUN}, {@code COPY} and {@code ADD}.
 *
 * <p>It reads the Dockerfile as Docker's parser does: parser directives only at the very top (keys
 * case-insensitive, spaces allowed around {@code =}), the {@code escape} directive's character for line
 * continuations, comment lines dropped (also inside a continued instruction), instructions case-insensitive.
 */
public final class BuildKitFeatures {

    /** One thing that needs BuildKit: the 1-based line it starts on, the text and why. */
    public record Need(int line, String text, String why) {
        /** e.g. {@code line 4: RUN --mount=type=cache,target=/root/.cache (a cache mount)}. */
        public String describe() {
            return "line " + line + ": " + abbreviate(text) + " (" + why + ")";
        }

        /** e.g. {@code app/Dockerfile:4: RUN --mount=type=cache,target=/root/.cache (a cache mount)}. */
        public String at(java.nio.file.Path dockerfile) {
            return dockerfile + ":" + line + ": " + abbreviate(text) + " (" + why + ")";
        }
    }

    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([A-Za-z][A-Za-z0-9_-]*)\\s*=\\s*(.*?)\\s*$");
    private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final Set<String> CLASSIC_COPY_FLAGS = Set.of("from", "chown");
    private static final Set<String> CLASSIC_ADD_FLAGS = Set.of("chown");
    /**
     * {@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"}, {@code <<'EOF'} as a word of its own (after a space or an fd
     * number); not the here-string {@code <<<}, not inside quotes (checked by {@link #heredoc}).
     */
    private static final Pattern HEREDOC = Pattern.compile("(?<=^|\\s|\\d)<<-?([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\1");
    private static final Pattern FLAG = Pattern.compile("--([A-Za-z][A-Za-z0-9-]*)(?:=(\\S*))?");

    private BuildKitFeatures() {
    }

    /** The first thing in {@code dockerfile} that needs BuildKit, if any. */
    public static Optional<Need> firstNeed(String dockerfile) {
        List<Need> all = needs(dockerfile);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Everything in {@code dockerfile} that needs BuildKit, in the order of the file. */
    public static List<Need> needs(String dockerfile) {
        List<Need> needs = new ArrayList<>();
        String[] lines = dockerfile.split("\\r?\\n", -1);
        char escape = '\\';
        int i = 0;
        // parser directives: only before the first comment that is not one, blank line or instruction
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (; i < lines.length; i++) {
            String line = i == 0 ? stripBom(lines[i]) : lines[i];
            Matcher m = DIRECTIVE.matcher(line.strip());
            if (!m.matches()) {
                break;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            if (!DIRECTIVES.contains(key) || !seen.add(key)) {
                break; // an unknown or repeated directive is a comment, and ends the directives
            }
            if (key.equals("syntax")) {
                needs.add(new Need(i + 1, line.strip(), "a frontend image named by the syntax directive"));
            } else if (key.equals("escape") && m.group(2).equals("`")) {
                escape = '`';
            }
        }
        // instructions, joined across continuations
        while (i < lines.length) {
            String first = lines[i];
            if (isBlankOrComment(first)) {
                i++;
                continue;
            }
            int start = i + 1;
            StringBuilder joined = new StringBuilder();
            String current = first;
            while (true) {
                String trimmed = stripTrailing(current);
                if (!trimmed.isEmpty() && trimmed.charAt(trimmed.length() - 1) == escape) {
                    joined.append(trimmed, 0, trimmed.length() - 1);
                    i++;
                    while (i < lines.length && isComment(lines[i])) {
                        i++; // comments inside a continued instruction are dropped
                    }
                    if (i >= lines.length) {
                        break;
                    }
                    current = lines[i];
                } else {
                    joined.append(current);
                    i++;
                    break;
                }
            }
            String instruction = joined.toString().strip();
            if (check(start, instruction, needs)) {
                i = skipHeredocBodies(instruction, lines, i);
            }
        }
        return needs;
    }

    /** Adds what {@code instruction} needs; true when it opens heredocs, whose bodies follow it. */
    private static boolean check(int line, String instruction, List<Need> needs) {
        int space = firstSpace(instruction);
        String keyword = (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : instruction.substring(space).strip();
        if (!keyword.equals("RUN") && !keyword.equals("COPY") && !keyword.equals("ADD")) {
            return false;
        }
        boolean flagged = false;
        // flags come first
        while (rest.startsWith("--")) {
            int end = firstSpace(rest);
            String flag = end < 0 ? rest : rest.substring(0, end);
            Matcher f = FLAG.matcher(flag);
            String name = f.matches() ? f.group(1).toLowerCase(Locale.ROOT) : flag.substring(2);
            String value = f.matches() && f.group(2) != null ? f.group(2) : "";
            Set<String> classic = keyword.equals("COPY") ? CLASSIC_COPY_FLAGS
                    : keyword.equals("ADD") ? CLASSIC_ADD_FLAGS : Set.of();
            if (!classic.contains(name) && !flagged) {
                needs.add(new Need(line, instruction, why(keyword, name, value)));
                flagged = true;
            }
            rest = end < 0 ? "" : rest.substring(end).strip();
        }
        if (!rest.startsWith("[")) {
            Matcher h = heredoc(rest);
            if (h != null) {
                if (!flagged) {
                    needs.add(new Need(line, instruction, "a heredoc (<<" + h.group(2) + ") in " + keyword));
                }
                return true;
            }
        }
        return false;
    }

    private static String why(String keyword, String flag, String value) {
        if (keyword.equals("RUN") && flag.equals("mount")) {
            String type = "bind";
            for (String part : value.split(",")) {
                if (part.toLowerCase(Locale.ROOT).startsWith("type=")) {
                    type = part.substring(5).toLowerCase(Locale.ROOT);
                }
            }
            return switch (type) {
                case "cache" -> "a cache mount";
                case "secret" -> "a build secret";
                case "ssh" -> "an SSH agent mount";
                case "tmpfs" -> "a tmpfs mount";
                default -> "a " + type + " mount";
            };
        }
        return keyword + " --" + flag + " is a BuildKit flag";
    }

    /** The first heredoc in {@code args} outside single or double quotes, positioned on it; null when none. */
    private static Matcher heredoc(String args) {
        Matcher h = HEREDOC.matcher(args);
        int from = 0;
        while (h.find(from)) {
            if (!quoted(args, h.start())) {
                return h;
            }
            from = h.start() + 2;
        }
        return null;
    }

    private static boolean quoted(String s, int at) {
        char quote = 0;
        for (int k = 0; k < at; k++) {
            char c = s.charAt(k);
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (c == '\\' && quote != '\'') {
                k++;
            }
        }
        return quote != 0;
    }

    /** Skips the bodies of the heredocs an instruction opened: each ends at a line equal to its word. */
    private static int skipHeredocBodies(String instruction, String[] lines, int next) {
        int i = next;
        Matcher h = heredoc(instruction);
        while (h != null) {
            boolean dash = instruction.startsWith("<<-", h.start());
            String word = h.group(2);
            while (i < lines.length) {
                String l = dash ? lines[i].replaceFirst("^\\t+", "") : lines[i];
                i++;
                if (l.equals(word) || l.stripTrailing().equals(word)) {
                    break;
                }
            }
            int after = h.end();
            h = null;
            Matcher more = HEREDOC.matcher(instruction);
            int from = after;
            while (more.find(from)) {
                if (!quoted(instruction, more.start())) {
                    h = more;
                    break;
                }
                from = more.start() + 2;
            }
        }
        return i;
    }

    private static boolean isBlankOrComment(String line) {
        return line.isBlank() || isComment(line);
    }

    private static boolean isComment(String line) {
        return line.stripLeading().startsWith("#");
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static int firstSpace(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (Character.isWhitespace(s.charAt(k))) {
                return k;
            }
        }
        return -1;
    }

    private static String abbreviate(String text) {
        String one = text.replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 77) + "..." : one;
    }
}
