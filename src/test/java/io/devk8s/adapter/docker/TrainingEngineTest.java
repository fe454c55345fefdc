package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The training run's stand-in Docker engine answers the calls of {@code deploy} as an engine would. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TrainingEngineTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(TrainingEngine engine, String path) throws Exception {
        String base = engine.dockerHost().replace("tcp://", "http://");
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void holds_an_image_for_the_label_asked_for_or_none() throws Exception {
        String filters = URLEncoder.encode("{\"label\":{\"devk8s.io/input-digest=abc\":true}}", StandardCharsets.UTF_8);
        try (TrainingEngine holding = TrainingEngine.start(true); TrainingEngine empty = TrainingEngine.start(false)) {
            assertTrue(holding.dockerHost().matches("tcp://127\\.0\\.0\\.1:\\d+"), holding.dockerHost());
            HttpResponse<String> found = get(holding, "/v1.46/images/json?filters=" + filters);
            assertEquals(200, found.statusCode());
            assertTrue(found.body().contains("\"Labels\":{\"devk8s.io/input-digest\":\"abc\"}"), found.body());
            assertEquals("[]", get(empty, "/v1.46/images/json?filters=" + filters).body());
            assertTrue(get(holding, "/version").body().contains("\"ApiVersion\":\"1.46\""));
            assertEquals(404, get(empty, "/v1.46/images/web:1/json").statusCode());
            assertEquals(404, get(holding, "/v1.46/containers/json").statusCode());
        }
    }

    @Test
    void reads_the_label_of_both_filter_forms() {
        assertEquals("a=b", TrainingEngine.label("all=false&filters="
                + URLEncoder.encode("{\"label\":{\"a=b\":true}}", StandardCharsets.UTF_8)));
        assertEquals("a=b", TrainingEngine.label("filters="
                + URLEncoder.encode("{\"label\":[\"a=b\"]}", StandardCharsets.UTF_8)));
        assertNull(TrainingEngine.label("all=true"));
        assertNull(TrainingEngine.label(null));
    }
}
