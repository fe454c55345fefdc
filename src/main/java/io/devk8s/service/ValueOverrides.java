package io.devk8s.service;

import io.devk8s.Suggestions;
import io.devk8s.Devk8sException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loading and overriding stack values: deep merge of YAML maps, and {@code --set key=value} on keys that
 * exist in the defaults, typed like the default.
 */
final class ValueOverrides {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");

    private ValueOverrides() {}

    /** {@code over} merged into a copy of {@code base}: maps merge key by key, anything else replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> result = deepCopy(base);
        over.forEach((key, value) -> {
            Object existing = result.get(key);
            if (existing instanceof Map<?, ?> a && value instanceof Map<?, ?> b) {
                result.put(key, merge((Map<String, Object>) a, (Map<String, Object>) b));
            } else {
                result.put(key, value instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : value);
            }
        });
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
        return copy;
    }

    /** Applies one {@code --set key=value} to {@code values} (which must hold the defaults). */
    @SuppressWarnings("unchecked")
    static void set(Map<String, Object> values, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw Devk8sException.usage("--set " + assignment + ": expected key=value, e.g. --set traefik.nodePort=8080");
        }
        String key = assignment.substring(0, eq).strip();
        String raw = assignment.substring(eq + 1);
        String flag = "--set " + assignment;
        Map<String, Object> parent = values;
        String[] parts = key.split("\\.", -1);
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(parent.get(parts[i]) instanceof Map<?, ?> child)) {
                throw unknownKey(flag, key, values);
            }
            parent = (Map<String, Object>) child;
        }
        String last = parts[parts.length - 1];
        if (!parent.containsKey(last)) {
            throw unknownKey(flag, key, values);
        }
        Object current = parent.get(last);
        if (current instanceof Map<?, ?>) {
            List<String> inside = new ArrayList<>();
            leafKeys(key, (Map<String, Object>) current, inside);
            throw Devk8sException.usage(flag + ": " + key + " is a group of settings; set one of its keys: "
                    + String.join(", ", inside));
        }
        if (current instanceof List<?>) {
            throw Devk8sException.usage(flag + ": " + key + " is a list and cannot be set with --set; change it in "
                    + "stack/values.yaml of a --templates folder");
        }
        parent.put(last, typed(flag, key, raw, current));
        if (key.equals("namespace")) {
            checkNamespace(flag, raw);
        } else if (key.equals("domain")) {
            checkDomain(flag, raw);
        }
    }

    private static Object typed(String flag, String key, String raw, Object current) {
        String value = raw.strip();
        if (current instanceof Boolean) {
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.valueOf(value.toLowerCase());
            }
            throw Devk8sException.usage(flag + ": " + key + " takes true or false (default " + current + ")");
        }
        if (current instanceof Integer || current instanceof Long || current instanceof java.math.BigInteger) {
            try {
                long n = Long.parseLong(value);
                return current instanceof Integer && n == (int) n ? (Object) (int) n : (Object) n;
            } catch (NumberFormatException e) {
                throw Devk8sException.usage(flag + ": " + key + " takes a whole number (default " + current + ")");
            }
        }
        if (current instanceof Number) {
            try {
                double d = Double.parseDouble(value);
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // fall through to the error
            }
            throw Devk8sException.usage(flag + ": " + key + " takes a number (default " + current + ")");
        }
        return raw;
    }

    static void checkNamespace(String flag, String value) {
        if (!DNS_LABEL.matcher(value).matches()) {
            throw Devk8sException.usage(flag + ": not a valid namespace name: use lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 63 characters (e.g. devk8s)");
        }
    }

    static void checkDomain(String flag, String value) {
        if (!DNS_NAME.matcher(value).matches()) {
            throw Devk8sException.usage(flag + ": not a valid domain: use lower-case DNS labels separated by dots "
                    + "(e.g. minikube or dev.example.com)");
        }
    }

    private static Devk8sException unknownKey(String flag, String key, Map<String, Object> values) {
        List<String> known = new ArrayList<>();
        leafKeys("", values, known);
        List<String> close = known.stream()
                .filter(k -> isClose(key, k))
                .sorted(Comparator.comparingInt(k -> Suggestions.distance(key.toLowerCase(), k.toLowerCase())))
                .limit(5)
                .toList();
        String hint = close.isEmpty() ? "known keys: " + String.join(", ", known)
                : "did you mean " + String.join(" or ", close) + "?";
        return Devk8sException.usage(flag + ": unknown key " + key + " (only keys of stack/values.yaml and "
                + "stack/versions.yaml can be set); " + hint);
    }

    /** Whether a mistyped name is close enough to a known one to suggest it (edit distance). */
    static boolean isCloseName(String given, String known) {
        return Suggestions.distance(given.toLowerCase(), known.toLowerCase()) <= Math.max(1, known.length() / 4);
    }

    private static boolean isClose(String given, String known) {
        String g = given.toLowerCase();
        String k = known.toLowerCase();
        String gLast = g.substring(g.lastIndexOf('.') + 1);
        String kLast = k.substring(k.lastIndexOf('.') + 1);
        return Suggestions.distance(g, k) <= Math.max(2, k.length() / 4) || (!gLast.isEmpty() && gLast.equals(kLast));
    }

    @SuppressWarnings("unchecked")
    static void leafKeys(String prefix, Map<String, Object> map, List<String> out) {
        map.forEach((k, v) -> {
            String key = prefix.isEmpty() ? k : prefix + "." + k;
            if (v instanceof Map<?, ?> m && !m.isEmpty()) {
                leafKeys(key, (Map<String, Object>) m, out);
            } else {
                out.add(key);
            }
        });
    }

}
