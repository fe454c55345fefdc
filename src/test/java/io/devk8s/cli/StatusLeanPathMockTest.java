package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.service.HostsService;
import io.devk8s.service.StackOptions;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockCluster;
import io.devk8s.support.StackOnMock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s status} in a fresh JVM, with the class-loading log on, against fabric8's mock API server standing
 * in for Kubernetes (and the minikube stand-in): with a plain kubeconfig (a token, http) it answers through the
 * lean reader, so neither fabric8's client nor its model nor Jackson 3 is ever loaded (nor for
 * {@code --show-credentials}, which reads a Secret). What the mock cannot show:
 * the timing on a real cluster (see README, Performance).
 */
class StatusLeanPathMockTest {
    @RegisterExtension
    final MockCluster cluster = new MockCluster().nodePortRange(80, 32767).driver("kvm2");

    @Test
    void statusWithAPlainKubeconfigLoadsNoFabric8AndNoJackson3ClassOnTheMock() throws Exception {
        StackOnMock.deploy(cluster.mock(), StackOptions.defaults());
        new HostsFile(cluster.hosts()).apply("minikube", "192.168.49.2", HostsService.hostnames("minikube", List.of()));
        Path log = cluster.dir().resolve("classes.txt");

        Run run = status(log);

        assertEquals(0, run.exitCode, run.out);
        assertTrue(run.out.contains("stack healthy"), run.out);
        assertTrue(run.out.contains("traefik     1/1    available"), run.out);
        assertTrue(run.out.contains("grafana admin: "), run.out);
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" io.devk8s.adapter.kubernetes.LeanReads ")),
                "the lean reader answered");
        List<String> heavy = loaded.stream().filter(l -> l.contains(" io.fabric8.") || l.contains(" tools.jackson.")
                || l.contains(" jdk.internal.net.http.")).toList();
        assertEquals(List.of(), heavy.stream().limit(20).toList(), heavy.size() + " classes of the full client, the first"
                + " after " + loaded.subList(Math.max(0, loaded.indexOf(heavy.isEmpty() ? "" : heavy.get(0)) - 8),
                        Math.max(0, loaded.indexOf(heavy.isEmpty() ? "" : heavy.get(0)))));
    }

    private record Run(int exitCode, String out) {
    }

    private Run status(Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xshare:auto", "-Xlog:class+load=info:file=" + log, "-cp",
                System.getProperty("java.class.path"), "io.devk8s.Devk8s", "status", "--show-credentials",
                "--hosts-file", cluster.hosts().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", MinikubeFixture.pathWith(cluster.dir().resolve("bin")));
        pb.environment().put("HOME", cluster.dir().resolve("home").toString());
        pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
        pb.environment().put("FIXTURE_MINIKUBE_DRIVER", "kvm2");
        pb.environment().put("FIXTURE_MINIKUBE_LOG", cluster.minikubeLog().toString());
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("status did not finish: " + out);
        }
        return new Run(p.exitValue(), out);
    }
}
