package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devk8s.Environment;
import io.devk8s.support.Processes;
import io.devk8s.support.TestDockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Dockerfile whose last instructions only set configuration, built by devk8s (its head through the builder, the
 * rest in one commit) and by the docker CLI's classic builder on the real engine (TLS listener, like Minikube's):
 * both images have the same configuration, labels included, and the same filesystem. Also the Dockerfiles devk8s
 * builds whole (a CMD of the stage before an ENTRYPOINT, no command at all, a {@code $}), for the same comparison.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DockerfileTailIT {
    private static final String BASE = "devk8s-it/tail-base:" + UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE_WITH_COMMAND = BASE + "-cmd";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> IMAGES = new ArrayList<>();
    private static Path work;

    @TempDir
    Path home;

    @BeforeAll
    static void bases(@TempDir Path dir) throws Exception {
        work = dir;
        try (DockerDaemon daemon = connect(dir)) {
            TestDockerEngine.buildBusyboxBase(daemon, dir.resolve("base"), BASE);
            TestDockerEngine.buildBusyboxBase(daemon, dir.resolve("base-cmd"), BASE_WITH_COMMAND,
                    "ENTRYPOINT [\"/bin/busybox\"]", "CMD [\"sh\"]", "ENV FROM_BASE=1");
        }
        IMAGES.add(BASE);
        IMAGES.add(BASE_WITH_COMMAND);
    }

    @AfterAll
    static void removeImages() {
        for (String image : IMAGES) {
            TestDockerEngine.cli("docker", work, work.resolve(".docker"), "image", "rm", "-f", image);
        }
    }

    private static DockerDaemon connect(Path home) {
        Environment env = TestDockerEngine.cleanEnvironment(home, Map.of("DOCKER_HOST", TestDockerEngine.tlsHost(),
                "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString()));
        return DockerDaemon.connect(DockerEngine.fromEnvironment(env));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an app on a bare base: user, port, exec-form entrypoint | BASE | USER 65532:65532\\nEXPOSE 8080\\nENTRYPOINT ["/app"] | true
            a shell-form entrypoint drops the base's CMD | CMD | ENTRYPOINT /bin/busybox echo hi | true
            a CMD keeps the base's entrypoint | CMD | CMD ["echo", "hi"] | true
            env, quoted labels, ports with protocols | CMD | ENV A=1 B="two words"\\nLABEL "x y"="z" k=v\\nEXPOSE 53/udp 80\\nCMD ["ls"] | true
            a CMD then an ENTRYPOINT, both in the tail | BASE | CMD ["x"]\\nENTRYPOINT ["/bin/busybox"] | true
            lower-case instructions and a SHELL before the tail | BASE | SHELL ["/bin/busybox", "sh", "-c"]\\nRUN ["/bin/busybox", "true"]\\nentrypoint echo hi\\nuser 1:1 | true
            a CMD of the stage before the tail's ENTRYPOINT: built whole | BASE | CMD ["keep"]\\nRUN ["/bin/busybox", "true"]\\nENTRYPOINT ["/bin/busybox"] | false
            no command at all: built whole | BASE | USER 7\\nLABEL only=labels | false
            a build argument in the tail: only what follows it is committed | CMD | ARG P=9090\\nEXPOSE $P\\nUSER 5 | true
            """)
    void should_give_the_same_image_as_the_classic_builder(String what, String base, String tail, boolean oneCommit)
            throws Exception {
        Path ctx = Files.createDirectories(home.resolve("ctx"));
        Files.writeString(ctx.resolve("app"), "the app " + what + "\n");
        String dockerfile = "FROM " + (base.equals("CMD") ? BASE_WITH_COMMAND : BASE) + "\nCOPY app /app\n"
                + tail.replace("\\n", "\n") + "\n";
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        String id = UUID.randomUUID().toString().substring(0, 8);
        String ours = "devk8s-it/tail:" + id;
        String theirs = "devk8s-it/tail-cli:" + id;
        IMAGES.add(ours);
        IMAGES.add(theirs);
        Map<String, String> labels = Map.of("devk8s.io/input-digest", "abc123", "app", "tail");

        List<String> output = new ArrayList<>();
        try (DockerDaemon daemon = connect(home)) {
            daemon.build(BuildContext.scan(ctx, "Dockerfile"),
                    new DockerDaemon.BuildRequest(List.of(ours), Map.of(), "", labels), output::add);
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("DOCKER"));
        env.put("DOCKER_HOST", TestDockerEngine.unixHost());
        env.put("DOCKER_CONFIG", home.resolve(".docker").toString());
        env.put("DOCKER_BUILDKIT", "0");
        Processes.Result cli = Processes.run(List.of("docker", "build", "-q", "-t", theirs, "--label",
                "devk8s.io/input-digest=abc123", "--label", "app=tail", "."), env, ctx, "docker-build-" + id);
        assertEquals(0, cli.exitCode(), cli.describe());

        assertEquals(config(theirs), config(ours), what + "\n" + String.join("\n", output));
        // committed: the tail and the labels on one step line (a whole build has the labels on a line of their own)
        boolean committed = output.stream().anyMatch(l -> l.matches("Step (\\d+)/\\1 : .*")
                && l.contains("; LABEL app=tail devk8s.io/input-digest=abc123"));
        assertEquals(oneCommit, committed, String.join("\n", output));
        // the same files: the app as copied
        assertEquals("the app " + what + "\n", run(ours));
    }

    /** The parts of the image's configuration a container gets (not the parent's id, which differs by design). */
    private JsonNode config(String image) throws Exception {
        Processes.Result r = TestDockerEngine.cli("docker", home, home.resolve(".docker"), "image", "inspect",
                "--format", "{{json .Config}}", image);
        assertEquals(0, r.exitCode(), r.describe());
        ObjectNode config = (ObjectNode) JSON.readTree(r.out());
        config.remove(List.of("Image", "Hostname", "Domainname"));
        return config;
    }

    /** {@code /app} of the image, read by its busybox. */
    private String run(String image) {
        Processes.Result r = TestDockerEngine.cli("docker", home, home.resolve(".docker"), "run", "--rm",
                "--entrypoint", "/bin/busybox", "--user", "0", image, "cat", "/app");
        assertEquals(0, r.exitCode(), r.describe());
        return r.out();
    }

    @org.junit.jupiter.api.Test
    void should_say_the_committed_step_in_the_builders_words_and_tag_every_tag() throws Exception {
        Path ctx = Files.createDirectories(home.resolve("ctx2"));
        Files.writeString(ctx.resolve("app"), "x\n");
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + BASE + "\nCOPY app /app\nUSER 1\nCMD [\"x\"]\n");
        String id = UUID.randomUUID().toString().substring(0, 8);
        List<String> tags = List.of("devk8s-it/tail:a" + id, "devk8s-it/tail:b" + id);
        IMAGES.addAll(tags);
        List<String> output = new ArrayList<>();
        String containersBefore = containers();
        String built;
        try (DockerDaemon daemon = connect(home)) {
            built = daemon.build(BuildContext.scan(ctx, "Dockerfile"),
                    new DockerDaemon.BuildRequest(tags, Map.of(), "", Map.of("app", "x")), output::add);
        }
        assertTrue(output.contains("Step 3/3 : USER 1; CMD [\"x\"]; LABEL app=x"), String.join("\n", output));
        for (String tag : tags) {
            Processes.Result r = TestDockerEngine.cli("docker", home, home.resolve(".docker"), "image", "inspect",
                    "--format", "{{.Id}}", tag);
            assertEquals(built, r.out().strip(), r.describe());
        }
        assertEquals(containersBefore, containers(), "the container the commit used is gone");
    }

    @org.junit.jupiter.api.Test
    void should_name_the_image_when_a_step_of_the_head_or_of_the_commit_fails() throws Exception {
        Path ctx = Files.createDirectories(home.resolve("ctx3"));
        String tag = "devk8s-it/tail:f" + UUID.randomUUID().toString().substring(0, 8);
        IMAGES.add(tag);
        try (DockerDaemon daemon = connect(home)) {
            Files.writeString(ctx.resolve("Dockerfile"), "FROM " + BASE + "\nRUN [\"/bin/busybox\", \"false\"]\n"
                    + "USER 1\nCMD [\"x\"]\n");
            var head = org.junit.jupiter.api.Assertions.assertThrows(io.devk8s.Devk8sException.class, () ->
                    daemon.build(BuildContext.scan(ctx, "Dockerfile"),
                            new DockerDaemon.BuildRequest(List.of(tag), Map.of(), "", Map.of()), line -> { }));
            assertTrue(head.getMessage().startsWith("docker build of " + tag + " failed: "), head.getMessage());
            Files.writeString(ctx.resolve("Dockerfile"), "FROM " + BASE + "\nEXPOSE not-a-port\nCMD [\"x\"]\n");
            var tail = org.junit.jupiter.api.Assertions.assertThrows(io.devk8s.Devk8sException.class, () ->
                    daemon.build(BuildContext.scan(ctx, "Dockerfile"),
                            new DockerDaemon.BuildRequest(List.of(tag), Map.of(), "", Map.of()), line -> { }));
            assertTrue(tail.getMessage().startsWith("docker build of " + tag + " failed: "), tail.getMessage());
            assertTrue(tail.getMessage().contains("not-a-port"), tail.getMessage());
        }
    }

    private String containers() {
        Processes.Result ps = TestDockerEngine.cli("docker", home, home.resolve(".docker"), "ps", "-a", "-q");
        assertEquals(0, ps.exitCode(), ps.describe());
        return ps.out().strip();
    }
}
