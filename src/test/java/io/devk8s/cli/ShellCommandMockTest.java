package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code echo hi | devk8s shell --reuse -- cat} through the real CLI, against fabric8's mock API server in
 * expectation mode: the debug pod exists and runs (so nothing is created), and the exec WebSocket is scripted with
 * what the kubelet would answer to the stdin it expects. It cannot run a real {@code cat}: it checks that the piped
 * stdin arrives, stdout and stderr reach the process's own streams apart, and the exit code is devk8s's.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShellCommandMockTest {
    /** {@code sh -c 'head -c "$0" | "$@"' 3 cat}: stdin bounded by the 3 bytes of "hi\n". */
    private static final String EXEC = "/api/v1/namespaces/default/pods/debugtool/exec?command=sh&command=-c"
            + "&command=head%20-c%20%22%240%22%20%7C%20%22%24%40%22&command=3&command=cat&container=debugtool"
            + "&stdin=true&stdout=true&stderr=true";

    @TempDir
    Path dir;

    private KubernetesMockServer server;
    private CliRunner cli;
    private final InputStream stdin = System.in;
    private final PrintStream stdout = System.out;
    private final PrintStream stderr = System.err;

    @BeforeEach
    void setUp() throws Exception {
        server = new KubernetesMockServer(false);
        server.init();
        Pod pod = new PodBuilder().withNewMetadata().withName("debugtool").withNamespace("default")
                .addToLabels("app.kubernetes.io/managed-by", "devk8s").endMetadata()
                .withNewSpec().addNewContainer().withName("debugtool").withImage("alpine:3.20").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build();
        server.expect().get().withPath("/api/v1/namespaces/default/pods/debugtool").andReturn(200, pod).always();
        server.expect().get().withPath("/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Ddebugtool")
                .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("1").endMetadata()
                        .addToItems(pod).build()).always();
        Path kubeconfig = MockKubernetes.writeKubeconfig(dir.resolve("kubeconfig"), "minikube",
                Map.of("minikube", server.url("/")));
        cli = new CliRunner().workDir(dir)
                .env("PATH", MinikubeFixture.pathWith(MinikubeFixture.install(dir)))
                .env("HOME", Files.createDirectories(dir.resolve("home")).toString())
                .env("KUBECONFIG", kubeconfig.toString());
    }

    @AfterEach
    void tearDown() {
        System.setIn(stdin);
        System.setOut(stdout);
        System.setErr(stderr);
        server.destroy();
    }

    @Test
    void piped_stdin_reaches_the_command_and_its_streams_and_exit_code_come_back() {
        // stdout and stderr at once; the exit status only in answer to the stdin frame it expects (another frame
        // closes the socket without a status, which is exit 1)
        server.expect().withPath(EXEC).andUpgradeToWebSocket()
                .open(new OutputStreamMessage("hi\n"), new ErrorStreamMessage("warn\n"))
                .expect("\u0000hi\n").andEmit(new StatusStreamMessage(4)).once()
                .done().once();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setIn(new ByteArrayInputStream("hi\n".getBytes(StandardCharsets.UTF_8)));
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));

        var r = cli.run("shell", "--image", "alpine:3.20", "--reuse", "--", "cat");

        System.setOut(stdout);
        System.setErr(stderr);
        assertEquals(4, r.exitCode(), r.err() + out + err);
        assertEquals("hi\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("warn\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", r.out());
    }
}
