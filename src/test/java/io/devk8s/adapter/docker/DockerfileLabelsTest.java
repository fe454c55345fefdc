package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DockerfileLabelsTest {
    private static final Map<String, String> LABELS = labels("devk8s.io/input-digest", "0f".repeat(32), "app", "web");

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void should_append_one_label_line_with_the_keys_sorted() {
        assertEquals(Optional.of("FROM x\nCOPY a /a\nLABEL app=web devk8s.io/input-digest=" + "0f".repeat(32) + "\n"),
                DockerfileLabels.append("FROM x\nCOPY a /a\n", LABELS, ""));
    }

    @Test
    void should_end_an_unterminated_last_line_first_and_keep_crlf_line_breaks() {
        assertEquals(Optional.of("FROM x\nCMD [\"/a\"]\nLABEL app=web\n"),
                DockerfileLabels.append("FROM x\nCMD [\"/a\"]", labels("app", "web"), null));
        assertEquals(Optional.of("FROM x\r\nCMD [\"/a\"]\r\nLABEL app=web\r\n"),
                DockerfileLabels.append("FROM x\r\nCMD [\"/a\"]", labels("app", "web"), ""));
    }

    @Test
    void should_leave_the_text_alone_without_labels() {
        assertEquals(Optional.of("FROM x\n"), DockerfileLabels.append("FROM x\n", Map.of(), "stage"));
    }

    @Test
    void should_refuse_a_target_stage_because_the_api_labels_the_target_and_the_line_would_go_to_the_last_stage() {
        assertTrue(DockerfileLabels.append("FROM x AS a\nFROM y AS b\n", LABELS, "a").isEmpty());
    }

    @Test
    void should_refuse_values_that_would_need_quotes_escapes_or_expansion() {
        for (String value : new String[] {"two words", "a\"b", "$HOME", "${X}", "a\\b", "", "é", "a'b", "x\ny"}) {
            assertTrue(DockerfileLabels.append("FROM x\n", labels("k", value), "").isEmpty(), value);
        }
        assertTrue(DockerfileLabels.append("FROM x\n", labels("k k", "v"), "").isEmpty());
        Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("k", null);
        assertTrue(DockerfileLabels.append("FROM x\n", nullValue, "").isEmpty());
    }

    @Test
    void should_refuse_a_last_instruction_that_continues_onto_the_next_line() {
        assertTrue(DockerfileLabels.append("FROM x\nRUN echo a \\\n", LABELS, "").isEmpty());
        assertTrue(DockerfileLabels.append("FROM x\nRUN echo a \\\n\n# a comment\n  \n", LABELS, "").isEmpty());
        assertTrue(DockerfileLabels.append("# escape=`\nFROM x\nRUN echo a `\n", LABELS, "").isEmpty());
        assertTrue(DockerfileLabels.append("FROM x\nRUN echo a \\  \r\n", LABELS, "").isEmpty());
        // a comment ending with a backslash continues nothing
        assertTrue(DockerfileLabels.append("FROM x\n# see C:\\\n", LABELS, "").isPresent());
    }
}
