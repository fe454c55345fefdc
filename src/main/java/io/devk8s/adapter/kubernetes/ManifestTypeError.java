package io.devk8s.adapter.kubernetes;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A manifest value of the wrong type, told in the manifest's words: {@code data: expected a mapping (key:
 * value lines), got the string "notamap"} instead of the JSON binder's message about Java types.
 */
final class ManifestTypeError {
    private static final Pattern CHAIN_STEP = Pattern.compile("\\[\"([^\"]+)\"]|\\[(\\d+)]");
    private static final Pattern EXPECTED = Pattern.compile("(?:value of type|instance of|to) `([^`]+)`");
    private static final Pattern FROM_STRING = Pattern.compile("from String \"((?:[^\"\\\\]|\\\\.)*)\"|String value \\('([^']*)'\\)");
    private static final Pattern FROM_KIND = Pattern.compile("from (String|Array|Object|Boolean|Integer|Floating-point|"
            + "Null) value");
    private static final Pattern NODE = Pattern.compile("'(ArrayNode|ObjectNode|BooleanNode|IntNode|LongNode|DoubleNode|"
            + "TextNode|NullNode)' method");

    private ManifestTypeError() {}

    /** The field path and what was expected and found, when {@code message} is a type mismatch; else empty. */
    static Optional<String> describe(String message) {
        int chain = message.indexOf("reference chain:");
        Matcher expected = EXPECTED.matcher(message);
        if (chain < 0 || !expected.find()) {
            return Optional.empty();
        }
        StringBuilder path = new StringBuilder();
        Matcher step = CHAIN_STEP.matcher(message.substring(chain));
        while (step.find()) {
            if (step.group(1) != null) {
                path.append(path.length() == 0 ? "" : ".").append(step.group(1));
            } else {
                path.append('[').append(step.group(2)).append(']');
            }
        }
        String found = found(message);
        return Optional.of((path.length() == 0 ? "" : path + ": ") + "expected " + expected(expected.group(1))
                + (found == null ? "" : ", got " + found));
    }

    private static String expected(String type) {
        String raw = type.replaceAll("<.*", "");
        String simple = raw.substring(raw.lastIndexOf('.') + 1);
        return switch (simple) {
            case "LinkedHashMap", "HashMap", "Map", "TreeMap" -> "a mapping (key: value lines)";
            case "ArrayList", "List", "LinkedList", "Set", "LinkedHashSet" -> "a list";
            case "String" -> "a string";
            case "Integer", "int", "Long", "long", "Short", "short" -> "a whole number";
            case "Double", "double", "Float", "float", "BigDecimal", "Number" -> "a number";
            case "Boolean", "boolean" -> "true or false";
            case "Quantity" -> "a quantity such as 512Mi or 100m";
            case "IntOrString" -> "a port number or a port name";
            default -> "a mapping of fields";
        };
    }

    private static String found(String message) {
        Matcher s = FROM_STRING.matcher(message);
        if (s.find()) {
            String text = s.group(1) != null ? s.group(1) : s.group(2);
            return "the string \"" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "\"";
        }
        Matcher kind = FROM_KIND.matcher(message);
        if (kind.find()) {
            return describeKind(kind.group(1));
        }
        Matcher node = NODE.matcher(message);
        if (node.find()) {
            return describeKind(switch (node.group(1)) {
                case "ArrayNode" -> "Array";
                case "ObjectNode" -> "Object";
                case "BooleanNode" -> "Boolean";
                case "TextNode" -> "String";
                case "NullNode" -> "Null";
                default -> "Integer";
            });
        }
        return null;
    }

    private static String describeKind(String kind) {
        return switch (kind) {
            case "String" -> "a string";
            case "Array" -> "a list";
            case "Object" -> "a mapping";
            case "Boolean" -> "true or false";
            case "Null" -> "nothing";
            default -> "a number";
        };
    }
}
