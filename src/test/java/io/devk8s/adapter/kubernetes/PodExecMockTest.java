package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * {@link PodExec} against fabric8's mock API server in expectation mode (not CRUD): the exec WebSocket is scripted
 * with what the kubelet would send (stdout on channel 1, stderr on 2, the exit status as a JSON Status on 3) and
 * what it expects to receive (stdin on channel 0). It cannot check a real container's behaviour, only that
 * devk8s speaks the protocol: streams kept apart, stdin sent, the exit code taken from the status.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PodExecMockTest {
    private static final String EXEC = "/api/v1/namespaces/dev/pods/debugtool/exec";

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(false);
        server.init();
        client = server.createClient();
        Pod pod = new PodBuilder().withNewMetadata().withName("debugtool").withNamespace("dev").endMetadata()
                .withNewSpec().addNewContainer().withName("debugtool").withImage("alpine:3.20").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build();
        server.expect().get().withPath("/api/v1/namespaces/dev/pods/debugtool").andReturn(200, pod).always();
        server.expect().get().withPath("/api/v1/namespaces/dev/pods?fieldSelector=metadata.name%3Ddebugtool")
                .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("1").endMetadata()
                        .addToItems(pod).build()).always();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private PodExec exec() {
        return new PodExec(new KubernetesCluster(client));
    }

    @Test
    void passes_stdout_and_stderr_separately_and_returns_the_remote_exit_code() throws Exception {
        server.expect().withPath(EXEC + "?command=ls&command=%2Fnope&container=debugtool&stdout=true&stderr=true")
                .andUpgradeToWebSocket()
                .open(new OutputStreamMessage("bin\n"), new ErrorStreamMessage("ls: /nope: No such file\n"),
                        new StatusStreamMessage(2))
                .done().once();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        PodExec.Outcome outcome = exec().run("dev", "debugtool", List.of("ls", "/nope"), false, null, out, err,
                s -> { });

        assertEquals(Optional.of(2), outcome.exitCode());
        assertEquals("bin\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("ls: /nope: No such file\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sends_stdin_on_channel_zero_and_gets_exit_code_zero() throws Exception {
        // the mock answers each stdin frame it expects; an unexpected frame closes the socket without a status
        server.expect().withPath(EXEC + "?command=cat&container=debugtool&stdin=true&stdout=true&stderr=true")
                .andUpgradeToWebSocket().open()
                .expect("\u0000hi\n").andEmit(new OutputStreamMessage("hi\n")).once()
                .expect("\u0000bye\n").andEmit(new StatusStreamMessage(0)).once()
                .done().once();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // typed as a user types: the second line only once the first one's answer is back, so that each line is a
        // frame of its own (written at once, the two could leave in one frame, which the mock would not expect)
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keys);
        Thread typist = new Thread(() -> {
            try {
                keys.write("hi\n".getBytes(StandardCharsets.UTF_8));
                keys.flush();
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!out.toString(StandardCharsets.UTF_8).contains("hi\n") && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                keys.write("bye\n".getBytes(StandardCharsets.UTF_8));
                keys.close();
            } catch (IOException | InterruptedException e) {
                // the session ended first: the assertions below say how
            }
        }, "typist");
        typist.start();

        PodExec.Outcome outcome = exec().run("dev", "debugtool", List.of("cat"), false, stdin, out,
                new ByteArrayOutputStream(), s -> { });
        typist.join();

        assertEquals(Optional.of(0), outcome.exitCode(), String.valueOf(outcome.closeReason()));
        assertEquals("hi\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_session_that_closes_without_a_status_has_no_exit_code() throws Exception {
        server.expect().withPath(EXEC + "?command=true&container=debugtool&stdout=true&stderr=true")
                .andUpgradeToWebSocket().open(new OutputStreamMessage("partial")).done().once();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        PodExec.Outcome outcome = exec().run("dev", "debugtool", List.of("true"), false, null, out,
                new ByteArrayOutputStream(), s -> { });

        assertEquals(Optional.empty(), outcome.exitCode());
        assertTrue(outcome.closeReason() != null && !outcome.closeReason().isBlank(), "a reason to report");
        assertEquals("partial", out.toString(StandardCharsets.UTF_8));
    }
}
