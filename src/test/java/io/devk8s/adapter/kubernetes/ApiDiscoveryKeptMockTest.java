package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.support.MockKubernetes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API discovery kept between the commands of one process (the background process), against the mock API server:
 * each "command" here is a connection and a discovery of its own, as each command has. The mock serves discovery
 * documents that the test changes; a real API server changes them when a CustomResourceDefinition or an aggregated
 * API comes or goes, which the mock cannot show.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ApiDiscoveryKeptMockTest {
    private MockKubernetes mock;
    private List<Path> kubeconfig;
    private final List<KubeConnection> connections = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @BeforeEach
    void startMock(@TempDir Path dir) {
        mock = MockKubernetes.start();
        kubeconfig = List.of(mock.writeKubeconfig(dir, "minikube"));
    }

    @AfterEach
    void stopMock() {
        connections.forEach(KubeConnection::close);
        mock.close();
    }

    /** A new command's discovery, on the test's clock. */
    private ApiDiscovery command() {
        KubeConnection connection = new KubeConnection("minikube", "minikube", kubeconfig);
        connections.add(connection);
        return new ApiDiscovery(connection, now::get, true);
    }

    private long discoveryReads(String apiVersion) {
        String path = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
        return mock.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals(path)).count();
    }

    @Test
    void a_later_command_asks_nothing_the_earlier_one_read_and_gets_the_same_answer() {
        ApiDiscovery first = command();
        first.prefetch(List.of("v1", "apps/v1", "networking.k8s.io/v1"));
        ApiResource deployment = first.resolve("apps/v1", "Deployment").orElseThrow();
        assertEquals(1, discoveryReads("apps/v1"));

        mock.clearRequests();
        ApiDiscovery second = command();
        second.prefetch(List.of("v1", "apps/v1", "networking.k8s.io/v1"));
        assertEquals(deployment, second.resolve("apps/v1", "Deployment").orElseThrow());
        assertTrue(second.resolve("v1", "ConfigMap").isPresent());
        assertTrue(second.resolve("networking.k8s.io/v1", "IngressClass").isPresent());
        assertEquals(List.of(), mock.requests(), "the kept answers were asked for again");
    }

    @Test
    void a_kind_added_since_is_looked_up_again_and_found() {
        mock.serveKind("example.com/v1", "Widget", "widgets", true);
        command().resolve("example.com/v1", "Widget").orElseThrow();

        mock.serveKind("example.com/v1", "Gadget", "gadgets", false);
        mock.clearRequests();
        ApiResource gadget = command().resolve("example.com/v1", "Gadget").orElseThrow();
        assertEquals("gadgets", gadget.plural());
        assertEquals(1, discoveryReads("example.com/v1"));
        // and the answer read again is the one kept now
        mock.clearRequests();
        assertTrue(command().resolve("example.com/v1", "Widget").isPresent());
        assertEquals(0, discoveryReads("example.com/v1"));
    }

    @Test
    void a_group_version_not_served_is_never_kept() {
        assertTrue(command().resolve("example.com/v1", "Widget").isEmpty());
        mock.serveKind("example.com/v1", "Widget", "widgets", true);
        assertTrue(command().resolve("example.com/v1", "Widget").isPresent());
    }

    @Test
    void an_answer_older_than_the_time_kept_is_asked_for_again() {
        command().resolve("apps/v1", "Deployment").orElseThrow();
        now.addAndGet(ApiDiscovery.KEPT.toNanos() - 1_000_000_000L);
        mock.clearRequests();
        command().resolve("apps/v1", "Deployment").orElseThrow();
        assertEquals(0, discoveryReads("apps/v1"), "asked again before the time was up");
        now.addAndGet(2_000_000_000L);
        command().resolve("apps/v1", "Deployment").orElseThrow();
        assertEquals(1, discoveryReads("apps/v1"), "an answer older than the time kept was used");
    }

    @Test
    void a_process_that_does_not_keep_answers_asks_every_time() {
        KubeConnection connection = new KubeConnection("minikube", "minikube", kubeconfig);
        connections.add(connection);
        new ApiDiscovery(connection, now::get, false).resolve("apps/v1", "Deployment").orElseThrow();
        command().resolve("apps/v1", "Deployment").orElseThrow();
        KubeConnection other = new KubeConnection("minikube", "minikube", kubeconfig);
        connections.add(other);
        new ApiDiscovery(other, now::get, false).resolve("apps/v1", "Deployment").orElseThrow();
        assertEquals(3, discoveryReads("apps/v1"));
    }

    @Test
    void every_served_kind_is_read_from_the_server_not_from_kept_answers() {
        command().resolve("example.com/v1", "Widget"); // not served yet: nothing kept
        command().resolve("apps/v1", "Deployment").orElseThrow();
        mock.serveKind("apps/v1", "Rollout", "rollouts", true);
        ApiDiscovery later = command();
        assertTrue(later.all().stream().anyMatch(r -> r.kind().equals("Rollout")), "all() used a kept answer");
    }
}
