package io.devk8s.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive {@code devk8s shell} of the packaged jar under a pseudo-terminal ({@code script}), against
 * fabric8's mock API server in expectation mode: the exec WebSocket answers a Ctrl-C byte on stdin with the exit
 * status, so the test shows that Ctrl-C reaches the remote side instead of ending devk8s, that the remote exit
 * code becomes devk8s's, and that the terminal settings ({@code stty -g}) are the same before and after. The mock
 * runs no shell: what a real bash does with the bytes is not checked.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShellTerminalIT {
    private static final String EXEC = "/api/v1/namespaces/default/pods/debugtool/exec?command=sh&command=-c"
            + "&command=command%20-v%20bash%20%3E%2Fdev%2Fnull%20%26%26%20exec%20bash%20%7C%7C%20exec%20sh"
            + "&container=debugtool&tty=true&stdin=true&stdout=true&stderr=true";

    @TempDir
    Path dir;

    private KubernetesMockServer server;

    @BeforeEach
    void setUp() {
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
    }

    @AfterEach
    void tearDown() {
        server.destroy();
    }

    /** The paths the mock has received so far (kept, since taking a request from the mock removes it). */
    private final List<String> seen = new java.util.ArrayList<>();

    private List<String> requests() throws InterruptedException {
        for (var r = server.takeRequest(10, TimeUnit.MILLISECONDS); r != null;
                r = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
            seen.add(r.getPath());
        }
        return seen;
    }

    @Test
    void ctrl_c_reaches_the_remote_shell_its_exit_code_comes_back_and_the_terminal_is_restored() throws Exception {
        server.expect().withPath(EXEC).andUpgradeToWebSocket()
                .open(new OutputStreamMessage("remote$ "))
                .expect("\u0004{\"Width\":100,\"Height\":30}").andEmit(new OutputStreamMessage("")).always()
                .expect("\u0004{\"Height\":30,\"Width\":100}").andEmit(new OutputStreamMessage("")).always()
                .expect("\u0000\u0003").andEmit(new StatusStreamMessage(130)).once()
                .done().once();
        Path kubeconfig = MockKubernetes.writeKubeconfig(dir.resolve("kubeconfig"), "minikube",
                Map.of("minikube", server.url("/")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String inner = "stty cols 100 rows 30; stty -g > before; " + java + " -jar " + System.getProperty("devk8s.jar")
                + " shell --image alpine:3.20 --reuse; echo $? > code; stty -g > after";
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", inner, "/dev/null").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        pb.environment().put("PATH", MinikubeFixture.pathWith(MinikubeFixture.install(dir)));
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        OutputStream keys = p.getOutputStream();
        // a generous bound for a loaded machine (a JVM start plus the pod wait), not a speed check
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        // the remote shell is there once its prompt shows, or once the exec request reached the mock
        while (!Files.readString(dir.resolve("out.txt")).contains("remote$ ")
                && requests().stream().noneMatch(path -> path.contains("/exec?")) && System.nanoTime() < deadline
                && p.isAlive()) {
            Thread.sleep(100);
        }
        Thread.sleep(1000); // the exec is open; give the terminal its raw mode before the key arrives
        assertTrue(p.isAlive(), "devk8s shell ended before Ctrl-C: " + Files.readString(dir.resolve("out.txt"))
                + " requests " + requests() + " exit " + (Files.exists(dir.resolve("code")) ? Files.readString(dir.resolve("code")) : "?"));
        keys.write(3); // Ctrl-C: a byte for the remote shell, not a signal for devk8s
        keys.flush();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "devk8s shell did not end: " + Files.readString(
                dir.resolve("out.txt")));
        keys.close();

        String out = Files.readString(dir.resolve("out.txt"));
        assertEquals("130", Files.readString(dir.resolve("code")).strip(), out);
        assertEquals(Files.readString(dir.resolve("before")), Files.readString(dir.resolve("after")),
                "stty -g after the session: " + out);
        assertTrue(out.contains("remote$ "), out);
    }
}
