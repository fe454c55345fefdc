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

    /**
     * Starts the CLI on a thread of its own, for commands that run until stopped ({@code dev}, {@code logs -f});
     * {@link Running#stop()} interrupts that thread, as Ctrl-C would stop the command, and returns the result.
     */
    public Running start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Devk8sCommand root = new Devk8sCommand(environment(), factory);
        int[] code = {-1};
        Thread thread = new Thread(() -> code[0] = Devk8sCommand.commandLine(root, new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(args), "devk8s " + String.join(" ", args));
        thread.setDaemon(true);
        thread.start();
        return new Running(thread, out, err, code);
    }

    /** A command started with {@link #start}: its output so far, and a way to stop it. */
    public static final class Running {
        private final Thread thread;
        private final StringWriter out;
        private final StringWriter err;
        private final int[] code;

        Running(Thread thread, StringWriter out, StringWriter err, int[] code) {
            this.thread = thread;
            this.out = out;
            this.err = err;
            this.code = code;
        }

        public String out() {
            return out.toString();
        }

        public String err() {
            return err.toString();
        }

        public boolean isAlive() {
            return thread.isAlive();
        }

        /** Interrupts the command and waits up to {@code timeout} for it to end. */
        public Result stop(java.time.Duration timeout) throws InterruptedException {
            thread.interrupt();
            thread.join(timeout.toMillis());
            if (thread.isAlive()) {
                throw new AssertionError("the command did not end within " + timeout + " of the interrupt\n--- stderr ---\n"
                        + err());
            }
            return new Result(code[0], out(), err());
        }
    }

    public record Result(int exitCode, String out, String err) {
        /** stderr without trailing newline; for one-line error checks. */
        public String errLines() {
            return err.strip();
        }
    }
}
