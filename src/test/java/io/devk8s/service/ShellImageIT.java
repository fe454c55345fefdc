package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.docker.DockerEngine;
import io.devk8s.adapter.git.GitCli;
import io.devk8s.adapter.kubernetes.DebugPods;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.PodExec;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.config.ProjectFileLoader;
import io.devk8s.service.build.Versions;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.Processes;
import io.devk8s.support.TestDockerEngine;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s shell}'s debug image from the {@code shell:} section of devk8s.yaml, built in a real Docker engine
 * reached the way Minikube's is (TLS, client certificates), with the debug pod on fabric8's mock API server: a test
 * thread stands in for the kubelet (it marks a new pod Running), and the exec into the pod is a recording stand-in
 * (the mock runs no containers; the exec protocol is covered by ShellCommandMockTest and ShellTerminalIT). So what
 * the tests show is the image (its tool file, run with the docker CLI), the skip of an unchanged build, the rebuild
 * of a changed tool, and the pod object the API server receives; not a kubelet pulling or running that image.
 * The base image is made here from busybox (no registry is reachable), so {@code packages: []}.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShellImageIT {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    /** The tool's "build": a script for busybox's sh that prints the version in src/version.txt and TARGETARCH. */
    private static final String BUILD = "mkdir -p bin && v=$(cat src/version.txt) && "
            + "printf '#!/bin/busybox sh\\necho mytool %s %s\\n' \"$v\" \"$TARGETARCH\" > bin/mytool && chmod 755 bin/mytool";

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private MockKubernetes mock;
    private ServiceFakes fakes;
    private Path project;
    private String base;
    private ScheduledExecutorService kubelet;
    private final List<String> execs = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        if (!Files.isRegularFile(BUSYBOX)) {
            fail(BUSYBOX + " is missing: install busybox-static (scripts/test.sh does)");
        }
        mock = cluster.mock();
        TestDockerEngine.minikubeCerts(cluster.dir().resolve("home"));
        base = "devk8s-it/busybox-base:" + UUID.randomUUID().toString().substring(0, 8);
        try (DockerDaemon daemon = daemon()) {
            TestDockerEngine.buildBusyboxBase(daemon, cluster.dir().resolve("base"), base);
        }
        project = Files.createDirectories(cluster.dir().resolve("shop"));
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/version.txt"), "1\n");
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\n");
        writeProject("bin/mytool");
        fakes = new ServiceFakes(cluster.dir().resolve("fakes"), Map.of());
    }

    private void writeProject(String binary) throws Exception {
        Files.writeString(project.resolve("devk8s.yaml"), """
                project: shop
                apps:
                  - name: tools
                    build:
                      command: %s
                      inputs: [src/*]
                shell:
                  base: %s
                  packages: []
                  tools:
                    - {app: tools, binary: %s}
                """.formatted(yamlQuote(BUILD), base, binary));
    }

    @AfterEach
    void tearDown() {
        if (kubelet != null) {
            kubelet.shutdownNow();
        }
        List<String> ids = new ArrayList<>(List.of(base));
        ids.addAll(docker("images", "-q", "--filter", "label=app.kubernetes.io/component=debugtool")
                .out().lines().filter(l -> !l.isBlank()).toList());
        for (String id : ids) {
            docker("rmi", "-f", id);
        }
    }

    @Test
    void builds_the_debug_image_with_the_tool_then_skips_an_unchanged_build_then_rebuilds_a_changed_tool()
            throws Exception {
        startKubelet();

        // 1. the tool's build command runs, the image is built with the tool inside, the pod runs that image
        assertEquals(0, shell());
        String err1 = takeErr();
        assertTrue(err1.contains("tools: " + BUILD), err1);
        assertTrue(err1.contains("shell: building debugtool:"), err1);
        Pod pod = debugPod();
        String image = pod.getSpec().getContainers().get(0).getImage();
        assertTrue(image.matches("debugtool:[0-9a-f]{12}"), image);
        assertEquals("IfNotPresent", pod.getSpec().getContainers().get(0).getImagePullPolicy());
        assertEquals("Never", pod.getSpec().getRestartPolicy());
        assertEquals(Map.of("appgroup", "shop", "app.kubernetes.io/component", "debugtool",
                "app.kubernetes.io/managed-by", "devk8s"), pod.getMetadata().getLabels());
        assertEquals(ShellService.KEEP_ALIVE, pod.getSpec().getContainers().get(0).getCommand());
        assertEquals(List.of("default/debugtool: sh -c head -c \"$0\" | \"$@\" 0 true"), execs);
        var run = docker("run", "--rm", "--network", "none", image, "/usr/local/bin/mytool");
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals("mytool 1 " + targetArch(), run.out().strip());
        Map<String, String> labels = labels(image);
        assertTrue(labels.getOrDefault(DockerDaemon.INPUT_DIGEST_LABEL, "").startsWith(image.substring(10)),
                labels.toString());
        assertTrue(labels.getOrDefault(BuildSteps.BUILD_INPUTS_LABEL, "").matches("[0-9a-f]{64}"), labels.toString());
        var history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", image);
        assertFalse(history.out().contains("apk") || history.out().contains("apt-get"), history.out());
        String firstId = imageId(image);
        String firstPodUid = pod.getMetadata().getUid();

        // 2. nothing changed: no build command, no image build, the same image; the pod is replaced as always
        assertEquals(0, shell());
        String err2 = takeErr();
        assertTrue(err2.contains("build commands of tools skipped (their inputs are unchanged)"), err2);
        assertTrue(err2.contains("shell: image " + image + " unchanged"), err2);
        assertFalse(err2.contains("building"), err2);
        assertEquals(firstId, imageId(image));
        assertEquals(image, debugPod().getSpec().getContainers().get(0).getImage());
        assertNotEquals(firstPodUid, debugPod().getMetadata().getUid());

        // 3. a changed input of the tool: the command runs again and the image is rebuilt with the new tool
        Files.writeString(project.resolve("src/version.txt"), "2\n");
        assertEquals(0, shell());
        String err3 = takeErr();
        assertTrue(err3.contains("tools: " + BUILD), err3);
        assertTrue(err3.contains("shell: building debugtool:"), err3);
        String rebuilt = debugPod().getSpec().getContainers().get(0).getImage();
        assertNotEquals(image, rebuilt);
        var run2 = docker("run", "--rm", "--network", "none", rebuilt, "/usr/local/bin/mytool");
        assertEquals("mytool 2 " + targetArch(), run2.out().strip(), run2.describe());
    }

    @Test
    void a_binary_the_build_command_does_not_write_is_named_and_no_image_or_pod_is_made() throws Exception {
        writeProject("bin/othertool");

        Devk8sException e = assertThrows(Devk8sException.class, this::shell);

        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("devk8s.yaml:11:7: shell.tools: no file " + project.resolve("bin/othertool")
                + " after the build command of app tools ran"), e.getMessage());
        assertEquals(List.of(), mock.writes().stream().filter(r -> !r.isDryRun()).toList());
        assertTrue(docker("images", "-q", "--filter", "label=app.kubernetes.io/component=debugtool").out().isBlank());
    }

    @Test
    void a_dry_run_through_the_cli_prints_the_dockerfile_image_and_pod_and_builds_and_writes_nothing() throws Exception {
        CliRunner cli = cluster.cli().workDir(project).env("FIXTURE_MINIKUBE_DOCKER_PORT",
                String.valueOf(URI.create(TestDockerEngine.tlsHost()).getPort()));

        CliRunner.Result r = cli.runAndExpect(ExitCode.OK, "shell", "--dry-run");

        assertTrue(r.out().contains("  FROM " + base + "\n"), r.out());
        assertTrue(r.out().contains("  COPY tools/mytool /usr/local/bin/mytool\n"), r.out());
        assertFalse(r.out().contains("RUN "), r.out());
        assertTrue(r.out().contains("image  debugtool:<input digest>  run `" + BUILD
                + "` (tools), then build"), r.out());
        assertTrue(r.out().contains("pod    default/debugtool  image debugtool:"), r.out());
        assertFalse(Files.exists(project.resolve("bin/mytool")), "the build command did not run");
        assertEquals(List.of(), mock.writes());
        assertTrue(docker("images", "-q", "--filter", "label=app.kubernetes.io/component=debugtool").out().isBlank());

        // once built, a dry run names the image and says it is unchanged
        startKubelet();
        assertEquals(0, shell());
        String image = debugPod().getSpec().getContainers().get(0).getImage();
        mock.clearRequests();
        CliRunner.Result again = cli.runAndExpect(ExitCode.OK, "shell", "--dry-run");
        assertTrue(again.out().contains("image  " + image + "  unchanged (image with this input digest exists)"),
                again.out());
        assertTrue(again.out().contains("pod    default/debugtool  image " + image + ", "), again.out());
        assertTrue(again.out().contains("replaces the existing one"), again.out());
        assertEquals(List.of(), mock.writes());
    }

    @Test
    void a_dry_run_without_a_daemon_to_ask_says_so_in_one_line_and_still_prints_the_plan() throws Exception {
        // the minikube stand-in's docker-env names a port where no engine listens
        CliRunner cli = cluster.cli().workDir(project).env("FIXTURE_MINIKUBE_DOCKER_PORT", "1");

        CliRunner.Result r = cli.runAndExpect(ExitCode.OK, "shell", "--dry-run");

        assertTrue(r.out().contains("  FROM " + base + "\n"), r.out());
        assertTrue(r.out().contains("image  debugtool:<input digest>  run `" + BUILD
                + "` (tools), then build (unless the daemon has it)"), r.out());
        assertTrue(r.out().contains("pod    default/debugtool  image debugtool:"), r.out());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("note: no Docker daemon to ask (")).count(),
                r.err());
        assertFalse(Files.exists(project.resolve("bin/mytool")), "the build command did not run");
        assertEquals(List.of(), mock.writes());

        // without --dry-run the same daemon stops the command before anything runs or is written
        CliRunner.Result real = cli.runAndExpect(ExitCode.PRECONDITION, "shell", "--", "true");
        assertFalse(Files.exists(project.resolve("bin/mytool")), real.err());
        assertEquals(List.of(), mock.writes());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private int shell() throws Exception {
        ProjectScope scope = ProjectScope.of(Optional.of(new ProjectFileLoader().load(project.resolve("devk8s.yaml"))),
                Optional.empty());
        ShellService.Request request = new ShellService.Request(ClusterSelection.of(new Environment(Map.of(),
                project), "minikube", null, List.of(), null), scope, Optional.empty(), null, false, false,
                List.of("true"), Duration.ofSeconds(20), false);
        return service().shell(request, new ShellService.Streams(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), false));
    }

    private ShellService service() {
        KubeAccess kube = fakes.kube(ServiceFakes.context("minikube", mock.url()),
                pinned -> new KubernetesCluster(mock.client()).pollInterval(Duration.ofMillis(50)));
        ShellService.Exec exec = (namespace, pod, command, tty, stdin, stdout, stderr, started) -> {
            execs.add(namespace + "/" + pod + ": " + String.join(" ", command));
            return new PodExec.Outcome(Optional.of(0), null);
        };
        Environment env = TestDockerEngine.cleanEnvironment(cluster.dir().resolve("home"), Map.of());
        ProcessRunner processes = new ProcessRunner(env);
        DebugImageBuilder images = new DebugImageBuilder(fakes.console,
                new BuildSteps(fakes.console, env, processes, new Versions(new GitCli(processes))),
                selection -> daemon(), () -> "minikube", Clock.systemUTC());
        return new ShellService(fakes.console, kube, DebugPods::new, cluster -> exec, streams -> {
            throw new AssertionError("no terminal without one");
        }, images);
    }

    private String takeErr() {
        String err = fakes.err.toString();
        fakes.err.getBuffer().setLength(0);
        return err;
    }

    /** Marks every pod without a phase Running and Ready, as the kubelet would once its container started. */
    private void startKubelet() {
        kubelet = Executors.newSingleThreadScheduledExecutor();
        kubelet.scheduleWithFixedDelay(() -> {
            try {
                for (Pod pod : mock.admin().pods().inNamespace("default").list().getItems()) {
                    if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
                        mock.admin().pods().inNamespace("default").withName(pod.getMetadata().getName())
                                .editStatus(p -> {
                                    p.setStatus(new PodStatusBuilder().withPhase("Running").addNewCondition()
                                            .withType("Ready").withStatus("True").endCondition().build());
                                    return p;
                                });
                    }
                }
            } catch (RuntimeException e) {
                // the pod went away meanwhile, or the mock is closing
            }
        }, 0, 30, TimeUnit.MILLISECONDS);
    }

    private Pod debugPod() {
        return mock.admin().pods().inNamespace("default").withName("debugtool").get();
    }

    private DockerDaemon daemon() {
        return DockerDaemon.connect(DockerEngine.fromMinikube(Map.of("DOCKER_TLS_VERIFY", "1",
                "DOCKER_HOST", TestDockerEngine.tlsHost(), "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString()),
                TestDockerEngine.cleanEnvironment(cluster.dir(), Map.of())));
    }

    private String targetArch() {
        try (DockerDaemon daemon = daemon()) {
            return daemon.info().targetArch();
        }
    }

    private Map<String, String> labels(String image) {
        try (DockerDaemon daemon = daemon()) {
            return daemon.labels(image).orElseThrow(() -> new AssertionError("no image " + image));
        }
    }

    private String imageId(String image) {
        var r = docker("image", "inspect", "--format", "{{.Id}}", image);
        assertEquals(0, r.exitCode(), r.describe());
        return r.out().strip();
    }

    private static String yamlQuote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private Processes.Result docker(String... args) {
        return TestDockerEngine.cli("docker", cluster.dir(), cluster.dir().resolve("docker-config"), args);
    }
}
