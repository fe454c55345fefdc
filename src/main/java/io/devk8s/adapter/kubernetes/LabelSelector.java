package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in the API server's string syntax, parsed once: comma-separated requirements, all of
 * which must hold, each one of {@code key=value}, {@code key==value}, {@code key!=value}, {@code key in (a,b)},
 * {@code key notin (a,b)}, {@code key} (exists), {@code !key} (absent), {@code key>1}, {@code key<1}. The text is
 * sent to the API server as given ({@link #toString()}); {@link #matches} evaluates it locally with the same
 * semantics (as {@code k8s.io/apimachinery/pkg/labels}): {@code !=} and {@code notin} also match objects without
 * the key. A malformed selector is a one-line usage error naming the position.
 */
public final class LabelSelector {
    /** The operator of one requirement. */
    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN }

    /** One requirement: key, operator and its values (none for exists and does-not-exist). */
    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            values = List.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            boolean has = labels.containsKey(key);
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS -> has && values.get(0).equals(value);
                case IN -> has && values.contains(value);
                case NOT_EQUALS -> !has || !values.get(0).equals(value);
                case NOT_IN -> !has || !values.contains(value);
                case EXISTS -> has;
                case DOES_NOT_EXIST -> !has;
                case GREATER_THAN, LESS_THAN -> has && compare(value);
            };
        }

        private boolean compare(String value) {
            long have;
            try {
                have = Long.parseLong(value);
            } catch (NumberFormatException e) {
                return false;
            }
            long limit = Long.parseLong(values.get(0));
            return operator == Operator.GREATER_THAN ? have > limit : have < limit;
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final LabelSelector EVERYTHING = new LabelSelector("", List.of());

    private final String text;
    private final List<Requirement> requirements;

    private LabelSelector(String text, List<Requirement> requirements) {
        this.text = text;
        this.requirements = List.copyOf(requirements);
    }

    /** The selector that matches every object (what a null or blank selector means). */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /** Parses {@code text}; null or blank selects everything. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        return new LabelSelector(text, new Parser(text).parse());
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    /** Whether objects carrying {@code labels} (null: none) are selected. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(r -> r.matches(have));
    }

    /** The selector as given, for the API server's {@code labelSelector} parameter. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && other.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        List<Requirement> parse() {
            List<Requirement> result = new ArrayList<>();
            while (true) {
                result.add(requirement());
                skipSpace();
                if (pos == text.length()) {
                    return result;
                }
                expect(',', "',' between requirements");
            }
        }

        private Requirement requirement() {
            skipSpace();
            if (peek('!') && !peekAt(pos + 1, '=')) {
                pos++;
                skipSpace();
                String key = key();
                return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
            }
            String key = key();
            skipSpace();
            if (pos == text.length() || peek(',')) {
                return new Requirement(key, Operator.EXISTS, List.of());
            }
            if (text.startsWith("==", pos)) {
                pos += 2;
                return new Requirement(key, Operator.EQUALS, List.of(value()));
            }
            if (text.startsWith("!=", pos)) {
                pos += 2;
                return new Requirement(key, Operator.NOT_EQUALS, List.of(value()));
            }
            if (peek('=')) {
                pos++;
                return new Requirement(key, Operator.EQUALS, List.of(value()));
            }
            if (peek('>') || peek('<')) {
                Operator op = peek('>') ? Operator.GREATER_THAN : Operator.LESS_THAN;
                pos++;
                skipSpace();
                int at = pos;
                String number = value();
                if (!number.matches("-?[0-9]+") || number.length() > 18) {
                    throw error(at, "expected an integer after '" + (op == Operator.GREATER_THAN ? ">" : "<") + "'");
                }
                return new Requirement(key, op, List.of(number));
            }
            int at = pos;
            String word = word();
            Operator op = switch (word) {
                case "in" -> Operator.IN;
                case "notin" -> Operator.NOT_IN;
                default -> throw error(at, "expected =, ==, !=, in, notin or ',' after key '" + key + "'");
            };
            skipSpace();
            expect('(', "'(' after " + word);
            Set<String> values = new LinkedHashSet<>();
            skipSpace();
            if (peek(')')) {
                throw error(pos, "empty value list after " + word);
            }
            while (true) {
                values.add(value());
                skipSpace();
                if (peek(')')) {
                    pos++;
                    return new Requirement(key, op, List.copyOf(values));
                }
                expect(',', "',' or ')' in the value list");
            }
        }

        private String key() {
            int at = pos;
            String key = word();
            if (key.isEmpty()) {
                throw error(at, "expected a label key");
            }
            int slash = key.indexOf('/');
            String name = slash < 0 ? key : key.substring(slash + 1);
            String prefix = slash < 0 ? null : key.substring(0, slash);
            if (prefix != null && (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches())) {
                throw error(at, "invalid key prefix '" + prefix + "' (a lower-case DNS subdomain)");
            }
            if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
                throw error(at + (slash + 1), "invalid key name '" + name + "' (up to 63 letters, digits, '-', '_', '.',"
                        + " starting and ending with a letter or digit)");
            }
            return key;
        }

        private String value() {
            skipSpace();
            int at = pos;
            String value = word();
            if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
                throw error(at, "invalid value '" + value + "' (up to 63 letters, digits, '-', '_', '.', starting and"
                        + " ending with a letter or digit)");
            }
            return value;
        }

        /** Up to the next space or operator character. */
        private String word() {
            int start = pos;
            while (pos < text.length() && " \t,=!()<>".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private boolean peek(char c) {
            return peekAt(pos, c);
        }

        private boolean peekAt(int at, char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private void expect(char c, String what) {
            if (!peek(c)) {
                throw error(pos, "expected " + what);
            }
            pos++;
        }

        private Devk8sException error(int at, String problem) {
            String found = at >= text.length() ? "end of selector" : "'" + text.charAt(at) + "'";
            String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            return Devk8sException.usage("label selector \"" + shown + "\": position " + (at + 1) + " (" + found
                    + "): " + problem + "; e.g. app=web,tier in (api,db),!canary");
        }
    }
}
