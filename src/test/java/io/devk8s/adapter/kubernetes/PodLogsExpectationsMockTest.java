package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real HTTP calls of {@link LogSource} ({@code PodLogs}) against fabric8's mock API server with expectations
 * (not CRUD mode, which cannot serve logs): the pod list with the label selector, and the log request with
 * {@code timestamps=true}, the container and the since/tail parameters. The mock answers with fixed bodies; it
 * cannot check that a real kubelet would honour the parameters, nor follow a stream.
 */
class PodLogsExpectationsMockTest {
    private KubernetesMockServer server;
    private KubernetesClient client;
    private LogSource source;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(false);
        server.init();
        client = server.createClient();
        source = new KubernetesCluster(client).logSource();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private static io.fabric8.kubernetes.api.model.Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("demo")
                .addToLabels("appgroup", "demo").addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewInitContainer().withName("init").endInitContainer()
                .addNewContainer().withName("app").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewInitContainerStatus().withName("init").withContainerID("containerd://i1")
                .withNewState().withNewTerminated().withExitCode(0).endTerminated().endState().endInitContainerStatus()
                .addNewContainerStatus().withName("app").withContainerID("containerd://a1")
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus()
                .endStatus().build();
    }

    @Test
    void should_list_the_selected_pods_with_their_containers_on_the_expectations_mock() throws Exception {
        server.expect().get().withPath("/api/v1/namespaces/demo/pods?labelSelector=appgroup%3Ddemo%2Capp%3Dweb")
                .andReturn(200, new PodListBuilder().addToItems(pod("web-2"), pod("web-1")).build()).once();

        List<LogSource.Pod> pods = source.pods("demo", LabelSelector.parse("appgroup=demo,app=web"));

        assertEquals(List.of("web-1", "web-2"), pods.stream().map(LogSource.Pod::name).toList());
        assertEquals(List.of(new LogSource.Container("init", "containerd://i1", false),
                new LogSource.Container("app", "containerd://a1", true)), pods.get(0).containers());
    }

    @Test
    void should_ask_for_one_containers_log_with_timestamps_since_and_tail_on_the_expectations_mock()
            throws Exception {
        // fabric8 reads the pod before its log (it would wait for a pod that has not started)
        server.expect().get().withPath("/api/v1/namespaces/demo/pods?fieldSelector=metadata.name%3Dweb-1")
                .andReturn(200, new PodListBuilder().addToItems(pod("web-1")).build()).always();
        String body = "2026-01-01T10:00:01.000000001Z hello\n2026-01-01T10:00:02Z world\n";
        server.expect().get().withPath("/api/v1/namespaces/demo/pods/web-1/log?pretty=false&container=app"
                + "&sinceSeconds=600&tailLines=5&timestamps=true").andReturn(200, body).once();
        server.expect().get().withPath("/api/v1/namespaces/demo/pods/web-1/log?pretty=false&container=app"
                + "&sinceTime=2026-01-01T10:00:02Z&timestamps=true").andReturn(200, "").once();

        String text;
        try (InputStream in = source.open("demo", "web-1", "app",
                new LogSource.Request(false, Optional.empty(), Optional.of(600L), Optional.of(5)))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (InputStream in = source.open("demo", "web-1", "app", new LogSource.Request(false,
                Optional.of(Instant.parse("2026-01-01T10:00:02Z")), Optional.empty(), Optional.empty()))) {
            assertEquals(0, in.readAllBytes().length);
        }

        assertEquals(body, text);
        List<String> paths = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (r.getPath().contains("/log")) {
                paths.add(r.getPath());
            }
        }
        assertEquals(2, paths.size(), paths.toString());
        assertTrue(paths.get(0).contains("timestamps=true") && paths.get(0).contains("tailLines=5")
                && paths.get(0).contains("sinceSeconds=600") && !paths.get(0).contains("follow"), paths.get(0));
        assertTrue(paths.get(1).contains("sinceTime=2026-01-01T10:00:02Z"), paths.get(1));
    }
}
