package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.ToolFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s doctor} on kind and k3d contexts through the real CLI, with the kind/k3d stand-ins on PATH and
 * fabric8's mock API server behind the context (it answers the version request; it cannot show whether a real kind
 * cluster maps port 80, which doctor says it does not check).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DoctorLocalClustersMockTest {
    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private CliRunner.Result doctor(String context, int expected) {
        MockKubernetes.writeKubeconfig(cluster.kubeconfig(), context, Map.of(context, cluster.mock().url()));
        return cluster.cli().runAndExpect(expected, "doctor", "--hosts-file", cluster.hosts().toString());
    }

    private static String line(String out, String check) {
        return out.lines().filter(l -> l.matches("^\\w+\\s+" + check + "\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + check + "' line in:\n" + out));
    }

    @Test
    void should_check_kind_instead_of_minikube_on_a_kind_context() {
        ToolFixtures.install(cluster.dir().resolve("bin"), "kind");
        CliRunner.Result r = doctor("kind-dev", ExitCode.OK);
        assertTrue(line(r.out(), "kind").startsWith("ok") && line(r.out(), "kind").contains("kind v0.29.0"), r.out());
        assertTrue(line(r.out(), "context").contains("\"kind-dev\"") && line(r.out(), "context")
                .contains("a local cluster"), r.out());
        assertTrue(line(r.out(), "port 80").contains("extraPortMappings"), r.out());
        assertTrue(line(r.out(), "profile").contains("no Minikube profile needed"), r.out());
        assertTrue(line(r.out(), "api server").startsWith("ok"), r.out());
        assertEquals(List.of(), MinikubeFixture.calls(cluster.minikubeLog()), "minikube is not asked");
    }

    @Test
    void should_fail_the_k3d_check_with_the_install_link_when_k3d_is_missing() {
        CliRunner.Result r = doctor("k3d-dev", ExitCode.PRECONDITION);
        assertTrue(line(r.out(), "k3d").contains("k3d is not on PATH"), r.out());
        assertTrue(r.out().contains("https://k3d.io/#installation"), r.out());
        assertTrue(line(r.out(), "port 80").contains("k3d cluster create dev -p \"80:80@loadbalancer\""), r.out());
    }
}
