package io.devk8s.adapter.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON and YAML text to Jackson trees and plain maps with the streaming parser alone, giving what
 * {@code ObjectMapper.readTree} and {@code readValue(text, LinkedHashMap)} give with their default settings.
 * An {@code ObjectMapper} is the heaviest class of a short command: its first use loads the JDK's date formats and
 * locale data (about a fifth of {@code devk8s status}), although reading a tree needs none of that.
 */
public final class JsonTrees {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {}

    /** The JSON text's first value as a tree, {@link MissingNode} when there is none (as readTree). */
    public static JsonNode readJson(String text) throws IOException {
        try (JsonParser parser = JSON.createParser(text)) {
            return read(parser);
        }
    }

    /** The JSON bytes' first value (UTF-8, -16 or -32, detected) as a tree, {@link MissingNode} when there is none. */
    public static JsonNode readJson(byte[] bytes) throws IOException {
        try (JsonParser parser = JSON.createParser(bytes)) {
            return read(parser);
        }
    }

    /** The parser's next value as a tree, {@link MissingNode} at the end of the input. Later duplicate keys win. */
    public static JsonNode read(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        return token == null ? MissingNode.getInstance() : node(parser, token);
    }

    /**
     * The parser's next value when it is a mapping, as maps, lists, strings, numbers (Integer, Long or BigInteger;
     * Double or BigDecimal as the parser reads them), booleans and nulls. Empty when the input is not a mapping,
     * is empty, or repeats a key in some mapping: the caller then reads it the general way, whose errors and
     * merging of repeated keys it already knows.
     */
    public static Optional<Map<String, Object>> readMap(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) plain(parser, JsonToken.START_OBJECT);
        return Optional.ofNullable(map);
    }

    private static JsonNode node(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT:
                ObjectNode object = NODES.objectNode();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    object.set(name, node(p, p.nextToken()));
                }
                return object;
            case START_ARRAY:
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(node(p, t));
                }
                return array;
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                Number n = number(p);
                return n instanceof Integer i ? NODES.numberNode(i.intValue())
                        : n instanceof Long l ? NODES.numberNode(l.longValue())
                        : n instanceof BigInteger b ? NODES.numberNode(b)
                        : n instanceof Float f ? NODES.numberNode(f.floatValue())
                        : n instanceof BigDecimal d ? NODES.numberNode(d)
                        : NODES.numberNode(n.doubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT:
                Object embedded = p.getEmbeddedObject();
                if (embedded == null) {
                    return NODES.nullNode();
                }
                return embedded instanceof byte[] bytes ? NODES.binaryNode(bytes) : NODES.pojoNode(embedded);
            default:
                throw new JsonParseException(p, "unexpected " + token);
        }
    }

    /**
     * The current number as readTree and readValue read it: Integer, Long or BigInteger for an integer; Float,
     * Double or BigDecimal for the others, as the parser reads them.
     */
    private static Number number(JsonParser p) throws IOException {
        switch (p.getNumberType()) {
            case INT:
                return p.getIntValue();
            case LONG:
                return p.getLongValue();
            case BIG_INTEGER:
                return p.getBigIntegerValue();
            case FLOAT:
                return p.getFloatValue();
            case BIG_DECIMAL:
                return p.getDecimalValue();
            default:
                return p.getDoubleValue();
        }
    }

    /** A plain value; null for a mapping that repeats a key (the whole read is then given up). */
    private static Object plain(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT:
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    JsonToken valueToken = p.nextToken();
                    Object value = plain(p, valueToken);
                    if (value == null && valueToken.isStructStart() || map.containsKey(name)) {
                        return null;
                    }
                    map.put(name, value);
                }
                return map;
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    Object value = plain(p, t);
                    if (value == null && t.isStructStart()) {
                        return null;
                    }
                    list.add(value);
                }
                return list;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return number(p);
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case VALUE_EMBEDDED_OBJECT:
                return p.getEmbeddedObject();
            default:
                throw new JsonParseException(p, "unexpected " + token);
        }
    }
}
