package io.devk8s.adapter.docker;

import io.devk8s.Devk8sException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The exclusion rules of a build context, with the semantics of Docker's {@code patternmatcher} and
 * {@code ignorefile} packages (what {@code docker build} and the daemon use): lines starting with {@code #}
 * are comments, surrounding blanks are trimmed, each pattern is cleaned like Go's {@code filepath.Clean} with a
 * leading {@code /} removed, {@code !} re-includes, {@code *} and {@code ?} stop at {@code /}, {@code **} spans
 * any number of folders, and the last matching pattern wins. A pattern that matches a folder matches
 * everything below it.
 */
public final class DockerIgnore {
    public static final String FILE_NAME = ".dockerignore";

    private final List<Rule> rules;
    private final boolean hasExclusions;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.hasExclusions = rules.stream().anyMatch(r -> r.exclusion);
    }

    /** No rules: everything is sent. */
    public static DockerIgnore empty() {
        return new DockerIgnore(List.of());
    }

    /**
     * The rules from patterns as they appear in an ignore file's lines (after {@link #readLines}).
     *
     * @param origin names the file in error messages
     */
    public static DockerIgnore of(List<String> patterns, String origin) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : patterns) {
            String p = raw.strip();
            if (p.isEmpty()) {
                continue;
            }
            p = clean(p);
            boolean exclusion = false;
            if (p.charAt(0) == '!') {
                if (p.length() == 1) {
                    throw Devk8sException.usage(origin + ": illegal exclusion pattern \"!\": write !PATH to re-include PATH");
                }
                exclusion = true;
                p = p.substring(1);
            }
            rules.add(Rule.compile(p, exclusion, origin));
        }
        return new DockerIgnore(rules);
    }

    /**
     * The patterns of an ignore file, as Docker's {@code ignorefile.ReadAll} reads them: a UTF-8 BOM dropped,
     * lines starting with {@code #} skipped, blanks trimmed, {@code !} kept in front, each pattern cleaned with
     * a leading {@code /} removed.
     */
    public static List<String> readLines(String content) {
        List<String> out = new ArrayList<>();
        boolean first = true;
        for (String line : content.split("\r?\n", -1)) {
            if (first && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            first = false;
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = line.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean invert = pattern.charAt(0) == '!';
            if (invert) {
                pattern = pattern.substring(1).strip();
            }
            if (!pattern.isEmpty()) {
                pattern = clean(pattern);
                if (pattern.length() > 1 && pattern.charAt(0) == '/') {
                    pattern = pattern.substring(1);
                }
            }
            out.add(invert ? "!" + pattern : pattern);
        }
        return out;
    }

    /** Reads and parses an ignore file; a missing file is no rules. */
    public static DockerIgnore read(Path file, String origin) {
        if (!Files.exists(file)) {
            return empty();
        }
        try {
            return of(readLines(Files.readString(file, StandardCharsets.UTF_8)), origin);
        } catch (IOException e) {
            throw Devk8sException.usage("cannot read " + origin + ": " + e.getMessage() + "; check its permissions");
        }
    }

    /** These rules plus more patterns at the end (they win over earlier ones). */
    public DockerIgnore plus(List<String> morePatterns) {
        List<String> all = new ArrayList<>(patterns());
        all.addAll(morePatterns);
        return of(all, "build context");
    }

    /** The cleaned patterns, {@code !} in front of re-includes. */
    public List<String> patterns() {
        return rules.stream().map(r -> (r.exclusion ? "!" : "") + r.cleaned).toList();
    }

    public boolean hasExclusions() {
        return hasExclusions;
    }

    /**
     * Whether {@code path} (relative, {@code /}-separated) is excluded, looking at the path and each of its
     * parent folders ({@code MatchesOrParentMatches}).
     */
    public boolean excludes(String path) {
        return match(path, null).excluded;
    }

    /**
     * True when a folder that is excluded must still be walked because a re-include pattern lies below it
     * (Docker's check: the pattern starts with {@code dir/}).
     */
    public boolean reincludesBelow(String dir) {
        if (!hasExclusions) {
            return false;
        }
        String prefix = dir + "/";
        for (Rule r : rules) {
            if (r.exclusion && (r.cleaned + "/").startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Which patterns matched a folder: handed down to its children ({@code MatchesUsingParentResults}). */
    public static final class Match {
        final boolean excluded;
        final boolean[] matched;

        Match(boolean excluded, boolean[] matched) {
            this.excluded = excluded;
            this.matched = matched;
        }

        public boolean excluded() {
            return excluded;
        }
    }

    /**
     * Matches {@code path} given its parent folder's result ({@code null} for a top-level path or when the
     * parent is unknown, in which case every parent folder is tried).
     */
    public Match match(String path, Match parent) {
        boolean excluded = false;
        boolean[] matched = new boolean[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            boolean m = parent != null && parent.matched[i];
            if (!m) {
                if (rule.exclusion != excluded) {
                    continue;
                }
                m = rule.matches(path);
                if (!m && parent == null) {
                    int slash = path.lastIndexOf('/');
                    if (slash > 0) {
                        String[] dirs = path.substring(0, slash).split("/");
                        StringBuilder sb = new StringBuilder();
                        for (String d : dirs) {
                            if (sb.length() > 0) {
                                sb.append('/');
                            }
                            sb.append(d);
                            if (rule.matches(sb.toString())) {
                                m = true;
                                break;
                            }
                        }
                    }
                }
            }
            matched[i] = m;
            if (m) {
                excluded = !rule.exclusion;
            }
        }
        return new Match(excluded, matched);
    }

    /** Go's {@code filepath.Clean} for {@code /}-separated paths. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.charAt(0) == '/';
        List<String> out = new ArrayList<>();
        int dotdot = 0; // how many leading ".." a relative path keeps
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (out.size() > dotdot) {
                    out.remove(out.size() - 1);
                } else if (!rooted) {
                    out.add("..");
                    dotdot++;
                }
                continue;
            }
            out.add(part);
        }
        String joined = String.join("/", out);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    private enum Kind { EXACT, PREFIX, SUFFIX, REGEX }

    private static final class Rule {
        final String cleaned;
        final boolean exclusion;
        final Kind kind;
        final Pattern regex;

        private Rule(String cleaned, boolean exclusion, Kind kind, Pattern regex) {
            this.cleaned = cleaned;
            this.exclusion = exclusion;
            this.kind = kind;
            this.regex = regex;
        }

        /** patternmatcher's {@code Pattern.compile}, character for character. */
        static Rule compile(String pattern, boolean exclusion, String origin) {
            StringBuilder re = new StringBuilder("^");
            Kind kind = Kind.EXACT;
            int[] cps = pattern.codePoints().toArray();
            int pos = 0;
            boolean inClass = false;
            for (int i = 0; pos < cps.length; i++) {
                int ch = cps[pos++];
                if (ch == '*') {
                    if (pos < cps.length && cps[pos] == '*') {
                        pos++;
                        if (pos < cps.length && cps[pos] == '/') {
                            pos++;
                        }
                        if (pos >= cps.length) {
                            if (kind == Kind.EXACT) {
                                kind = Kind.PREFIX;
                            } else {
                                re.append(".*");
                                kind = Kind.REGEX;
                            }
                        } else {
                            re.append("(.*/)?");
                            kind = Kind.REGEX;
                        }
                        if (i == 0) {
                            kind = Kind.SUFFIX;
                        }
                    } else {
                        re.append("[^/]*");
                        kind = Kind.REGEX;
                    }
                } else if (ch == '?') {
                    re.append("[^/]");
                    kind = Kind.REGEX;
                } else if (".+()|{}$".indexOf(ch) >= 0) {
                    re.append('\\').appendCodePoint(ch);
                } else if (ch == '\\') {
                    if (pos < cps.length) {
                        re.append('\\').appendCodePoint(cps[pos++]);
                    } else {
                        re.append("\\\\");
                    }
                } else if (ch == '[' || ch == ']') {
                    re.appendCodePoint(ch);
                    inClass = ch == '[';
                    kind = Kind.REGEX;
                } else if (inClass || Character.isLetterOrDigit(ch) || ch == '/') {
                    re.appendCodePoint(ch);
                } else {
                    re.append(Pattern.quote(new String(Character.toChars(ch))));
                }
            }
            Pattern compiled = null;
            if (kind == Kind.REGEX) {
                re.append('$');
                try {
                    compiled = Pattern.compile(re.toString(), Pattern.DOTALL);
                } catch (PatternSyntaxException e) {
                    throw Devk8sException.usage(origin + ": bad pattern \"" + pattern
                            + "\": check its [ ] brackets or escape them with \\");
                }
            }
            return new Rule(pattern, exclusion, kind, compiled);
        }

        boolean matches(String path) {
            return switch (kind) {
                case EXACT -> path.equals(cleaned);
                case PREFIX -> path.startsWith(cleaned.substring(0, cleaned.length() - 2));
                case SUFFIX -> {
                    String suffix = cleaned.substring(2);
                    yield path.endsWith(suffix) || (suffix.startsWith("/") && path.equals(suffix.substring(1)));
                }
                case REGEX -> regex.matcher(path).matches();
            };
        }
    }
}
