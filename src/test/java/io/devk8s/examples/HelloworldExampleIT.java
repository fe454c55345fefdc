package io.devk8s.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.devk8s.Environment;
import io.devk8s.adapter.docker.BuildContext;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.docker.DockerEngine;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.process.ProcessRunner.Invocation;
import io.devk8s.adapter.process.ProcessRunner.Result;
import io.devk8s.config.AppConfig;
import io.devk8s.config.ProjectFileLoader;
import io.devk8s.support.Processes;
import io.devk8s.support.TestDockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/helloworld as devk8s.yaml describes it, on the real engine: its build command's Go build for the
 * daemon's TARGETOS/TARGETARCH, then its image built through the streamed context with BASE set to a base made
 * here from busybox (no registry is reachable), labelled with the input digest, and run with {@code -version}.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HelloworldExampleIT {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir
    Path home;

    private final List<String> images = new ArrayList<>();

    @Test
    void should_build_the_example_image_from_a_local_busybox_base_and_run_its_version() throws Exception {
        ProcessRunner goRunner = new ProcessRunner(new Environment(HelloworldExampleTest.goEnv(), home));
        var go = goRunner.which("go");
        Assumptions.assumeTrue(go.isPresent(), "go is not installed (scripts/test.sh installs golang-go)");
        if (!Files.isRegularFile(BUSYBOX)) {
            fail(BUSYBOX + " is missing: install busybox-static (scripts/test.sh does)");
        }
        Path example = home.resolve("helloworld");
        io.devk8s.support.ExampleCopies.copyTree(HelloworldExampleTest.EXAMPLE, example);
        AppConfig app = new ProjectFileLoader().load(example.resolve("devk8s.yaml")).app("helloworld").orElseThrow();

        try (DockerDaemon daemon = DockerDaemon.connect(DockerEngine.fromMinikube(Map.of("DOCKER_TLS_VERIFY", "1",
                "DOCKER_HOST", TestDockerEngine.tlsHost(), "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString()),
                TestDockerEngine.cleanEnvironment(home, Map.of())))) {
            // the base image: busybox on scratch
            String base = "devk8s-it/busybox-base:" + shortId();
            TestDockerEngine.buildBusyboxBase(daemon, home.resolve("base"), base);
            images.add(base);

            // the build command of devk8s.yaml, for the daemon's platform
            String version = "v0.0.1-it";
            Map<String, String> env = new HashMap<>(app.build().orElseThrow().env());
            env.put("GOOS", daemon.info().targetOs());
            env.put("GOARCH", daemon.info().targetArch());
            Invocation build = Invocation.of(go.get(), "build", "-ldflags", "-X=main.version=" + version,
                    "-o", "bin/helloworld", "./cmd/helloworld").withWorkDir(app.build().orElseThrow().dir())
                    .withTimeout(Duration.ofMinutes(5));
            for (var e : env.entrySet()) {
                build = build.withEnv(e.getKey(), e.getValue());
            }
            Result built = goRunner.run(build);
            assertEquals(0, built.exitCode(), built.output());

            BuildContext context = BuildContext.scan(app.context(), app.dockerfile());
            assertEquals(List.of(".dockerignore", "Dockerfile", "bin/helloworld"), context.paths());
            Map<String, String> args = Map.of("BASE", base, "VERSION", version);
            String digest = context.inputDigest(args, app.target());
            String tag = app.repository() + "-it:" + version;
            daemon.build(context, new DockerDaemon.BuildRequest(List.of(tag), args, app.target(),
                    Map.of(DockerDaemon.INPUT_DIGEST_LABEL, digest)), line -> { });
            images.add(tag);
            assertTrue(daemon.findByInputDigest(digest).isPresent());

            var run = docker("run", "--rm", "--network", "none", tag, "-version");
            assertEquals(0, run.exitCode(), run.describe());
            assertEquals(version, run.out().strip());
        }
    }

    @AfterEach
    void removeImages() throws Exception {
        for (String i : images) {
            docker("rmi", "-f", i);
        }
    }

    private Processes.Result docker(String... args) {
        return TestDockerEngine.cli("docker", home, home.resolve("docker-config"), args);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
