package io.devk8s.service;

import io.devk8s.Devk8sException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The types and allowed values of the stack values, read from {@code values.schema.yaml} next to
 * {@code values.yaml}: one entry per dotted key ({@code traefik.nodePort}), where a {@code *} segment stands
 * for any one key ({@code images.*}). The keywords follow JSON Schema where it has one ({@code type},
 * {@code minimum}, {@code maximum}, {@code exclusiveMinimum}, {@code enum}, {@code minLength},
 * {@code pattern}, {@code items}); {@code format} names a check of devk8s ({@code dns-label},
 * {@code dns-name}, {@code image}, {@code quantity}, {@code duration}), {@code allowed} words the error
 * message and {@code hint} adds a sentence to it. Keys without an entry are not checked.
 */
final class ValuesSchema {
    private static final Set<String> KEYWORDS = Set.of("type", "minimum", "maximum", "exclusiveMinimum", "enum",
            "minLength", "pattern", "format", "items", "allowed", "hint", "description");
    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "array");
    private static final Set<String> FORMATS = Set.of("dns-label", "dns-name", "image", "quantity", "duration");

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern IMAGE = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?"
                    + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?");
    private static final Pattern QUANTITY = Pattern.compile(
            "([+-]?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE]([+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?");
    private static final Pattern DURATION = Pattern.compile(
            "(?=.)([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?");

    /** One key's rules. */
    record Entry(String type, BigDecimal minimum, BigDecimal maximum, BigDecimal exclusiveMinimum, List<String> enumValues,
            Integer minLength, Pattern pattern, String format, Entry items, String allowed, String hint) {}

    private final Map<String, Entry> entries;

    private ValuesSchema(Map<String, Entry> entries) {
        this.entries = entries;
    }

    static ValuesSchema empty() {
        return new ValuesSchema(Map.of());
    }

    /** The entries of a schema file (already merged, dotted keys at the top level); {@code file} names it in errors. */
    @SuppressWarnings("unchecked")
    static ValuesSchema parse(String file, Map<String, Object> raw) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        raw.forEach((key, body) -> {
            if (!(body instanceof Map<?, ?> map)) {
                throw Devk8sException.usage(file + ": " + key + ": expected a mapping of keywords such as type, "
                        + "minimum and enum, e.g. " + key + ": {type: integer, minimum: 1}");
            }
            entries.put(key, entry(file, key, (Map<String, Object>) map));
        });
        return new ValuesSchema(entries);
    }

    /** The dotted keys and patterns this schema describes, in file order. */
    Set<String> keys() {
        return entries.keySet();
    }

    /** The entry for a dotted key: its own, else the matching pattern with the fewest {@code *}. */
    Optional<Entry> entryFor(String dottedKey) {
        Entry own = entries.get(dottedKey);
        if (own != null) {
            return Optional.of(own);
        }
        String[] parts = dottedKey.split("\\.", -1);
        return entries.keySet().stream()
                .filter(k -> k.contains("*") && matches(k.split("\\.", -1), parts))
                .min(Comparator.comparingLong(k -> k.chars().filter(c -> c == '*').count()))
                .map(entries::get);
    }

    /** Whether a schema key ({@code images.*}) covers a dotted key ({@code images.grafana}). */
    static boolean covers(String schemaKey, String dottedKey) {
        return matches(schemaKey.split("\\.", -1), dottedKey.split("\\.", -1));
    }

    private static boolean matches(String[] pattern, String[] parts) {
        if (pattern.length != parts.length) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            if (!pattern[i].equals("*") && !pattern[i].equals(parts[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks every value that has an entry; the first misfit is a usage error starting with where the value
     * came from ({@code origin} of its dotted key: a file, or the flag that set it).
     */
    @SuppressWarnings("unchecked")
    void check(Map<String, Object> values, Function<String, String> origin) {
        check("", values, origin);
    }

    @SuppressWarnings("unchecked")
    private void check(String prefix, Map<String, Object> values, Function<String, String> origin) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Optional<Entry> entry = entryFor(key);
            if (entry.isPresent()) {
                String problem = problem(entry.get(), e.getValue());
                if (problem != null) {
                    throw Devk8sException.usage(origin.apply(key) + ": " + key + " takes " + problem);
                }
            } else if (e.getValue() instanceof Map<?, ?> child) {
                check(key, (Map<String, Object>) child, origin);
            }
        }
    }

    /** Why {@code value} does not fit, as "ALLOWED, not VALUE[; HINT]", or null when it fits. */
    static String problem(Entry entry, Object value) {
        if (fits(entry, value)) {
            return null;
        }
        return allowed(entry) + ", not " + show(value) + (entry.hint() == null ? "" : "; " + entry.hint());
    }

    private static boolean fits(Entry entry, Object value) {
        if (value == null) {
            return false;
        }
        switch (entry.type()) {
            case "boolean" -> {
                return value instanceof Boolean;
            }
            case "integer" -> {
                if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger
                        || value instanceof Short)) {
                    return false;
                }
                return inRange(entry, new BigDecimal(value.toString())) && inEnum(entry, value);
            }
            case "number" -> {
                if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    return false;
                }
                return inRange(entry, new BigDecimal(value.toString())) && inEnum(entry, value);
            }
            case "array" -> {
                if (!(value instanceof List<?> list)) {
                    return false;
                }
                return entry.items() == null || list.stream().allMatch(item -> fits(entry.items(), item));
            }
            default -> {
                boolean quantity = "quantity".equals(entry.format());
                if (!(value instanceof String) && !(quantity && value instanceof Number)) {
                    return false;
                }
                String text = value.toString();
                if (entry.minLength() != null && text.length() < entry.minLength()) {
                    return false;
                }
                if (!inEnum(entry, text)) {
                    return false;
                }
                if (entry.pattern() != null && !entry.pattern().matcher(text).matches()) {
                    return false;
                }
                return entry.format() == null || fitsFormat(entry, text);
            }
        }
    }

    private static boolean fitsFormat(Entry entry, String text) {
        return switch (entry.format()) {
            case "dns-label" -> DNS_LABEL.matcher(text).matches();
            case "dns-name" -> DNS_NAME.matcher(text).matches();
            case "image" -> IMAGE.matcher(text).matches() && text.length() <= 512;
            case "duration" -> DURATION.matcher(text).matches();
            case "quantity" -> quantity(text).map(q -> inRange(entry, q)).orElse(false);
            default -> true;
        };
    }

    /** A Kubernetes quantity's amount ({@code 2Gi}, {@code 100m}, {@code 1e3}), or empty when it is not one. */
    static Optional<BigDecimal> quantity(String text) {
        Matcher m = QUANTITY.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal amount = new BigDecimal(m.group(2).endsWith(".") ? m.group(2) + "0" : m.group(2));
        if (m.group(1).equals("-")) {
            amount = amount.negate();
        }
        if (m.group(3) != null) {
            int exponent = Integer.parseInt(m.group(3));
            if (Math.abs(exponent) > 100) {
                return Optional.empty();
            }
            return Optional.of(amount.scaleByPowerOfTen(exponent));
        }
        String suffix = m.group(4) == null ? "" : m.group(4);
        BigDecimal factor = switch (suffix) {
            case "Ki" -> BigDecimal.valueOf(1L << 10);
            case "Mi" -> BigDecimal.valueOf(1L << 20);
            case "Gi" -> BigDecimal.valueOf(1L << 30);
            case "Ti" -> BigDecimal.valueOf(1L << 40);
            case "Pi" -> BigDecimal.valueOf(1L << 50);
            case "Ei" -> BigDecimal.valueOf(1L << 60);
            case "n" -> BigDecimal.ONE.scaleByPowerOfTen(-9);
            case "u" -> BigDecimal.ONE.scaleByPowerOfTen(-6);
            case "m" -> BigDecimal.ONE.scaleByPowerOfTen(-3);
            case "k" -> BigDecimal.ONE.scaleByPowerOfTen(3);
            case "M" -> BigDecimal.ONE.scaleByPowerOfTen(6);
            case "G" -> BigDecimal.ONE.scaleByPowerOfTen(9);
            case "T" -> BigDecimal.ONE.scaleByPowerOfTen(12);
            case "P" -> BigDecimal.ONE.scaleByPowerOfTen(15);
            case "E" -> BigDecimal.ONE.scaleByPowerOfTen(18);
            default -> BigDecimal.ONE;
        };
        return Optional.of(amount.multiply(factor));
    }

    private static boolean inRange(Entry entry, BigDecimal n) {
        return (entry.minimum() == null || n.compareTo(entry.minimum()) >= 0)
                && (entry.maximum() == null || n.compareTo(entry.maximum()) <= 0)
                && (entry.exclusiveMinimum() == null || n.compareTo(entry.exclusiveMinimum()) > 0);
    }

    private static boolean inEnum(Entry entry, Object value) {
        return entry.enumValues() == null || entry.enumValues().contains(value.toString());
    }

    /** What the entry allows, in words: "a whole number from 1 to 65535", "one of Admin, Editor, Viewer". */
    static String allowed(Entry entry) {
        if (entry.allowed() != null) {
            return entry.allowed();
        }
        if (entry.enumValues() != null) {
            return "one of " + String.join(", ", entry.enumValues()) + " (spelled exactly)";
        }
        return switch (entry.type()) {
            case "boolean" -> "true or false";
            case "integer" -> "a whole number" + range(entry);
            case "number" -> "a number" + range(entry);
            case "array" -> "a list" + (entry.items() == null ? "" : " of " + allowed(entry.items()));
            default -> {
                if (entry.format() != null) {
                    yield switch (entry.format()) {
                        case "dns-label" -> "a name of lower-case letters, digits and '-', starting and ending with a "
                                + "letter or digit, at most 63 characters (e.g. devk8s)";
                        case "dns-name" -> "lower-case DNS labels separated by dots (e.g. minikube or dev.example.com)";
                        case "image" -> "an image reference such as docker.io/grafana/grafana:13.2.0 "
                                + "(registry/name:tag, lower-case name)";
                        case "duration" -> "a Prometheus duration such as 2d, 12h, 1w or 90m";
                        case "quantity" -> "a Kubernetes quantity" + range(entry) + " such as 2Gi, 512Mi, 100m or 1";
                        default -> "text";
                    };
                }
                yield entry.minLength() != null && entry.minLength() > 0 ? "non-empty text" : "text";
            }
        };
    }

    private static String range(Entry entry) {
        String min = entry.minimum() == null ? null : plain(entry.minimum());
        String max = entry.maximum() == null ? null : plain(entry.maximum());
        String above = entry.exclusiveMinimum() == null ? "" : " above " + plain(entry.exclusiveMinimum());
        if (min != null && max != null) {
            return " from " + min + " to " + max + above;
        }
        if (min != null) {
            return " of at least " + min + above;
        }
        if (max != null) {
            return above + (above.isEmpty() ? " of" : " and") + " at most " + max;
        }
        return above;
    }

    private static String plain(BigDecimal n) {
        return n.stripTrailingZeros().toPlainString();
    }

    /** The value as the user wrote it, short: {@code "lots"}, {@code -1}, {@code an empty value}. */
    static String show(Object value) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            return "an empty value";
        }
        String text;
        if (value instanceof String s) {
            text = "\"" + s + "\"";
        } else if (value instanceof Map<?, ?>) {
            text = "a group of keys";
        } else if (value instanceof List<?>) {
            text = "a list";
        } else {
            text = value.toString();
        }
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    @SuppressWarnings("unchecked")
    private static Entry entry(String file, String key, Map<String, Object> body) {
        String where = file + ": " + key;
        for (String keyword : body.keySet()) {
            if (!KEYWORDS.contains(keyword)) {
                throw Devk8sException.usage(where + ": unknown keyword '" + keyword + "'; use "
                        + KEYWORDS.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        Object type = body.get("type");
        if (!(type instanceof String t) || !TYPES.contains(t)) {
            throw Devk8sException.usage(where + ": type must be one of " + String.join(", ", TYPES.stream().sorted().toList())
                    + ", not " + show(type));
        }
        Object format = body.get("format");
        if (format != null && (!(format instanceof String f) || !FORMATS.contains(f))) {
            throw Devk8sException.usage(where + ": format must be one of " + String.join(", ", FORMATS.stream().sorted().toList())
                    + ", not " + show(format));
        }
        List<String> enumValues = null;
        if (body.get("enum") != null) {
            if (!(body.get("enum") instanceof List<?> list) || list.isEmpty()) {
                throw Devk8sException.usage(where + ": enum must be a non-empty list, e.g. enum: [Admin, Editor, Viewer]");
            }
            enumValues = list.stream().map(String::valueOf).toList();
        }
        Pattern pattern = null;
        if (body.get("pattern") != null) {
            try {
                pattern = Pattern.compile(String.valueOf(body.get("pattern")));
            } catch (PatternSyntaxException e) {
                throw Devk8sException.usage(where + ": pattern is not a valid regular expression: " + e.getDescription());
            }
        }
        Entry items = null;
        if (body.get("items") != null) {
            if (!(body.get("items") instanceof Map<?, ?> itemBody)) {
                throw Devk8sException.usage(where + ": items must be an entry such as {type: number, minimum: 0}");
            }
            items = entry(file, key + "[]", (Map<String, Object>) itemBody);
        }
        Integer minLength = body.get("minLength") == null ? null : number(where, "minLength", body.get("minLength")).intValue();
        return new Entry((String) type, number(where, "minimum", body.get("minimum")), number(where, "maximum", body.get("maximum")),
                number(where, "exclusiveMinimum", body.get("exclusiveMinimum")), enumValues, minLength, pattern,
                (String) format, items, text(body.get("allowed")), text(body.get("hint")));
    }

    private static BigDecimal number(String where, String keyword, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number)) {
            throw Devk8sException.usage(where + ": " + keyword + " must be a number, not " + show(value));
        }
        return new BigDecimal(value.toString());
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value).strip().replaceAll("\\s+", " ");
    }

    /** The dotted keys of every leaf of {@code values} that no entry covers, for tests and tools. */
    List<String> uncovered(Map<String, Object> values) {
        List<String> leaves = new ArrayList<>();
        ValueOverrides.leafKeys("", values, leaves);
        return leaves.stream().filter(k -> entryFor(k).isEmpty()).toList();
    }
}
