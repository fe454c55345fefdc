package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cluster-target and guard rules of {@code deploy} and the other mutating commands that are decided before any
 * image is built, through the real CLI on fabric8's mock API server (it answers the API calls; no Docker engine is
 * needed because every case here stops, or is checked, before the daemon is reached).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeployTargetsMockTest {
    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private MockKubernetes mock;
    private CliRunner cli;
    private Path project;

    @BeforeEach
    void setUp() throws Exception {
        mock = cluster.mock();
        project = Files.createDirectories(cluster.dir().resolve("project"));
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\n");
        Files.writeString(project.resolve("deploy.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n");
        projectFile("");
        cli = cluster.cli().workDir(project).env("DOCKER_HOST", "tcp://127.0.0.1:1");
    }

    private void projectFile(String extra) throws Exception {
        Files.writeString(project.resolve("devk8s.yaml"), "project: p\n" + extra
                + "apps:\n  - name: web\n    context: .\n    manifests: [deploy.yaml]\n");
    }

    private void useContext(String name) {
        MockKubernetes.writeKubeconfig(cluster.kubeconfig(), name, Map.of(name, mock.url()));
    }

    private static String last(CliRunner.Result r) {
        return r.errLines().lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void should_refuse_an_unknown_target_in_one_line_before_any_cluster_call() {
        CliRunner.Result r = cli.runAndExpect(ExitCode.USAGE, "deploy", "--target", "kubeadm");
        assertEquals("error: --target kubeadm: expected one of minikube, kind, k3d, docker, registry, e.g. --target "
                + "kind", r.errLines());
        assertEquals(List.of(), mock.requests());
    }

    @Test
    void should_refuse_a_shared_context_unless_the_project_file_allows_it_then_print_it_before_anything_else()
            throws Exception {
        useContext("shared");
        CliRunner.Result refused = cli.runAndExpect(ExitCode.PRECONDITION, "deploy");
        assertTrue(last(refused).contains("kube context \"shared\"") && last(refused).contains("allowContexts:"),
                refused.err());
        assertEquals(List.of(), mock.requests(), "not a single request reaches a refused context's API");

        projectFile("allowContexts: [shared]\n");
        // allowed: a shared cluster gets its images through a registry, and none is configured
        CliRunner.Result r = cli.runAndExpect(ExitCode.USAGE, "deploy");
        assertTrue(r.err().contains("context: shared (" + mock.url() + "), not a local cluster: allowed by "
                + "allowContexts: in devk8s.yaml"), r.err());
        assertTrue(last(r).startsWith("error: no registry to push to: pass --registry HOST[:PORT]"), r.err());
        assertEquals(List.of(), mock.writes());
    }

    @Test
    void should_accept_a_kind_context_on_this_machine_without_any_flag_and_reach_the_hosts_docker() {
        useContext("kind-dev");
        CliRunner.Result r = cli.runAndExpect(ExitCode.PRECONDITION, "deploy");
        assertTrue(r.err().contains("context: kind-dev (" + mock.url() + ")"), r.err());
        assertFalse(r.err().contains("not a local cluster"), r.err());
        assertTrue(last(r).contains("tcp://127.0.0.1:1"), "the host's daemon (DOCKER_HOST), not minikube's: "
                + r.err());
        assertEquals(List.of(), mock.writes());
    }

    @Test
    void should_refuse_a_kind_target_on_the_minikube_context_in_one_line() {
        CliRunner.Result r = cli.runAndExpect(ExitCode.USAGE, "deploy", "--target", "kind");
        assertTrue(last(r).contains("--target kind: kube context minikube is not a kind cluster's"), r.err());
        assertEquals(List.of(), mock.writes());
    }

    @Test
    void should_print_a_shared_context_and_its_server_before_teardown_deletes_anything() throws Exception {
        mock.admin().configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("web").addToLabels("appgroup", "p").endMetadata().build()).create();
        useContext("prod");
        CliRunner.Result r = cli.runAndExpect(ExitCode.OK, "teardown", "--allow-context", "prod", "--hosts-file",
                cluster.hosts().toString());
        String notice = "context: prod (" + mock.url() + "), not a local cluster: allowed with --allow-context prod";
        assertTrue(r.err().contains(notice), r.err());
        assertTrue(r.err().indexOf(notice) < r.err().indexOf("deleting 1 object"), "printed before the deletes: " + r.err());
        assertEquals(null, mock.admin().configMaps().inNamespace("default").withName("web").get());
    }
}
