package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s dev} through the real CLI on a small project in a temp folder, with the test editing its files while
 * the command watches them (the system's file events, through directory-watcher): a host build command, the image
 * built in a real Docker engine reached the way Minikube's is, the manifests applied to fabric8's mock API server
 * with its simulated Deployment controller. What the mock cannot check: no kubelet runs the pods, so the new image
 * is never pulled or started, a rollout is the simulated one, and the pods have no logs to stream (the log
 * follower runs, but prints nothing); the assertions are on the Deployment the mock stores and on the printed
 * round lines.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DevCommandIT {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Duration ROUND = Duration.ofSeconds(60);

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private MockKubernetes mock;
    private CliRunner cli;
    private Path project;
    private String base;

    @BeforeEach
    void setUp() throws Exception {
        if (!Files.isRegularFile(BUSYBOX)) {
            fail(BUSYBOX + " is missing: install busybox-static (scripts/test.sh does)");
        }
        mock = cluster.mock();
        TestDockerEngine.minikubeCerts(cluster.dir().resolve("home"));
        project = Files.createDirectories(cluster.dir().resolve("shop"));
        write("devk8s.yaml", """
                project: devit
                apps:
                  - name: web
                    image: devit-web
                    build:
                      command: mkdir -p out && cp src/app.sh out/app.sh
                      inputs: ["src/**"]
                    manifests: [deploy/*.yaml]
                """);
        write("Dockerfile", "ARG BASE\nFROM ${BASE}\nCOPY out/app.sh /app.sh\nCMD [\"/bin/busybox\", \"sh\", \"/app.sh\"]\n");
        write(".dockerignore", "*\n!out/app.sh\n");
        write("src/app.sh", "echo v1\n");
        write("notes.md", "not part of the image\n");
        write("deploy/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: ${APP}
                  namespace: ${NAMESPACE}
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: ${APP}}
                  template:
                    metadata:
                      labels: {app: ${APP}, appgroup: ${PROJECT}}
                    spec:
                      containers:
                        - name: ${APP}
                          image: ${IMAGE}
                          imagePullPolicy: IfNotPresent
                """);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", cluster.dir().toString());
        var git = Processes.run(List.of("git", "init", "-q", project.toString()), env, cluster.dir(),
                "git-" + UUID.randomUUID());
        assertEquals(0, git.exitCode(), git.describe());
        cli = cluster.cli().workDir(project)
                .env("FIXTURE_MINIKUBE_DOCKER_PORT", String.valueOf(URI.create(TestDockerEngine.tlsHost()).getPort()));
        base = "devk8s-it/busybox-base:" + UUID.randomUUID().toString().substring(0, 8);
        try (DockerDaemon daemon = daemon()) {
            TestDockerEngine.buildBusyboxBase(daemon, cluster.dir().resolve("base"), base);
        }
    }

    @AfterEach
    void removeImages() throws Exception {
        mock.stopController();
        List<String> ids = new ArrayList<>(List.of(base));
        ids.addAll(docker("images", "-q", "--filter", "label=" + DeployService.BUILD_INPUTS_LABEL).out().lines()
                .filter(l -> !l.isBlank()).toList());
        for (String i : ids) {
            docker("rmi", "-f", i);
        }
    }

    @Test
    void should_redeploy_once_per_burst_ignore_what_no_image_uses_and_recover_from_a_broken_build()
            throws Exception {
        mock.startController();
        CliRunner.Running dev = cli.start("dev", "--hosts-file", cluster.hosts().toString(), "--timeout", "30s",
                "--build-arg", "BASE=" + base, "--cleanup");
        try {
            await(() -> dev.err().contains("for changes; Ctrl-C to stop"), dev, "the watch to start");
            String first = image();
            assertTrue(first.matches("devit-web:0\\.0\\.0-[0-9a-f]{7}"), first + "\n" + dev.err());
            assertTrue(dev.err().contains("building " + first), dev.err());
            assertEquals("v1", run(first));

            // a burst of three saves: one round, a new image in the Deployment; the build command's own output
            // (out/app.sh, in the image) does not start another round
            for (int i = 2; i <= 4; i++) {
                write("src/app.sh", "echo v" + i + "\n");
                Thread.sleep(60);
            }
            await(() -> rounds(dev).size() == 1, dev, "the round of the burst");
            assertTrue(rounds(dev).get(0).matches("✓ src/app\\.sh changed -> web redeployed in [0-9.ms]+"),
                    dev.err());
            String second = image();
            assertNotEquals(first, second, dev.err());
            assertEquals("v4", run(second));

            // files the image does not use and .git trigger nothing
            mock.clearRequests();
            write("notes.md", "still not part of the image\n");
            write(".git/info/exclude", "# touched\n");
            write("out/stray.txt", "ignored by .dockerignore\n");
            Thread.sleep(2000);
            assertEquals(1, rounds(dev).size(), dev.err());
            assertEquals(List.of(), mock.writes(), dev.err());

            // a Dockerfile step that fails: one error line, the Deployment keeps the last good image
            write("Dockerfile", "ARG BASE\nFROM ${BASE}\nRUN exit 3\nCOPY out/app.sh /app.sh\n");
            await(() -> rounds(dev).size() == 2, dev, "the round of the broken Dockerfile");
            String failed = rounds(dev).get(1);
            assertTrue(failed.startsWith("error: Dockerfile changed -> web failed: "), dev.err());
            assertTrue(failed.endsWith("the last good version keeps running)"), dev.err());
            assertEquals(second, image(), dev.err());

            // fixed: the next round recovers
            write("Dockerfile", "ARG BASE\nFROM ${BASE}\nLABEL fixed=yes\nCOPY out/app.sh /app.sh\n"
                    + "CMD [\"/bin/busybox\", \"sh\", \"/app.sh\"]\n");
            await(() -> rounds(dev).size() == 3, dev, "the round of the fixed Dockerfile");
            assertTrue(rounds(dev).get(2).startsWith("✓ Dockerfile changed -> web redeployed in "), dev.err());
            String third = image();
            assertNotEquals(second, third, dev.err());
            assertEquals("v4", run(third));

            // saved again with the same content: a round that builds nothing and writes nothing says so
            mock.clearRequests();
            write("src/app.sh", "echo v4\n");
            await(() -> rounds(dev).size() == 4, dev, "the round of the unchanged save");
            assertTrue(rounds(dev).get(3).matches("✓ src/app\\.sh changed -> web unchanged in [0-9.ms]+"),
                    dev.err());
            assertEquals(List.of(), mock.writes(), dev.err());
            assertEquals(third, image(), dev.err());
            assertFalse(dev.err().contains("\tat "), dev.err());
        } finally {
            // Ctrl-C: the watch ends with exit 0 and --cleanup tears the app down
            CliRunner.Result end = dev.stop(Duration.ofSeconds(60));
            assertEquals(ExitCode.OK, end.exitCode(), end.err());
        }
        assertNull(mock.admin().apps().deployments().inNamespace("default").withName("web").get(), dev.err());
        assertEquals(4, rounds(dev).size(), dev.err());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static List<String> rounds(CliRunner.Running dev) {
        return dev.err().lines().filter(l -> l.contains(" changed -> ")).toList();
    }

    private String image() {
        Deployment d = mock.admin().apps().deployments().inNamespace("default").withName("web").get();
        assertTrue(d != null, "no Deployment web on the mock API server");
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private String run(String image) {
        var r = docker("run", "--rm", "--network", "none", image);
        assertEquals(0, r.exitCode(), r.describe());
        return r.out().strip();
    }

    private static void await(BooleanSupplier condition, CliRunner.Running dev, String what) throws Exception {
        long deadline = System.nanoTime() + ROUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (!dev.isAlive()) {
                fail("devk8s dev ended while waiting for " + what + "\n--- stderr ---\n" + dev.err());
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + ROUND + "\n--- stderr ---\n" + dev.err());
            }
            Thread.sleep(50);
        }
    }

    private Path write(String rel, String text) throws Exception {
        Path p = project.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private DockerDaemon daemon() {
        return DockerDaemon.connect(DockerEngine.fromMinikube(Map.of("DOCKER_TLS_VERIFY", "1",
                "DOCKER_HOST", TestDockerEngine.tlsHost(), "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString()),
                TestDockerEngine.cleanEnvironment(cluster.dir(), Map.of())));
    }

    private Processes.Result docker(String... args) {
        return TestDockerEngine.cli("docker", cluster.dir(), cluster.dir().resolve("docker-config"), args);
    }
}
