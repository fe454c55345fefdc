package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.docker.DockerCli;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.service.build.BuildLog;
import io.devk8s.adapter.docker.BuildContext;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.docker.DockerEngine;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.Processes;
import io.devk8s.support.TestDockerEngine;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s deploy} of a Dockerfile that needs BuildKit ({@code RUN --mount=type=cache}), built with the real
 * docker CLI in the real test engine reached the way Minikube's is (TLS, the minikube stand-in's docker-env), the
 * manifests applied to fabric8's mock API server (it runs no pods). Also: the refusal when no docker CLI is on PATH,
 * the failing step's report from both builders, and {@code --no-build} of an image the daemon lacks.
 *
 * <p>The test engine runs without a bridge network ({@code dockerd --bridge=none}), which BuildKit's {@code RUN}
 * uses by default; the {@code docker} on the test's PATH is therefore a two-line wrapper that adds
 * {@code --network=none} to {@code docker build} and runs the real CLI. Minikube's daemon has a bridge and needs no
 * such thing. No registry is reachable, so a {@code # syntax=} directive (a frontend image pull) is not built here.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeployBuildKitIT {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: ${APP}}
            spec:
              selector: {matchLabels: {app: ${APP}}}
              template:
                metadata: {labels: {app: ${APP}}}
                spec: {containers: [{name: app, image: "${IMAGE}", imagePullPolicy: IfNotPresent}]}
            """;

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private MockKubernetes mock;
    private CliRunner cli;
    private Path project;
    private String base;
    private String realDocker;
    private final List<String> images = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        if (!Files.isRegularFile(BUSYBOX)) {
            fail(BUSYBOX + " is missing: install busybox-static (scripts/test.sh does)");
        }
        realDocker = buildKitDocker();
        mock = cluster.mock();
        TestDockerEngine.minikubeCerts(cluster.dir().resolve("home"));
        Path wrapper = Files.createDirectories(cluster.dir().resolve("docker-cli"));
        Path docker = wrapper.resolve("docker");
        Files.writeString(docker, "#!/bin/sh\nif [ \"$1\" = build ]; then shift; exec " + realDocker
                + " build --network=none \"$@\"; fi\nexec " + realDocker + " \"$@\"\n");
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));

        project = Files.createDirectories(cluster.dir().resolve("app"));
        base = "devk8s-it/bk-base:" + UUID.randomUUID().toString().substring(0, 8);
        try (DockerDaemon daemon = daemon()) {
            TestDockerEngine.buildBusyboxBase(daemon, cluster.dir().resolve("base"), base,
                    "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]");
        }
        images.add(base);
        Files.writeString(project.resolve("devk8s.yaml"), """
                project: bk
                apps:
                  - name: cached
                    image: devk8s-it-cached
                    context: .
                    dockerfile: Dockerfile
                    buildArgs: {BASE: %s}
                    manifests: [deploy.yaml]
                """.formatted(base));
        Files.writeString(project.resolve("deploy.yaml"), DEPLOYMENT);
        Files.writeString(project.resolve("Dockerfile"), """
                ARG BASE
                FROM ${BASE}
                RUN --mount=type=cache,target=/cache echo from-cache-mount | tee /cache/x && cp /cache/x /built
                """);
        cli = cluster.cli().workDir(project)
                .env("FIXTURE_MINIKUBE_DOCKER_PORT", String.valueOf(URI.create(TestDockerEngine.tlsHost()).getPort()))
                .env("PATH", wrapper + ":" + cluster.dir().resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
    }

    /** A docker CLI that builds with BuildKit on this machine: the buildx plugin, or a CLI before 23.0. */
    private String buildKitDocker() throws Exception {
        for (String candidate : List.of("/usr/bin/docker", "/usr/local/bin/docker")) {
            if (!Files.isExecutable(Path.of(candidate))) {
                continue;
            }
            if (docker(candidate, "buildx", "version").exitCode() == 0) {
                return candidate;
            }
            String v = docker(candidate, "version", "--format", "{{.Client.Version}}").out().strip();
            if (v.matches("(1\\d|2[0-2])\\..*")) {
                return candidate;
            }
        }
        fail("no docker CLI that can build with BuildKit (a CLI before 23.0, or the buildx plugin): install "
                + "docker.io (scripts/test.sh does) or docker-buildx");
        return null;
    }

    @AfterEach
    void removeImages() {
        List<String> ids = new ArrayList<>(images);
        ids.addAll(docker(realDocker, "images", "-q", "devk8s-it-cached").out().lines()
                .filter(l -> !l.isBlank()).toList());
        for (String i : ids) {
            docker(realDocker, "rmi", "-f", i);
        }
    }

    @Test
    void should_build_a_cache_mount_with_the_docker_cli_in_the_same_daemon_and_skip_it_when_unchanged() {
        CliRunner.Result first = cli.runAndExpect(ExitCode.OK, "deploy", "--no-wait", "--no-hosts");
        assertTrue(first.err().contains("with the docker CLI (BuildKit: line 3: RUN --mount=type=cache"), first.err());
        assertTrue(first.err().contains("from-cache-mount"),
                "the build's output is shown in full off a terminal:\n" + first.err());

        Deployment d = mock.admin().apps().deployments().inNamespace("default").withName("cached").get();
        assertNotNull(d, first.err());
        String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertTrue(image.matches("devk8s-it-cached:0\\.0\\.0-[0-9a-f]{7}"), image);
        // built in the daemon devk8s talks to, with the labels the digest skip reads
        try (DockerDaemon daemon = daemon()) {
            Map<String, String> labels = daemon.labels(image).orElseThrow(() -> new AssertionError("no " + image));
            assertTrue(labels.getOrDefault(DockerDaemon.INPUT_DIGEST_LABEL, "").matches("[0-9a-f]{64}"), labels.toString());
            assertEquals("cached", labels.get("app"));
        }
        var run = docker(realDocker, "run", "--rm", "--network", "none", image, "cat", "/built");
        assertEquals("from-cache-mount", run.out().strip(), run.describe());

        mock.clearRequests();
        CliRunner.Result second = cli.runAndExpect(ExitCode.OK, "deploy", "--no-wait", "--no-hosts");
        assertTrue(second.err().contains("image " + image + " unchanged"), second.err());
        assertFalse(second.err().contains("building "), second.err());
        assertEquals(List.of(), mock.writes(), second.err());
    }

    @Test
    void should_refuse_a_buildkit_dockerfile_in_one_line_when_no_docker_cli_is_on_path() throws Exception {
        Path tools = Files.createDirectories(cluster.dir().resolve("tools"));
        for (String t : List.of("bash", "sh", "env", "cat", "basename", "git")) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                if (Files.isExecutable(Path.of(dir, t)) && !Files.exists(tools.resolve(t))) {
                    Files.createSymbolicLink(tools.resolve(t), Path.of(dir, t));
                }
            }
        }
        cli.env("PATH", cluster.dir().resolve("bin") + ":" + tools);
        CliRunner.Result r = cli.runAndExpect(ExitCode.PRECONDITION, "deploy", "--no-wait", "--no-hosts");
        String err = r.errLines();
        String last = err.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("Dockerfile:3: RUN --mount=type=cache"), err);
        assertTrue(last.contains("(a cache mount) needs BuildKit"), err);
        assertTrue(last.contains("no docker CLI is on PATH"), err);
        assertFalse(err.contains("\tat "), err);
        assertEquals(List.of(), mock.writes(), err);
        assertTrue(docker(realDocker, "images", "-q", "devk8s-it-cached").out().isBlank());
    }

    @Test
    void should_show_the_failing_step_and_its_last_output_lines_from_the_api_builder() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), """
                ARG BASE
                FROM ${BASE}
                RUN echo step-one-ok
                RUN echo compiling && echo 'main.go:3: undefined: x' && exit 2
                RUN echo never
                """);
        CliRunner.Result r = cli.runAndExpect(ExitCode.FAILURE, "deploy", "--no-wait", "--no-hosts");
        String err = r.errLines();
        assertTrue(err.matches("(?s).*Step 4/\\d+ : RUN echo compiling && echo 'main.go:3: undefined: x' && exit 2.*"), err);
        assertTrue(err.contains("main.go:3: undefined: x"), err);
        String last = err.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("docker build of devk8s-it-cached:") && last.contains("returned a non-zero code: 2"),
                err);
        assertFalse(err.contains("Step 5/"), err);
        assertEquals(List.of(), mock.writes(), err);
    }

    @Test
    void should_find_the_failing_step_and_its_output_in_the_real_output_of_both_builders() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), """
                FROM %s
                RUN echo step-one-ok
                RUN --mount=type=cache,target=/c echo compiling && echo 'main.go:3: undefined: x' && exit 2
                """.formatted(base));
        // BuildKit through the docker CLI (the wrapper on PATH)
        BuildLog kit = new BuildLog();
        Path wrapper = cluster.dir().resolve("docker-cli/docker");
        var env = TestDockerEngine.cleanEnvironment(cluster.dir(), Map.of("PATH", "/usr/bin:/bin"));
        var request = new DockerDaemon.BuildRequest(List.of("devk8s-it-cached:fail"), Map.of(), "", Map.of());
        var engine = DockerEngine.fromMinikube(Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_HOST", TestDockerEngine.tlsHost(),
                "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString()), env);
        try {
            new DockerCli(new ProcessRunner(env)).build(wrapper, engine.settings(), project, "Dockerfile", request,
                    kit::accept);
            fail("the build should fail");
        } catch (Devk8sException e) {
            assertTrue(e.getMessage().contains("exit code: 2"), e.getMessage());
        }
        List<String> report = kit.failureReport();
        assertTrue(report.get(0).matches("#\\d+ \\[(stage-0 )?3/3\\] RUN --mount=type=cache,target=/c echo compiling.*"), report.toString());
        assertTrue(report.contains("  compiling") && report.contains("  main.go:3: undefined: x"), report.toString());
        assertFalse(report.toString().contains("step-one-ok"), report.toString());

        // the classic builder through the API
        Files.writeString(project.resolve("Dockerfile"), """
                FROM %s
                RUN echo step-one-ok
                RUN echo compiling && echo 'main.go:3: undefined: x' && exit 2
                """.formatted(base));
        BuildLog classic = new BuildLog();
        try (DockerDaemon daemon = daemon()) {
            daemon.build(BuildContext.scan(project, "Dockerfile"), request, classic::accept);
            fail("the build should fail");
        } catch (Devk8sException e) {
            assertTrue(e.getMessage().contains("returned a non-zero code: 2"), e.getMessage());
        }
        assertEquals(List.of("Step 3/3 : RUN echo compiling && echo 'main.go:3: undefined: x' && exit 2",
                "  compiling", "  main.go:3: undefined: x"), classic.failureReport());
        assertEquals("step 3/3: RUN echo compiling && echo 'main.go:3: undefined: x' && exit 2", classic.status());
    }

    @Test
    void should_show_the_failing_step_from_a_buildkit_build_with_the_docker_cli() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), """
                ARG BASE
                FROM ${BASE}
                RUN --mount=type=cache,target=/c echo compiling && echo 'main.go:3: undefined: x' && exit 2
                """);
        CliRunner.Result r = cli.runAndExpect(ExitCode.FAILURE, "deploy", "--no-wait", "--no-hosts");
        String err = r.errLines();
        assertTrue(err.contains("main.go:3: undefined: x"), err);
        String last = err.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("error: docker build of devk8s-it-cached:"), err);
        assertTrue(last.contains("exit code: 2"), err);
        assertEquals(List.of(), mock.writes(), err);
    }

    @Test
    void should_refuse_no_build_of_an_image_the_daemon_does_not_have() {
        CliRunner.Result r = cli.runAndExpect(ExitCode.PRECONDITION, "deploy", "--no-build", "--tag", "nowhere",
                "--no-wait", "--no-hosts");
        String last = r.errLines().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("image devk8s-it-cached:nowhere is not in the Docker daemon at "
                + TestDockerEngine.tlsHost()), r.err());
        assertEquals(List.of(), mock.writes(), r.err());
        // once built, --no-build applies it with the same version and builds nothing
        CliRunner.Result built = cli.runAndExpect(ExitCode.OK, "deploy", "--no-wait", "--no-hosts");
        assertTrue(built.err().contains("building "), built.err());
        mock.clearRequests();
        CliRunner.Result again = cli.runAndExpect(ExitCode.OK, "deploy", "--no-build", "--no-wait", "--no-hosts");
        assertFalse(again.err().contains("building "), again.err());
        assertFalse(again.err().contains("note: "), again.err());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private DockerDaemon daemon() {
        return DockerDaemon.connect(DockerEngine.fromMinikube(Map.of("DOCKER_TLS_VERIFY", "1",
                "DOCKER_HOST", TestDockerEngine.tlsHost(), "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString()),
                TestDockerEngine.cleanEnvironment(cluster.dir(), Map.of())));
    }

    private Processes.Result docker(String executable, String... args) {
        return TestDockerEngine.cli(executable, cluster.dir(), cluster.dir().resolve("docker-config"), args);
    }
}
