package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code deploy --dry-run} and {@code deploy --no-build} when Minikube's Docker daemon cannot be used (here: the
 * profile's client certificates are missing, as before {@code minikube start}), against fabric8's mock API server.
 * Neither needs the daemon: they go on with one note line. The mock cannot tell whether a kubelet could pull the
 * image; a reachable daemon that lacks the image is covered by DeployBuildKitIT on a real engine.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeployWithoutDaemonMockTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: ${APP}}
            spec:
              selector: {matchLabels: {app: ${APP}}}
              template:
                metadata: {labels: {app: ${APP}}}
                spec:
                  containers:
                    - name: app
                      image: ${IMAGE}
                      env: [{name: PLATFORM, value: "${TARGETOS}/${TARGETARCH}"}]
            """;

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private CliRunner cli;
    private Path project;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(cluster.dir().resolve("app"));
        Files.writeString(project.resolve("devk8s.yaml"), """
                project: nodaemon
                apps:
                  - name: web
                    image: web
                    context: .
                    dockerfile: Dockerfile
                    manifests: [deploy.yaml]
                """);
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\nCOPY deploy.yaml /\n");
        Files.writeString(project.resolve("deploy.yaml"), DEPLOYMENT);
        // minikube docker-env names certificates that are not there: the daemon cannot be used
        cli = cluster.cli().workDir(project);
    }

    private static String hostArch() {
        String a = System.getProperty("os.arch");
        return a.equals("x86_64") || a.equals("amd64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
    }

    @Test
    void should_dry_run_without_the_daemon_with_one_note_on_the_assumed_platform() {
        CliRunner.Result r = cli.runAndExpect(ExitCode.OK, "deploy", "--dry-run");
        List<String> notes = r.err().lines().filter(l -> l.startsWith("note: ")).toList();
        assertEquals(1, notes.size(), r.err());
        assertTrue(notes.get(0).contains("TARGETOS/TARGETARCH are assumed to be linux/" + hostArch()), notes.get(0));
        assertTrue(notes.get(0).contains("DOCKER_CERT_PATH"), "says why the daemon was not asked: " + notes.get(0));
        assertTrue(r.out().matches("(?s).*image  web:0\\.0\\.0-[0-9a-f]{7}  build .*"), r.out());
        assertTrue(r.out().contains("apply  Deployment default/web"), r.out());
        assertEquals(List.of(), cluster.mock().writes());
    }

    @Test
    void should_apply_with_no_build_and_an_unreachable_daemon_saying_so_in_one_line() {
        CliRunner.Result r = cli.runAndExpect(ExitCode.OK, "deploy", "--no-build", "--tag", "v7", "--no-wait",
                "--no-hosts");
        List<String> notes = r.err().lines().filter(l -> l.startsWith("note: ")).toList();
        assertEquals(1, notes.size(), r.err());
        assertTrue(notes.get(0).contains("that the image exists is not checked"), notes.get(0));
        Deployment d = cluster.mock().admin().apps().deployments().inNamespace("default").withName("web").get();
        assertNotNull(d, r.err());
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("web:v7", c.getImage());
        assertEquals("linux/" + hostArch(), c.getEnv().get(0).getValue());
    }

    @Test
    void should_give_no_build_the_version_a_build_would_have_given() {
        CliRunner.Result dry = cli.runAndExpect(ExitCode.OK, "deploy", "--dry-run");
        Matcher m = Pattern.compile("image  (web:0\\.0\\.0-[0-9a-f]{7}) ").matcher(dry.out());
        assertTrue(m.find(), dry.out());
        cli.runAndExpect(ExitCode.OK, "deploy", "--no-build", "--no-wait", "--no-hosts");
        Deployment d = cluster.mock().admin().apps().deployments().inNamespace("default").withName("web").get();
        assertEquals(m.group(1), d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void should_put_manifests_without_a_namespace_into_the_projects_namespace_as_kubectl_apply_n_does() {
        cli.runAndExpect(ExitCode.OK, "deploy", "--no-build", "--tag", "v1", "--no-wait", "--no-hosts", "-n", "team");
        assertNotNull(cluster.mock().admin().apps().deployments().inNamespace("team").withName("web").get(),
                "the Deployment goes where -n says");
        assertEquals(null, cluster.mock().admin().apps().deployments().inNamespace("default").withName("web").get(),
                "and not into the context's namespace");
        CliRunner.Result dry = cli.runAndExpect(ExitCode.OK, "deploy", "--dry-run", "-n", "team");
        assertTrue(dry.out().contains("apply  Deployment team/web"), dry.out());
    }
}
