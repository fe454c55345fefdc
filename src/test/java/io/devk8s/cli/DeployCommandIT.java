package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.devk8s.ExitCode;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.docker.DockerEngine;
import io.devk8s.service.DeployService;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.Processes;
import io.devk8s.support.TestDockerEngine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
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
 * {@code devk8s deploy} of examples/helloworld through the real CLI: the Go build on the host, the image built in a
 * real Docker engine reached the way Minikube's is (the minikube stand-in's {@code docker-env} names the engine's
 * TLS listener and certificates), the manifests applied to fabric8's mock API server (server-side apply, dry runs
 * and a simulated Deployment controller; it cannot run pods, so the rollout is the simulated one and the image is
 * never pulled by a kubelet). The base image is made here from busybox: no registry is reachable.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeployCommandIT {
    private static final Path EXAMPLE = Path.of("examples/helloworld");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String REPOSITORY = "helloworld";

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private MockKubernetes mock;
    private CliRunner cli;
    private Path project;
    private String base;
    private final List<String> images = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        if (!Files.isRegularFile(BUSYBOX)) {
            fail(BUSYBOX + " is missing: install busybox-static (scripts/test.sh does)");
        }
        mock = cluster.mock();
        Path home = cluster.dir().resolve("home");
        TestDockerEngine.minikubeCerts(home);
        project = cluster.dir().resolve("helloworld");
        io.devk8s.support.ExampleCopies.copyTree(EXAMPLE, project);
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "example");
        git("tag", "v0.1.0");
        cli = cluster.cli().workDir(project)
                .env("FIXTURE_MINIKUBE_DOCKER_PORT", String.valueOf(URI.create(TestDockerEngine.tlsHost()).getPort()))
                .env("GOTOOLCHAIN", "local").env("GOPROXY", "off").env("GOSUMDB", "off").env("GOPATH", null)
                .env("GOFLAGS", null);
        base = "devk8s-it/busybox-base:" + UUID.randomUUID().toString().substring(0, 8);
        try (DockerDaemon daemon = daemon()) {
            TestDockerEngine.buildBusyboxBase(daemon, cluster.dir().resolve("base"), base);
        }
        images.add(base);
    }

    @AfterEach
    void removeImages() throws Exception {
        mock.stopController();
        List<String> ids = new ArrayList<>(images);
        var listed = docker("images", "-q", "--filter", "label=" + DeployService.BUILD_INPUTS_LABEL);
        ids.addAll(listed.out().lines().filter(l -> !l.isBlank()).toList());
        for (String i : ids) {
            docker("rmi", "-f", i);
        }
    }

    private CliRunner.Result deploy(int expected, String... extra) {
        List<String> args = new ArrayList<>(List.of("deploy", "--hosts-file", cluster.hosts().toString(),
                "--timeout", "30s", "--build-arg", "BASE=" + base));
        args.addAll(List.of(extra));
        return cli.runAndExpect(expected, args.toArray(String[]::new));
    }

    @Test
    void should_deploy_the_example_then_change_nothing_then_roll_a_one_byte_change_with_a_dirty_tag() throws Exception {
        mock.startController();
        CliRunner.Result first = deploy(ExitCode.OK, "helloworld");

        // the image: built in the engine with the version tag and the digest labels
        String image = REPOSITORY + ":v0.1.0";
        assertTrue(first.err().contains("building " + image + " "), first.err() + docker("images").out());
        Map<String, String> labels = imageLabels(image);
        assertTrue(labels.getOrDefault(DockerDaemon.INPUT_DIGEST_LABEL, "").matches("[0-9a-f]{64}"), labels.toString());
        assertTrue(labels.getOrDefault(DeployService.BUILD_INPUTS_LABEL, "").matches("[0-9a-f]{64}"), labels.toString());
        String firstId = imageId(image);
        var run = docker("run", "--rm", "--network", "none", image, "-version");
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.out().strip().startsWith("v0.1.0-"), run.out()); // main.version=${VERSION}-${DATE}

        // the manifests on the (mock) API server: image, pull policy, labels
        Deployment d = mock.admin().apps().deployments().inNamespace("default").withName("helloworld").get();
        assertNotNull(d, first.out() + first.err());
        var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(image, container.getImage());
        assertEquals("IfNotPresent", container.getImagePullPolicy());
        Ingress ingress = mock.admin().network().v1().ingresses().inNamespace("default").withName("helloworld").get();
        var service = mock.admin().services().inNamespace("default").withName("helloworld").get();
        for (HasMetadata o : List.of(d, ingress, service)) {
            Map<String, String> l = o.getMetadata().getLabels();
            assertEquals("examples", l.get("appgroup"), o.getKind());
            assertEquals("helloworld", l.get("app"), o.getKind());
            assertEquals("devk8s", l.get("app.kubernetes.io/managed-by"), o.getKind());
        }
        // the rollout was waited for, the URL, the traces link and the hosts block
        assertTrue(first.err().contains("helloworld: rolled out"), first.err());
        assertTrue(first.out().contains("http://helloworld.minikube/"), first.out());
        assertTrue(first.out().contains("http://jaeger.minikube/search?service=helloworld"), first.out());
        assertTrue(Files.readString(cluster.hosts()).contains("helloworld.minikube"),
                Files.readString(cluster.hosts()));

        // unchanged: no build command, no image build, no write to the cluster
        mock.clearRequests();
        CliRunner.Result second = deploy(ExitCode.OK, "helloworld");
        assertTrue(second.err().contains("build command skipped"), second.err());
        assertTrue(second.err().contains("image " + image + " unchanged"), second.err());
        assertFalse(second.err().contains("building "), second.err());
        assertEquals(List.of(), mock.writes(), second.err());
        assertEquals(firstId, imageId(image));

        // one byte more in a Go source: rebuilt, with a dirty tag, and the Deployment rolls to it
        Files.writeString(project.resolve("cmd/helloworld/main.go"), "\n", StandardOpenOption.APPEND);
        CliRunner.Result third = deploy(ExitCode.OK, "helloworld");
        assertTrue(third.err().contains("building helloworld:v0.1.0-dirty-"), third.err());
        Deployment after = mock.admin().apps().deployments().inNamespace("default").withName("helloworld").get();
        String dirty = after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertTrue(dirty.matches("helloworld:v0\\.1\\.0-dirty-[0-9a-f]{7}"), dirty);
        assertFalse(imageId(dirty).equals(firstId));
    }

    @Test
    void should_tag_the_image_it_has_when_the_build_command_reproduces_its_context() throws Exception {
        // a reproducible build command and a context of its output alone: a comment in the source changes the
        // command's inputs, so the command runs, but not the context it leaves
        replace("devk8s.yaml", "go build -trimpath -ldflags \"-X=main.version=${VERSION}-${DATE}\" -o bin/helloworld "
                + "./cmd/helloworld", "mkdir -p bin && cp go.mod bin/helloworld");
        Files.writeString(project.resolve(".dockerignore"), "*\n!bin\n");
        git("add", "-A");
        git("commit", "-q", "-m", "reproducible");
        mock.startController();
        CliRunner.Result first = deploy(ExitCode.OK, "helloworld");
        assertTrue(first.err().contains("building " + REPOSITORY + ":v0.1.0-1-"), first.err());
        String built = mock.admin().apps().deployments().inNamespace("default").withName("helloworld").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();

        Files.writeString(project.resolve("cmd/helloworld/main.go"), "// a comment\n", StandardOpenOption.APPEND);
        CliRunner.Result second = deploy(ExitCode.OK, "helloworld");
        assertTrue(second.err().contains("helloworld: mkdir -p bin"), second.err());
        assertFalse(second.err().contains("building "), second.err());
        String dirty = mock.admin().apps().deployments().inNamespace("default").withName("helloworld").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertTrue(dirty.matches(REPOSITORY + ":v0\\.1\\.0-1-g[0-9a-f]+-dirty-[0-9a-f]{7}"), dirty);
        assertTrue(second.err().contains("image " + dirty + " unchanged (tagged)"), second.err());
        assertEquals(imageId(built), imageId(dirty), "the same image under the new tag");
    }

    @Test
    void should_print_what_a_dry_run_would_do_and_build_and_write_nothing() throws Exception {
        CliRunner.Result r = deploy(ExitCode.OK, "--dry-run");
        assertTrue(r.out().contains("image  helloworld:v0.1.0"), r.out());
        assertTrue(r.out().contains("apply  Deployment default/helloworld"), r.out());
        assertEquals(List.of(), mock.writes());
        assertFalse(Files.exists(project.resolve("bin/helloworld")));
        assertEquals(1, docker("image", "inspect", REPOSITORY + ":v0.1.0").exitCode());
    }

    // ------------------------------------------------------------------------------------------ bad input

    @Test
    void should_refuse_a_broken_project_file_in_one_line_and_apply_nothing() throws Exception {
        Files.writeString(project.resolve("devk8s.yaml"), "\n  colour: blue\n", StandardOpenOption.APPEND);
        CliRunner.Result r = deploy(ExitCode.USAGE, "helloworld");
        assertOneLineNothingApplied(r, "devk8s.yaml");
    }

    @Test
    void should_refuse_an_unknown_app_with_the_closest_name_and_apply_nothing() {
        CliRunner.Result r = deploy(ExitCode.USAGE, "helloword");
        assertOneLineNothingApplied(r, "did you mean 'helloworld'?");
    }

    @Test
    void should_stop_on_a_failing_build_command_and_apply_nothing() throws Exception {
        replace("devk8s.yaml", "command: go build", "command: exit 7; go build");
        CliRunner.Result r = deploy(ExitCode.FAILURE, "helloworld");
        assertTrue(r.errLines().lines().reduce((a, b) -> b).orElse("").contains("failed with exit code 7"), r.err());
        assertEquals(List.of(), mock.writes());
    }

    @Test
    void should_stop_on_a_failing_dockerfile_step_and_apply_nothing() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), "COPY missing-file /x\n", StandardOpenOption.APPEND);
        CliRunner.Result r = deploy(ExitCode.FAILURE, "helloworld");
        String last = r.errLines().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("docker build of helloworld:") && last.contains("failed"), r.err());
        assertEquals(List.of(), mock.writes());
    }

    @Test
    void should_refuse_an_unreachable_daemon_in_one_line_and_apply_nothing() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        cli.env("FIXTURE_MINIKUBE_DOCKER_PORT", String.valueOf(closed));
        CliRunner.Result r = deploy(ExitCode.PRECONDITION, "helloworld");
        assertOneLineNothingApplied(r, "127.0.0.1:" + closed);
    }

    @Test
    void should_refuse_an_undefined_variable_in_a_manifest_and_apply_nothing() throws Exception {
        replace("deployment/20-service.yaml", "name: ${APP}", "name: ${APP}-${NOT_DEFINED_ANYWHERE}");
        CliRunner.Result r = deploy(ExitCode.USAGE, "helloworld");
        assertOneLineNothingApplied(r, "NOT_DEFINED_ANYWHERE");
        assertTrue(r.errLines().contains("20-service.yaml"), r.err());
        assertFalse(Files.exists(project.resolve("bin/helloworld")), "nothing built before the check");
    }

    private void assertOneLineNothingApplied(CliRunner.Result r, String expected) {
        String err = r.errLines();
        String last = err.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains(expected), err);
        assertFalse(err.contains("\tat "), err);
        assertEquals(List.of(), mock.writes(), err);
        assertTrue(docker("images", "-q", "--filter", "label=" + DeployService.BUILD_INPUTS_LABEL).out().isBlank());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void replace(String file, String from, String to) throws Exception {
        Path p = project.resolve(file);
        String text = Files.readString(p);
        assertTrue(text.contains(from), file);
        Files.writeString(p, text.replace(from, to));
    }

    private DockerDaemon daemon() {
        return DockerDaemon.connect(DockerEngine.fromMinikube(Map.of("DOCKER_TLS_VERIFY", "1",
                "DOCKER_HOST", TestDockerEngine.tlsHost(), "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString()),
                TestDockerEngine.cleanEnvironment(cluster.dir(), Map.of())));
    }

    private Map<String, String> imageLabels(String image) {
        try (DockerDaemon daemon = daemon()) {
            return daemon.labels(image).orElseThrow(() -> new AssertionError("no image " + image));
        }
    }

    private String imageId(String image) {
        var r = docker("image", "inspect", "--format", "{{.Id}}", image);
        assertEquals(0, r.exitCode(), r.describe());
        return r.out().strip();
    }

    private void git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", project.toString(), "-c", "user.name=t", "-c", "user.email=t@example.com",
                "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"));
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", cluster.dir().toString());
        var r = Processes.run(cmd, env, cluster.dir(), "git-" + UUID.randomUUID());
        assertEquals(0, r.exitCode(), r.describe());
    }

    private Processes.Result docker(String... args) {
        return TestDockerEngine.cli("docker", cluster.dir(), cluster.dir().resolve("docker-config"), args);
    }

}
