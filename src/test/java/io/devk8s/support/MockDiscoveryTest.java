package io.devk8s.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devk8s.adapter.kubernetes.ResourceKind;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The discovery documents and the request-record endpoint of the mock API server, read over plain HTTP. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MockDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGGREGATED_FIRST = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(MockKubernetes mock, String method, String path, String accept)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mock.url().replaceAll("/$", "") + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(MockKubernetes mock, String path) throws Exception {
        HttpResponse<String> r = send(mock, "GET", path, AGGREGATED_FIRST);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), path);
        return JSON.readTree(r.body());
    }

    @Test
    void should_serve_the_version_and_the_legacy_discovery_documents_to_a_client_that_prefers_aggregated_ones()
            throws Exception {
        try (MockKubernetes mock = MockKubernetes.start()) {
            assertEquals("v1.32.0", getJson(mock, "/version").path("gitVersion").asText());
            JsonNode api = getJson(mock, "/api?timeout=32s");
            assertEquals("APIVersions", api.path("kind").asText());
            assertEquals("v1", api.path("versions").get(0).asText());

            JsonNode apis = getJson(mock, "/apis");
            assertEquals("APIGroupList", apis.path("kind").asText());
            List<String> groupVersions = new ArrayList<>();
            apis.path("groups").forEach(g -> groupVersions.add(g.path("preferredVersion").path("groupVersion").asText()));
            assertEquals(List.of("apps/v1", "autoscaling/v2", "batch/v1", "discovery.k8s.io/v1",
                    "networking.k8s.io/v1", "policy/v1", "rbac.authorization.k8s.io/v1"), groupVersions);
            assertEquals("APIGroup", getJson(mock, "/apis/apps").path("kind").asText());

            JsonNode core = getJson(mock, "/api/v1");
            assertEquals("v1", core.path("groupVersion").asText());
            JsonNode pods = resource(core, "pods");
            assertEquals("Pod", pods.path("kind").asText());
            assertTrue(pods.path("namespaced").asBoolean());
            assertEquals("po", pods.path("shortNames").get(0).asText());
            assertFalse(resource(core, "namespaces").path("namespaced").asBoolean());
            JsonNode deployments = resource(getJson(mock, "/apis/apps/v1/"), "deployments");
            assertEquals("deploy", deployments.path("shortNames").get(0).asText());
            assertTrue(deployments.path("verbs").toString().contains("\"patch\""), deployments.toString());
            assertFalse(resource(getJson(mock, "/apis/networking.k8s.io/v1"), "ingressclasses").path("namespaced")
                    .asBoolean());
        }
    }

    @Test
    void should_list_every_kind_devk8s_manages_with_its_scope() throws Exception {
        try (MockKubernetes mock = MockKubernetes.start()) {
            Map<String, Boolean> served = new java.util.HashMap<>();
            for (String gv : List.of("/api/v1", "/apis/apps/v1", "/apis/batch/v1", "/apis/networking.k8s.io/v1",
                    "/apis/rbac.authorization.k8s.io/v1", "/apis/discovery.k8s.io/v1")) {
                getJson(mock, gv).path("resources").forEach(r -> served.put(r.path("kind").asText(),
                        r.path("namespaced").asBoolean()));
            }
            for (ResourceKind kind : ResourceKind.values()) {
                assertEquals(kind.namespaced(), served.get(kind.kind()), kind.kind());
            }
            assertTrue(served.containsKey("Event") && served.containsKey("EndpointSlice"), served.toString());
        }
    }

    @Test
    void should_let_the_fabric8_client_read_the_discovery_documents() {
        try (MockKubernetes mock = MockKubernetes.start()) {
            assertEquals("v1.32.0", mock.cluster().serverVersion());
            var client = mock.client();
            assertTrue(client.getApiGroups().getGroups().stream().anyMatch(g -> g.getName().equals("apps")));
            var names = client.getApiResources("rbac.authorization.k8s.io/v1").getResources().stream()
                    .map(APIResource::getName).collect(Collectors.toSet());
            assertEquals(java.util.Set.of("clusterroles", "clusterrolebindings", "roles", "rolebindings"), names);
        }
    }

    @Test
    void should_answer_404_on_openapi_and_406_when_only_aggregated_discovery_is_accepted() throws Exception {
        try (MockKubernetes mock = MockKubernetes.start()) {
            assertEquals(404, send(mock, "GET", "/openapi/v2?timeout=32s", "application/json").statusCode());
            assertEquals(404, send(mock, "GET", "/openapi/v3", "application/json").statusCode());
            assertEquals(406, send(mock, "GET", "/apis",
                    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList").statusCode());
            assertEquals(200, send(mock, "GET", "/apis", "*/*").statusCode());
        }
    }

    @Test
    void should_leave_the_crud_store_to_answer_resource_paths() throws Exception {
        try (MockKubernetes mock = MockKubernetes.start()) {
            mock.admin().configMaps().inNamespace("devk8s").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("c").withNamespace("devk8s").endMetadata().build()).create();
            HttpResponse<String> r = send(mock, "GET", "/api/v1/namespaces/devk8s/configmaps", "application/json");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode list = JSON.readTree(r.body());
            assertEquals("c", list.path("items").get(0).path("metadata").path("name").asText());
            assertEquals(404, send(mock, "GET", "/apis/apps/v2", "application/json").statusCode());
        }
    }

    @Test
    void should_report_and_clear_the_request_record_over_http() throws Exception {
        try (MockKubernetes mock = MockKubernetes.start()) {
            var client = mock.client();
            client.configMaps().inNamespace("devk8s").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("c").withNamespace("devk8s").endMetadata().build()).create();
            client.configMaps().inNamespace("devk8s").withName("c").get();

            JsonNode log = getJson(mock, MockKubernetes.REQUESTS_PATH);
            assertEquals(2, log.path("requests").asInt(), log.toString());
            assertEquals(1, log.path("writes").asInt(), log.toString());
            assertEquals(1, log.path("byMethod").path("POST").asInt(), log.toString());
            assertEquals("POST /api/v1/namespaces/devk8s/configmaps", log.path("writeLines").get(0).asText());

            assertEquals(200, send(mock, "DELETE", MockKubernetes.REQUESTS_PATH, null).statusCode());
            assertEquals(List.of(), mock.requests(), "the record is cleared and its own endpoint is never recorded");
        }
    }

    private static JsonNode resource(JsonNode list, String name) {
        for (JsonNode r : list.path("resources")) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no resource " + name + " in " + list);
    }
}
