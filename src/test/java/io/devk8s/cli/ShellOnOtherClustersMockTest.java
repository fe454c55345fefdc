package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s shell} on a kind context, through the real CLI on fabric8's mock API server: the debug image of
 * {@code shell:} is built in Minikube's daemon, which a kind cluster's nodes do not use, so devk8s refuses before
 * any build or write instead of starting a pod that cannot pull its image. (The mock runs no kubelet, so a pull
 * itself is not checked here.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShellOnOtherClustersMockTest {
    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    @Test
    void should_refuse_to_build_the_debug_image_for_a_kind_cluster_and_name_the_way_out() throws Exception {
        MockKubernetes.writeKubeconfig(cluster.kubeconfig(), "kind-dev", Map.of("kind-dev", cluster.mock().url()));
        Path project = Files.createDirectories(cluster.dir().resolve("p"));
        Files.writeString(project.resolve("devk8s.yaml"), """
                project: p
                apps:
                  - name: web
                    manifests: [deploy.yaml]
                shell:
                  packages: []
                """);
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\n");
        Files.writeString(project.resolve("deploy.yaml"), "");

        CliRunner.Result r = cluster.cli().workDir(project).runAndExpect(ExitCode.USAGE, "shell", "--", "true");
        assertEquals(1, r.errLines().strip().lines().count(), r.err());
        assertTrue(r.errLines().contains("do not use: pass --image IMAGE"), r.err());
        assertEquals(List.of(), cluster.mock().writes(), "nothing was created");
    }
}
