package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.support.Processes;
import io.devk8s.support.TestDockerEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The daemon receives the same files from devk8s's streamed context as from {@code docker build}: both build
 * {@code FROM scratch} + {@code COPY . /ctx/} on the real engine scripts/test.sh starts (the docker CLI with
 * its classic builder, devk8s through docker-java over Minikube-style TLS), and the files of the two images,
 * read with {@code docker create} + {@code docker export}, are compared with their types, modes and link targets.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BuildContextIT {
    private static final String COPY_ALL = "FROM scratch\nCOPY . /ctx/\nCMD [\"/none\"]\n";

    @TempDir
    Path home;

    private final List<String> images = new ArrayList<>();
    private final List<String> containers = new ArrayList<>();

    /** A context: its files (a value starting with "-> " is a symbolic link to the rest) and the Dockerfile path. */
    record Case(String name, String dockerfile, Map<String, String> files) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> contexts() {
        return Stream.of(
                new Case("Dockerfile inside an ignored folder", "build/Dockerfile", Map.of(
                        ".dockerignore", "build\n",
                        "build/Dockerfile", COPY_ALL,
                        "build/notes.txt", "n",
                        "src/a.txt", "a")),
                new Case("re-includes", "Dockerfile", Map.of(
                        ".dockerignore", "*.txt\n!keep.txt\n*.md\n!docs/*.md\n",
                        "Dockerfile", COPY_ALL,
                        "a.txt", "a", "keep.txt", "k", "b.md", "b", "sub/c.txt", "c", "docs/d.md", "d")),
                new Case("comments and blanks", "Dockerfile", Map.of(
                        ".dockerignore", "# secret.txt stays\n\n  logs  \n#notes\n #hash\n",
                        "Dockerfile", COPY_ALL,
                        "secret.txt", "s", "logs/x.log", "x", "#notes", "n", "#hash", "h")),
                new Case("double star", "Dockerfile", Map.of(
                        ".dockerignore", "**/*.log\nnode_modules/**\n!**/keep.log\n",
                        "Dockerfile", COPY_ALL,
                        "a.log", "a", "x/y/z.log", "z", "x/y/keep.log", "k",
                        "node_modules/p/index.js", "i", "src/main.go", "m")),
                new Case("a symlink to a folder", "Dockerfile", Map.of(
                        ".dockerignore", "real/secret\n",
                        "Dockerfile", COPY_ALL,
                        "real/a.txt", "a", "real/secret", "s",
                        "link", "-> real", "file-link", "-> real/a.txt", "dangling", "-> no/such/file")),
                new Case("an ignored folder with a re-included file below", "Dockerfile", Map.of(
                        ".dockerignore", "vendor\n!vendor/keep/me.txt\n",
                        "Dockerfile", COPY_ALL,
                        "vendor/a.txt", "a", "vendor/keep/me.txt", "me", "vendor/keep/other.txt", "o",
                        "main.go", "m")),
                new Case("leading slash and dot", "Dockerfile", Map.of(
                        ".dockerignore", "/top.txt\n./dir/x\n",
                        "Dockerfile", COPY_ALL,
                        "top.txt", "t", "sub/top.txt", "s", "dir/x", "x", "dir/y", "y")),
                new Case("Dockerfile and .dockerignore ignored", "Dockerfile", Map.of(
                        ".dockerignore", ".dockerignore\nDockerfile\n*.tmp\n",
                        "Dockerfile", COPY_ALL,
                        "a.tmp", "a", "b.txt", "b")),
                new Case("modes", "Dockerfile", Map.of(
                        "Dockerfile", COPY_ALL,
                        "bin/tool", "#!/bin/sh\n", "private.key", "k", "plain.txt", "p")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contexts")
    void should_give_the_daemon_the_same_files_as_the_docker_cli(Case c) throws Exception {
        Path ctx = Files.createDirectories(home.resolve("ctx-" + UUID.randomUUID()));
        for (Map.Entry<String, String> f : c.files().entrySet()) {
            Path p = ctx.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            if (f.getValue().startsWith("-> ")) {
                Files.createSymbolicLink(p, Path.of(f.getValue().substring(3)));
            } else {
                Files.writeString(p, f.getValue());
            }
        }
        if (c.name().equals("modes")) {
            Files.setPosixFilePermissions(ctx.resolve("bin/tool"), PosixFilePermissions.fromString("rwxr-x--x"));
            Files.setPosixFilePermissions(ctx.resolve("private.key"), PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(ctx.resolve("bin"), PosixFilePermissions.fromString("rwx--x--x"));
        }

        String cliTag = "devk8s-it/cli:" + shortId();
        var cli = docker("build", "-q", "-f", ctx.resolve(c.dockerfile()).toString(), "-t", cliTag, ctx.toString());
        assertEquals(0, cli.exitCode(), cli.describe());
        images.add(cliTag);

        String ourTag = "devk8s-it/devk8s:" + shortId();
        try (DockerDaemon daemon = tlsDaemon()) {
            BuildContext context = BuildContext.scan(ctx, c.dockerfile());
            List<String> output = new ArrayList<>();
            daemon.build(context, new DockerDaemon.BuildRequest(List.of(ourTag), Map.of(), "", Map.of()), output::add);
            images.add(ourTag);
        }

        TreeSet<String> expected = filesOf(cliTag);
        TreeSet<String> actual = filesOf(ourTag);
        assertFalse(expected.isEmpty());
        assertEquals(String.join("\n", expected), String.join("\n", actual), c.name());
    }

    @Test
    void should_label_the_image_with_the_input_digest_find_it_and_retag_it() throws Exception {
        Path ctx = Files.createDirectories(home.resolve("labelled"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nARG GREETING\nCOPY hello.txt /\nCMD [\"/none\"]\n");
        Files.writeString(ctx.resolve("hello.txt"), "hello " + UUID.randomUUID());
        String tag = "devk8s-it/labelled:" + shortId();
        try (DockerDaemon daemon = tlsDaemon()) {
            BuildContext context = BuildContext.scan(ctx, "Dockerfile");
            Map<String, String> args = Map.of("GREETING", "hi");
            String digest = context.inputDigest(args, "");
            assertTrue(daemon.findByInputDigest(digest).isEmpty(), "nothing built from these inputs yet");

            String id = daemon.build(context, new DockerDaemon.BuildRequest(List.of(tag), args, "",
                    Map.of(DockerDaemon.INPUT_DIGEST_LABEL, digest)), line -> { });
            images.add(tag);

            assertEquals(digest, daemon.labels(tag).orElseThrow().get(DockerDaemon.INPUT_DIGEST_LABEL));
            var inspect = docker("image", "inspect", "--format",
                    "{{index .Config.Labels \"" + DockerDaemon.INPUT_DIGEST_LABEL + "\"}}", tag);
            assertEquals(0, inspect.exitCode(), inspect.describe());
            assertEquals(digest, inspect.out().strip(), "the docker CLI sees the same label");

            var found = daemon.findByInputDigest(digest).orElseThrow();
            assertTrue(found.getId().endsWith(id) || found.getId().contains(id), found.getId() + " vs " + id);
            assertTrue(daemon.findByInputDigest(digest.replace(digest.charAt(0), digest.charAt(0) == 'a' ? 'b' : 'a'))
                    .isEmpty(), "another digest finds nothing");

            String retag = "devk8s-it/labelled:" + shortId();
            daemon.tag(found.getId(), retag);
            images.add(retag);
            assertEquals(digest, daemon.labels(retag).orElseThrow().get(DockerDaemon.INPUT_DIGEST_LABEL));
            assertTrue(daemon.labels("devk8s-it/never-built:" + shortId()).isEmpty());
        }
    }

    @Test
    void should_list_the_images_devk8s_built_once_and_answer_every_label_from_that_list() throws Exception {
        Path ctx = Files.createDirectories(home.resolve("listed"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /\nCMD [\"/none\"]\n");
        String inputs = "c".repeat(60) + shortId().substring(0, 4);
        try (DockerDaemon daemon = tlsDaemon()) {
            Map<String, String> ids = new HashMap<>();
            for (String name : List.of("older", "newer", "plain")) {
                Files.writeString(ctx.resolve("hello.txt"), name + " " + UUID.randomUUID());
                BuildContext context = BuildContext.scan(ctx, "Dockerfile");
                String digest = context.inputDigest(Map.of(), "");
                // "plain" carries the same build-inputs label but no input digest: not an image devk8s built
                Map<String, String> labels = name.equals("plain") ? Map.of("devk8s.io/build-inputs", inputs)
                        : Map.of(DockerDaemon.INPUT_DIGEST_LABEL, digest, "devk8s.io/build-inputs", inputs);
                String tag = "devk8s-it/listed-" + name + ":" + shortId();
                daemon.build(context, new DockerDaemon.BuildRequest(List.of(tag), Map.of(), "", labels), line -> { });
                images.add(tag);
                ids.put(name, docker("image", "inspect", "--format", "{{.Id}}", tag).out().strip());
                ids.put(name + "-digest", digest);
                Thread.sleep(1100); // image creation times are in seconds: "newer" is newer
            }

            DockerDaemon.BuiltImages built = daemon.builtImages();
            assertEquals(Optional.of(ids.get("older")),
                    built.newestId(DockerDaemon.INPUT_DIGEST_LABEL, ids.get("older-digest")));
            assertEquals(Optional.of(ids.get("newer")),
                    built.newestId(DockerDaemon.INPUT_DIGEST_LABEL, ids.get("newer-digest")));
            assertEquals(Optional.of(ids.get("newer")), built.newestId("devk8s.io/build-inputs", inputs),
                    "the newest of the two devk8s built with these inputs; the unlabelled one is not listed");
            assertEquals(Optional.empty(), built.newestId(DockerDaemon.INPUT_DIGEST_LABEL,
                    ids.get("plain-digest")));
            assertEquals(Optional.empty(), built.newestId(DockerDaemon.INPUT_DIGEST_LABEL, "0".repeat(64)));
        }
    }

    @Test
    void should_add_every_label_in_one_build_step_and_fall_back_to_the_api_labels_for_a_target_stage()
            throws Exception {
        Path ctx = Files.createDirectories(home.resolve("labels"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch AS base\nCOPY hello.txt /\nLABEL own=yes\n"
                + "FROM base AS final\nCMD [\"/none\"]");   // no line break at the end
        Files.writeString(ctx.resolve("hello.txt"), "hello " + UUID.randomUUID());
        Map<String, String> labels = Map.of(DockerDaemon.INPUT_DIGEST_LABEL, "a".repeat(64),
                "devk8s.io/build-inputs", "b".repeat(64), "app", "web");
        try (DockerDaemon daemon = tlsDaemon()) {
            BuildContext context = BuildContext.scan(ctx, "Dockerfile");
            for (String target : List.of("", "final")) {
                String tag = "devk8s-it/labels:" + shortId();
                List<String> output = new ArrayList<>();
                daemon.build(context, new DockerDaemon.BuildRequest(List.of(tag), Map.of(), target, labels),
                        output::add);
                images.add(tag);
                Map<String, String> all = new HashMap<>(labels);
                all.put("own", "yes");
                assertEquals(all, daemon.labels(tag).orElseThrow(), "target '" + target + "'");
                List<String> labelSteps = output.stream().filter(l -> l.matches("Step \\d+/\\d+ : LABEL .*"))
                        .toList();
                if (target.isEmpty()) { // the stage built is the last one: committed with its trailing CMD, one step
                    assertTrue(output.contains("Step 5/5 : CMD [\"/none\"]; LABEL app=web devk8s.io/build-inputs="
                            + "b".repeat(64) + " devk8s.io/input-digest=" + "a".repeat(64)), output.toString());
                    assertEquals(1, labelSteps.size(), "only the file's own LABEL is a step: " + output);
                } else { // a target: the API's labels, one step each, as the daemon adds them
                    assertEquals(4, labelSteps.size(), output.toString());
                }
            }
            // the file on disk is left as it is
            assertEquals("FROM scratch AS base\nCOPY hello.txt /\nLABEL own=yes\nFROM base AS final\nCMD [\"/none\"]",
                    Files.readString(ctx.resolve("Dockerfile")));
        }
    }

    @Test
    void should_negotiate_the_api_version_and_read_the_target_platform_from_the_daemon() throws Exception {
        var version = docker("version", "--format", "{{.Server.APIVersion}} {{.Server.Os}} {{.Server.Arch}}");
        assertEquals(0, version.exitCode(), version.describe());
        String[] server = version.out().strip().split(" ");
        try (DockerDaemon daemon = tlsDaemon()) {
            DockerDaemon.Info info = daemon.info();
            assertEquals(server[0], info.daemonApiVersion());
            String expected = DockerDaemon.compare(server[0], DockerDaemon.CLIENT_MAX_API) < 0 ? server[0]
                    : DockerDaemon.CLIENT_MAX_API;
            assertEquals(expected, info.apiVersion());
            assertEquals(server[1], info.targetOs());
            assertEquals(server[2], info.targetArch());
            // every call after /version goes to the negotiated /vX.Y/ path: one that the daemon must accept
            assertTrue(daemon.findImageByLabel("devk8s.io/none", shortId()).isEmpty());
        }
    }

    @Test
    void should_fail_the_build_in_one_line_with_the_failing_step() throws Exception {
        Path ctx = Files.createDirectories(home.resolve("failing"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY missing.txt /\n");
        try (DockerDaemon daemon = tlsDaemon()) {
            BuildContext context = BuildContext.scan(ctx, "Dockerfile");
            Devk8sException e = assertThrows(Devk8sException.class, () -> daemon.build(context,
                    new DockerDaemon.BuildRequest(List.of("devk8s-it/failing:" + shortId()), Map.of(), "", Map.of()),
                    line -> { }));
            assertEquals(ExitCode.FAILURE, e.exitCode());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains("missing.txt"), e.getMessage());
        }
    }

    @Test
    void should_fail_in_one_line_naming_the_host_when_the_daemon_is_unreachable() throws Exception {
        String host = "tcp://127.0.0.1:" + closedPort();
        Map<String, String> dockerEnv = Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_HOST", host,
                "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString());
        DockerEngine engine = DockerEngine.fromMinikube(dockerEnv, TestDockerEngine.cleanEnvironment(home, Map.of()));
        Devk8sException e = assertThrows(Devk8sException.class, () -> DockerDaemon.connect(engine));
        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(host), e.getMessage());
        assertTrue(e.getMessage().contains("minikube status"), e.getMessage());
    }

    @AfterEach
    void removeImages() throws Exception {
        for (String c : containers) {
            docker("rm", "-f", c);
        }
        for (String i : images) {
            docker("rmi", "-f", i);
        }
    }

    /** Minikube's way in: TLS with the client certificates, as {@code minikube docker-env} prints it. */
    private DockerDaemon tlsDaemon() {
        Map<String, String> dockerEnv = Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_HOST", TestDockerEngine.tlsHost(),
                "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString(), "MINIKUBE_ACTIVE_DOCKERD", "minikube");
        return DockerDaemon.connect(DockerEngine.fromMinikube(dockerEnv,
                TestDockerEngine.cleanEnvironment(home, Map.of())));
    }

    /** "path type mode [-> target]" of every entry below /ctx of the image, from docker create + docker export. */
    private TreeSet<String> filesOf(String image) throws Exception {
        var created = docker("create", image);
        assertEquals(0, created.exitCode(), created.describe());
        String id = created.out().strip();
        containers.add(id);
        Path tarFile = home.resolve("export-" + UUID.randomUUID() + ".tar");
        var exported = docker("export", "-o", tarFile.toString(), id);
        assertEquals(0, exported.exitCode(), exported.describe());
        TreeSet<String> out = new TreeSet<>();
        try (InputStream in = Files.newInputStream(tarFile); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                if (!name.startsWith("ctx/")) {
                    continue;
                }
                String type = e.isDirectory() ? "dir" : e.isSymbolicLink() ? "link" : "file";
                out.add(name.replaceAll("/$", "") + " " + type + " " + Integer.toOctalString(e.getMode() & 07777)
                        + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
            }
        }
        return out;
    }

    private Processes.Result docker(String... args) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("DOCKER"));
        env.put("DOCKER_HOST", TestDockerEngine.unixHost());
        env.put("DOCKER_BUILDKIT", "0"); // the classic builder, the one the daemon's build API runs
        env.put("DOCKER_CONFIG", home.resolve("docker-config").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        return Processes.run(cmd, env, home, "docker-" + UUID.randomUUID());
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
