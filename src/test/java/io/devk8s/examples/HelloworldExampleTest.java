package io.devk8s.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Environment;
import io.devk8s.adapter.docker.BuildContext;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.process.ProcessRunner.Invocation;
import io.devk8s.adapter.process.ProcessRunner.Result;
import io.devk8s.adapter.template.EnvSubst;
import io.devk8s.config.AppConfig;
import io.devk8s.config.ProjectFileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/helloworld builds offline with the Go toolchain (scripts/test.sh installs Debian's golang-go, so CI
 * never skips; a machine without {@code go} skips), its tests pass, and its project file and context are what
 * devk8s expects.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HelloworldExampleTest {
    static final Path EXAMPLE = Path.of(System.getProperty("devk8s.project.dir", ".")).resolve("examples/helloworld")
            .toAbsolutePath().normalize();

    @TempDir
    Path out;

    /** go with the module proxy off and the local toolchain only: nothing is downloaded. */
    static Map<String, String> goEnv() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("GOTOOLCHAIN", "local");
        env.put("GOPROXY", "off");
        env.put("GOSUMDB", "off");
        env.put("CGO_ENABLED", "0");
        env.remove("GOPATH");
        return env;
    }

    @Test
    void should_build_with_the_version_from_ldflags_and_pass_its_go_tests() {
        ProcessRunner runner = new ProcessRunner(new Environment(goEnv(), EXAMPLE));
        var go = runner.which("go");
        Assumptions.assumeTrue(go.isPresent(), "go is not installed (scripts/test.sh installs golang-go)");

        Result build = runner.run(Invocation.of(go.get(), "build", "-ldflags", "-X=main.version=v1.2.3-20260102.030405",
                "-o", out.toString() + "/", "./...").withTimeout(Duration.ofMinutes(5)));
        assertEquals(0, build.exitCode(), build.output());
        Result version = runner.run(Invocation.of(out.resolve("helloworld"), "-version"));
        assertEquals("v1.2.3-20260102.030405", version.stdout().strip(), version.output());
        Result cli = runner.run(Invocation.of(out.resolve("helloworldcli"), "-version"));
        assertEquals(0, cli.exitCode(), cli.output());

        Result test = runner.run(Invocation.of(go.get(), "test", "./...").withTimeout(Duration.ofMinutes(5)));
        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.stdout().contains("ok  \texample.com/helloworld/cmd/helloworld"), test.stdout());
    }

    @Test
    void should_use_only_the_standard_library() throws Exception {
        String mod = Files.readString(EXAMPLE.resolve("go.mod"));
        assertTrue(!mod.contains("require"), "no module dependencies: " + mod);
    }

    @Test
    void should_send_only_the_binary_and_the_dockerfile_as_build_context() throws Exception {
        Path ctx = out.resolve("ctx");
        Files.createDirectories(ctx.resolve("bin"));
        for (String f : List.of("Dockerfile", ".dockerignore", "go.mod", "devk8s.yaml")) {
            Files.copy(EXAMPLE.resolve(f), ctx.resolve(f));
        }
        Files.createDirectories(ctx.resolve("cmd/helloworld"));
        Files.copy(EXAMPLE.resolve("cmd/helloworld/main.go"), ctx.resolve("cmd/helloworld/main.go"));
        Files.writeString(ctx.resolve("bin/helloworld"), "binary");
        Files.writeString(ctx.resolve("bin/other"), "x");
        assertEquals(List.of(".dockerignore", "Dockerfile", "bin/helloworld"), BuildContext.scan(ctx, "Dockerfile").paths());
    }

    @Test
    void should_have_a_project_file_and_templates_that_use_only_devk8s_variables() throws Exception {
        AppConfig app = new ProjectFileLoader().load(EXAMPLE.resolve("devk8s.yaml")).app("helloworld").orElseThrow();
        assertEquals(3, app.manifests().size());
        assertEquals("gcr.io/distroless/static-debian12", app.buildArgs().get("BASE"));
        Map<String, String> vars = Map.of("APP", "helloworld", "IMAGE", "helloworld:v1", "VERSION", "v1",
                "NAMESPACE", "default", "PROJECT", "examples", "DOMAIN", "minikube");
        for (Path m : app.manifests()) {
            String rendered = new EnvSubst(k -> java.util.Optional.ofNullable(vars.get(k)))
                    .apply(m.getFileName().toString(), Files.readString(m));
            assertTrue(!rendered.contains("${"), rendered);
            if (m.getFileName().toString().contains("deployment")) {
                assertTrue(rendered.contains("image: helloworld:v1"), rendered);
                assertTrue(rendered.contains("imagePullPolicy: IfNotPresent"), rendered);
                assertTrue(rendered.contains("value: \"hello\""), rendered);
            }
        }
    }
}
