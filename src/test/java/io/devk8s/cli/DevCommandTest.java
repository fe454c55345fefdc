package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code devk8s dev}'s bad input: refused in one line before any cluster, daemon or file watch is touched. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DevCommandTest {
    @TempDir
    Path dir;

    private CliRunner cli() throws Exception {
        Files.writeString(dir.resolve("devk8s.yaml"), """
                project: demo
                apps:
                  - name: helloworld
                    image: helloworld
                    manifests: [deploy.yaml]
                """);
        Files.writeString(dir.resolve("deploy.yaml"), "kind: Deployment\n");
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        // no minikube and no kubeconfig: reaching either would fail differently (exit 3)
        return new CliRunner().workDir(dir).env("PATH", dir.toString()).env("HOME", dir.toString())
                .env("KUBECONFIG", dir.resolve("none").toString());
    }

    @Test
    void should_refuse_an_unknown_app_with_the_closest_name() throws Exception {
        CliRunner.Result r = cli().runAndExpect(ExitCode.USAGE, "dev", "helloword");
        assertTrue(r.errLines().endsWith("did you mean 'helloworld'? (apps: helloworld)"), r.err());
        assertEquals(1, r.errLines().lines().count(), r.err());
    }

    @Test
    void should_refuse_a_build_arg_without_a_value() throws Exception {
        CliRunner.Result r = cli().runAndExpect(ExitCode.USAGE, "dev", "--build-arg", "BASE");
        assertTrue(r.errLines().contains("--build-arg BASE: expected KEY=VALUE"), r.err());
    }

    @Test
    void should_refuse_a_poll_interval_below_50ms_and_a_bad_duration() throws Exception {
        CliRunner.Result fast = cli().runAndExpect(ExitCode.USAGE, "dev", "--poll=10ms");
        assertTrue(fast.errLines().contains("--poll 10ms: poll at most every 50ms"), fast.err());
        CliRunner.Result bad = cli().runAndExpect(ExitCode.USAGE, "dev", "--poll=soon");
        assertTrue(bad.errLines().contains("'soon' is not a duration"), bad.err());
    }

    @Test
    void should_refuse_to_run_without_a_project_file() throws Exception {
        CliRunner runner = cli();
        Files.delete(dir.resolve("devk8s.yaml"));
        CliRunner.Result r = runner.runAndExpect(ExitCode.USAGE, "dev");
        assertTrue(r.errLines().startsWith("error: no devk8s.yaml in " + dir), r.err());
        assertTrue(r.errLines().endsWith("pass -f PATH"), r.err());
    }
}
