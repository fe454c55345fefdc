package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s logs} from the command line: every bad input refused in one line before any API request, and the
 * context guard, on the fabric8 CRUD mock API server (which cannot serve pod logs: the streams themselves are
 * covered by LogFollowerTest and PodLogsExpectationsMockTest).
 */
class LogsCommandMockTest {
    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private CliRunner cli;
    private MockKubernetes mock;
    private Path project;

    @BeforeEach
    void setUp() throws IOException {
        cli = cluster.cli();
        mock = cluster.mock();
        project = Files.createDirectories(cluster.dir().resolve("project"));
        Files.writeString(project.resolve("Dockerfile"), "FROM busybox\n");
        Files.writeString(project.resolve("devk8s.yaml"), """
                project: demo
                namespace: demo
                apps:
                  - name: web
                    image: web
                  - name: worker
                    image: worker
                """);
    }

    @Test
    void should_refuse_a_bad_selector_naming_the_position_and_call_no_api() {
        var r = cli.workDir(project).runAndExpect(ExitCode.USAGE, "logs", "--selector", "app=web,tier in (api");

        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errLines().contains("label selector \"app=web,tier in (api\": position 21"), r.err());
        assertEquals(List.of(), mock.requests());
    }

    @Test
    void should_require_a_selector_without_a_project_file() {
        var r = cli.workDir(cluster.dir()).runAndExpect(ExitCode.USAGE, "logs");

        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errLines().contains("no devk8s.yaml") && r.errLines().contains("--selector SEL"), r.err());
        assertEquals(List.of(), mock.requests());
    }

    @Test
    void should_name_the_closest_app_for_an_unknown_one() {
        var r = cli.workDir(project).runAndExpect(ExitCode.USAGE, "logs", "wbe");

        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errLines().contains("no app 'wbe'") && r.errLines().contains("did you mean 'web'?"), r.err());
        assertEquals(List.of(), mock.requests());
    }

    @Test
    void should_refuse_app_names_together_with_a_selector() {
        var r = cli.workDir(project).runAndExpect(ExitCode.USAGE, "logs", "web", "--selector", "app=web");

        assertTrue(r.errLines().contains("give APP names or --selector, not both"), r.err());
    }

    @Test
    void should_refuse_a_negative_tail() {
        var r = cli.workDir(project).runAndExpect(ExitCode.USAGE, "logs", "--tail", "-3");

        assertTrue(r.errLines().contains("--tail -3"), r.err());
    }

    @Test
    void should_refuse_a_foreign_context_with_exit_3_and_no_api_request() {
        Path prod = MockKubernetes.writeKubeconfig(cluster.dir().resolve("prod-kubeconfig"), "prod",
                Map.of("prod", mock.url()));
        cli.env("KUBECONFIG", prod.toString());

        var r = cli.workDir(project).runAndExpect(ExitCode.PRECONDITION, "logs", "web");

        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errLines().contains("kube context \"prod\"") && r.errLines().contains("--allow-context prod"),
                r.err());
        assertEquals(List.of(), mock.requests());
    }

    @Test
    void should_list_the_apps_pods_by_their_labels_in_the_project_namespace_and_say_when_there_are_none() {
        var r = cli.workDir(project).runAndExpect(ExitCode.OK, "logs", "web", "worker");

        assertEquals("", r.out());
        assertTrue(r.errLines().contains("no pods with labels appgroup=demo,app in (web,worker) in namespace demo"),
                r.err());
        assertTrue(mock.requests().stream().anyMatch(q -> q.method().equals("GET")
                && q.path().startsWith("/api/v1/namespaces/demo/pods?labelSelector=")), mock.requests().toString());
    }
}
