package io.devk8s.adapter.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** JsonTrees gives exactly what ObjectMapper's readTree and readValue(LinkedHashMap) give, value for value. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JsonTreesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLFactory YAML_FACTORY = new YAMLFactory();
    private static final ObjectMapper YAML = new ObjectMapper(YAML_FACTORY);
    private static final Path PROJECT = Path.of(System.getProperty("devk8s.project.dir", ".")).toAbsolutePath();

    private static final List<String> JSON_TEXTS = List.of(
            "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
            "[1, 2147483647, 2147483648, -9223372036854775808, 9223372036854775808, 123456789012345678901234567890]",
            "[1.5, -0.0, 1e3, 1E-7, 3.141592653589793238462643383279, 1.7976931348623157E309]",
            "{\"unicode\":\"\\u00e9\\ud83d\\ude00 caf\u00e9\",\"escaped\":\"a\\\"b\\\\c\\n\"}",
            "{\"dup\":1,\"dup\":2,\"x\":{\"dup\":[1],\"dup\":{\"y\":null}}}",
            "{} trailing tokens are ignored",
            "  [ ]  ",
            "\"just a string\"",
            "42",
            "null",
            "",
            "   \n ",
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404,\"details\":{\"name\":\"x\"}}");

    private static final List<String> YAML_TEXTS = List.of(
            "a: 1\nb: [true, false, ~]\nc:\n  d: e\n",
            "ints: [1, 0x1F, 0o17, 2147483648, 123456789012345678901234567890]\nfloats: [1.5, .inf, -.inf, 1e3]\n",
            "base: &base {x: 1, y: [a, b]}\nother: *base\n",
            "date: 2026-11-30\ntime: 12:30:00\nquoted: \"123\"\nyes: yes\nempty:\n",
            "multi: line\n---\nsecond: document\n",
            "bin: !!binary aGVsbG8=\n",
            "- a\n- b: c\n",
            "just a scalar",
            "# only a comment\n",
            "",
            "key: value\nkey: again\n",
            "nested:\n  list:\n    - {a: 1, a: 2}\n");

    @Test
    void json_trees_equal_ObjectMapper_readTree() throws IOException {
        for (String text : JSON_TEXTS) {
            assertSame(JSON.readTree(text), JsonTrees.readJson(text), text);
            assertSame(JSON.readTree(text.getBytes(StandardCharsets.UTF_8)),
                    JsonTrees.readJson(text.getBytes(StandardCharsets.UTF_8)), text);
            byte[] utf16 = text.getBytes(StandardCharsets.UTF_16BE);
            if (!text.isBlank()) {
                assertSame(JSON.readTree(utf16), JsonTrees.readJson(utf16), "UTF-16: " + text);
            }
        }
    }

    @Test
    void yaml_trees_equal_ObjectMapper_readTree_for_every_bundled_and_example_yaml_file() throws IOException {
        List<String> texts = new ArrayList<>(YAML_TEXTS);
        for (Path root : List.of(PROJECT.resolve("templates"), PROJECT.resolve("examples"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().matches(".*\\.ya?ml")).toList()) {
                    texts.add(Files.readString(f));
                }
            }
        }
        assertTrue(texts.size() > 40, "the corpus: " + texts.size());
        int parsed = 0;
        for (String text : texts) {
            JsonNode expected;
            try {
                expected = YAML.readTree(text);
            } catch (JsonProcessingException e) {
                // Jinja markup that is not YAML before rendering: the same error, word for word
                JsonProcessingException ours = assertThrows(JsonProcessingException.class, () -> yamlTree(text));
                assertEquals(e.getOriginalMessage(), ours.getOriginalMessage(), text);
                assertEquals(e.getLocation().getLineNr(), ours.getLocation().getLineNr(), text);
                continue;
            }
            assertSame(expected, yamlTree(text), text);
            parsed++;
        }
        assertTrue(parsed > 20, "YAML files read: " + parsed);
    }

    @Test
    void a_yaml_mapping_reads_to_the_same_map_as_readValue_and_anything_else_is_left_to_ObjectMapper()
            throws IOException {
        List<String> texts = new ArrayList<>(YAML_TEXTS);
        texts.add(Files.readString(PROJECT.resolve("templates/stack/values.yaml")));
        texts.add(Files.readString(PROJECT.resolve("templates/stack/versions.yaml")));
        int plain = 0;
        for (String text : texts) {
            Optional<Map<String, Object>> ours = Optional.empty();
            JsonProcessingException oursFailed = null;
            try (JsonParser parser = YAML_FACTORY.createParser(text)) {
                ours = JsonTrees.readMap(parser);
            } catch (JsonProcessingException e) {
                oursFailed = e;
            }
            Map<String, Object> expected;
            try {
                expected = YAML.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
            } catch (JsonProcessingException e) {
                if (oursFailed != null) {
                    // the same parse error, word for word and at the same line
                    assertEquals(e.getOriginalMessage(), oursFailed.getOriginalMessage(), text);
                    assertEquals(e.getLocation().getLineNr(), oursFailed.getLocation().getLineNr(), text);
                } else {
                    assertTrue(ours.isEmpty(), "not a mapping, so ObjectMapper must explain it: " + text);
                }
                continue;
            }
            assertEquals(null, oursFailed, text);
            if (ours.isPresent()) {
                assertEquals(typed(expected), typed(ours.get()), text);
                plain++;
            } else {
                // given up: not a mapping, empty, or a repeated key
                assertTrue(expected == null || text.contains("key: again") || text.contains("{a: 1, a: 2}"), text);
            }
        }
        assertTrue(plain >= 5, "mappings read: " + plain);
    }

    @Test
    void a_repeated_key_gives_up_the_plain_map_so_that_ObjectMapper_decides() throws IOException {
        try (JsonParser parser = YAML_FACTORY.createParser("a: 1\nb:\n  c: [{d: 1, d: 2}]\n")) {
            assertEquals(Optional.empty(), JsonTrees.readMap(parser));
        }
        try (JsonParser parser = YAML_FACTORY.createParser("a: [~, {}, []]\nb: ~\n")) {
            Map<String, Object> expected = new LinkedHashMap<>();
            List<Object> a = new ArrayList<>();
            a.add(null);
            a.add(Map.of());
            a.add(List.of());
            expected.put("a", a);
            expected.put("b", null);
            assertEquals(Optional.of(expected), JsonTrees.readMap(parser));
        }
    }

    @Test
    void broken_json_fails_with_the_parser_s_own_error_and_location() {
        String text = "{\"a\": [1, 2}";
        JsonProcessingException expected = assertThrows(JsonProcessingException.class, () -> JSON.readTree(text));
        JsonProcessingException ours = assertThrows(JsonProcessingException.class, () -> JsonTrees.readJson(text));
        assertEquals(expected.getOriginalMessage(), ours.getOriginalMessage());
        assertEquals(expected.getLocation().getColumnNr(), ours.getLocation().getColumnNr());
    }

    /** The value with every leaf's class written next to it, and byte arrays as their content. */
    private static Object typed(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, typed(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JsonTreesTest::typed).toList();
        }
        if (value instanceof byte[] bytes) {
            return "byte[]" + java.util.Arrays.toString(bytes);
        }
        return value == null ? "null" : value.getClass().getSimpleName() + ":" + value;
    }

    private static JsonNode yamlTree(String text) throws IOException {
        try (JsonParser parser = YAML_FACTORY.createParser(text)) {
            return JsonTrees.read(parser);
        }
    }

    /** Equal trees, and equal node classes all the way down (IntNode is not LongNode, DoubleNode not DecimalNode). */
    private static void assertSame(JsonNode expected, JsonNode actual, String text) {
        assertEquals(expected, actual, text);
        assertEquals(shape(expected), shape(actual), "node types of: " + text);
    }

    private static String shape(JsonNode node) {
        StringBuilder out = new StringBuilder(node.getClass().getSimpleName());
        if (node.isContainerNode()) {
            out.append('(');
            node.fields().forEachRemaining(e -> out.append(e.getKey()).append('=').append(shape(e.getValue())).append(','));
            if (node.isArray()) {
                node.forEach(n -> out.append(shape(n)).append(','));
            }
            out.append(')');
        }
        return out.toString();
    }
}
