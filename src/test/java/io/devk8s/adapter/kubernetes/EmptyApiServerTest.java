package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmptyApiServerTest {

    @Test
    void collections_are_empty_lists_and_objects_are_not_found() throws Exception {
        try (EmptyApiServer server = EmptyApiServer.start()) {
            assertTrue(server.url().matches("http://127\\.0\\.0\\.1:\\d+/"), server.url());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(
                    URI.create(server.url() + "apis/apps/v1/namespaces/devk8s/deployments?labelSelector=a%3Db")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, list.statusCode());
            assertTrue(list.body().contains("\"items\":[]"), list.body());
            HttpResponse<String> one = http.send(HttpRequest.newBuilder(
                    URI.create(server.url() + "api/v1/namespaces/devk8s")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, one.statusCode());
            assertTrue(one.body().contains("\"reason\":\"NotFound\""), one.body());
        }
    }

    @Test
    void lists_of_deployments_hold_the_deployments_it_was_given_and_other_lists_stay_empty() throws Exception {
        String deployment = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"}}";
        try (EmptyApiServer server = EmptyApiServer.start(java.util.List.of(deployment))) {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"apis/apps/v1/namespaces/devk8s/deployments?labelSelector=a%3Db",
                "apis/apps/v1/deployments"}) {
                HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, list.statusCode());
                assertTrue(list.body().contains("\"items\":[" + deployment + "]"), list.body());
            }
            HttpResponse<String> services = http.send(HttpRequest.newBuilder(
                    URI.create(server.url() + "api/v1/namespaces/devk8s/services")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(services.body().contains("\"items\":[]"), services.body());
            HttpResponse<String> one = http.send(HttpRequest.newBuilder(
                    URI.create(server.url() + "apis/apps/v1/namespaces/devk8s/deployments/web")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, one.statusCode());
        }
    }

    @Test
    void serves_discovery_of_the_built_in_kinds_and_answers_a_server_side_apply_with_the_object() throws Exception {
        try (EmptyApiServer server = EmptyApiServer.start()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> apps = http.send(HttpRequest.newBuilder(URI.create(server.url() + "apis/apps/v1"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, apps.statusCode());
            assertTrue(apps.body().contains("\"name\":\"deployments\",\"singularName\":\"\",\"namespaced\":true,"
                    + "\"kind\":\"Deployment\""), apps.body());
            assertTrue(http.send(HttpRequest.newBuilder(URI.create(server.url() + "apis")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("\"groupVersion\":\"networking.k8s.io/v1\""));
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(server.url() + "apis/example.com/v1")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            String object = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}";
            HttpResponse<String> applied = http.send(HttpRequest.newBuilder(
                    URI.create(server.url() + "api/v1/namespaces/x/configmaps/c?fieldManager=devk8s&force=true"))
                    .header("Content-Type", "application/apply-patch+yaml")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(object)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, applied.statusCode());
            assertEquals(object, applied.body());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/v1/namespaces/x/configmaps/c"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "it keeps nothing");
        }
    }

    @Test
    void tells_a_collection_from_one_object_by_its_path() {
        assertTrue(EmptyApiServer.isCollection("/api/v1/pods"));
        assertTrue(EmptyApiServer.isCollection("/api/v1/namespaces"));
        assertTrue(EmptyApiServer.isCollection("/api/v1/namespaces/x/services"));
        assertTrue(EmptyApiServer.isCollection("/apis/apps/v1/namespaces/x/deployments"));
        assertTrue(EmptyApiServer.isCollection("/apis/rbac.authorization.k8s.io/v1/clusterroles"));
        assertFalse(EmptyApiServer.isCollection("/api/v1/namespaces/x"));
        assertFalse(EmptyApiServer.isCollection("/api/v1/namespaces/x/services/traefik"));
        assertFalse(EmptyApiServer.isCollection("/apis/apps/v1/namespaces/x/deployments/d"));
        assertFalse(EmptyApiServer.isCollection("/version"));
        assertFalse(EmptyApiServer.isCollection("/apis"));
    }
}
