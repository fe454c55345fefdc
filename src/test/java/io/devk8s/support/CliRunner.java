package io.devk8s.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.devk8s.Environment;
import io.devk8s.Services;
import io.devk8s.cli.Devk8sCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the real CLI in-process with captured stdout/stderr and an environment of the test's choosing.
 */
public final class CliRunner {
    private final Map<String, String> env = new HashMap<>();
    private Path workDir = Path.of("").toAbsolutePath();
    private Devk8sCommand.ServicesFactory factory = Services::new;

    public CliRunner() {
        // keep colours and the user's real cluster settings out of tests
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("KUBE") && !k.startsWith("MINIKUBE") && !k.startsWith("DOCKER")) {
                env.put(k, v);
            }
        });
        env.put("NO_COLOR", "1");
    }

    public CliRunner env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public CliRunner workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    public CliRunner services(Devk8sCommand.ServicesFactory factory) {
        this.factory = factory;
        return this;
    }

    public Environment environment() {
        return new Environment(env, workDir);
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Devk8sCommand root = new Devk8sCommand(environment(), factory);
        // as devk8s runs: only the command being run is built in full (LazyCommandTreeTest compares it with the whole tree)
        int code = Devk8sCommand.commandLineFor(root, new PrintWriter(out, true), new PrintWriter(err, true), args)
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs and fails the test, showing both streams, when the exit code is not the expected one. */
    public Result runAndExpect(int exitCode, String... args) {
        Result r = run(args);
        assertEquals(exitCode, r.exitCode(), () -> "devk8s " + String.join(" ", args)
                + "\n--- stdout ---\n" + r.out() + "\n--- stderr ---\n" + r.err());
        return r;
    }

    public record Result(int exitCode, String out, String err) {
        /** stderr without trailing newline; for one-line error checks. */
        public String errLines() {
            return err.strip();
        }
    }
}
