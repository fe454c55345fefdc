package io.devk8s.adapter.process;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs external executables (minikube, docker, kubectl, ...) the way a shell would: looked up on the PATH of
 * the {@link Environment} (not the JVM's), with the Environment's variables, stdin closed, output captured
 * or streamed line by line, and a timeout.
 */
public final class ProcessRunner {
    private final Environment environment;
    private final Terminal terminal;

    /**
     * Where {@link #inheritTerminal} runs a process: in this process's terminal, or in the terminal of the
     * {@code devk8s} command a background process serves (which runs it there and answers with its exit code).
     */
    @FunctionalInterface
    public interface Terminal {
        /**
         * Runs {@code command} with the terminal attached, its environment exactly {@code env}, in {@code dir}.
         *
         * @throws IOException when it cannot be started (the message says why)
         */
        int run(List<String> command, Map<String, String> env, Path dir) throws IOException, InterruptedException;
    }

    public ProcessRunner(Environment environment) {
        this(environment, null);
    }

    /** @param terminal where terminal processes run; null: this process's terminal */
    public ProcessRunner(Environment environment, Terminal terminal) {
        this.environment = environment;
        this.terminal = terminal;
    }

    public Environment environment() {
        return environment;
    }

    /** The first executable file named {@code name} on the Environment's PATH (with PATHEXT on Windows). */
    public Optional<Path> which(String name) {
        if (name.contains("/") || name.contains(File.separator)) {
            Path p = environment.resolve(name);
            return isExecutableFile(p) ? Optional.of(p) : Optional.empty();
        }
        String path = environment.get("PATH").orElse("");
        List<String> suffixes = new ArrayList<>();
        suffixes.add("");
        if (isWindows()) {
            for (String ext : environment.get("PATHEXT").orElse(".EXE;.BAT;.CMD").split(";")) {
                if (!ext.isBlank()) {
                    suffixes.add(ext.toLowerCase(Locale.ROOT));
                    suffixes.add(ext.toUpperCase(Locale.ROOT));
                }
            }
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String suffix : suffixes) {
                try {
                    // a relative entry is relative to the command's working directory (a shell's is its own)
                    Path candidate = environment.workDir().resolve(Path.of(dir, name + suffix));
                    if (isExecutableFile(candidate)) {
                        return Optional.of(candidate.toAbsolutePath());
                    }
                } catch (InvalidPathException ignored) {
                    // a malformed PATH entry: skip it like a shell would
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The executable to run: {@code explicit} when given (it must exist and be executable), else {@code name}
     * looked up on PATH. A missing one is a precondition failure (exit 3) saying where to get it.
     *
     * @param installHint where to get the tool, e.g. {@code https://minikube.sigs.k8s.io/docs/start/}
     * @param flag the flag that overrides the lookup (e.g. {@code --minikube}), named in the error; may be null
     */
    public Path locate(String name, Path explicit, String installHint, String flag) {
        if (explicit != null) {
            if (!isExecutableFile(explicit)) {
                throw Devk8sException.precondition((flag == null ? "" : flag + " ") + explicit
                        + ": no executable file there; point it at the " + name + " binary or install " + name
                        + " from " + installHint);
            }
            return explicit;
        }
        return which(name).orElseThrow(() -> Devk8sException.precondition(
                name + " not found on PATH; install it from " + installHint
                        + (flag == null ? "" : " or pass " + flag + " PATH")));
    }

    /** Runs to completion and captures stdout and stderr. A timeout kills the process and fails (exit 1). */
    public Result run(Invocation invocation) {
        Process process = start(invocation, false);
        StreamCollector out = new StreamCollector(process.getInputStream(), null);
        StreamCollector err = new StreamCollector(process.getErrorStream(), null);
        out.start();
        err.start();
        int code = await(process, invocation);
        return new Result(code, out.text(), err.text());
    }

    /**
     * Runs to completion with {@code stdin} written to its standard input (then closed), capturing stdout and
     * stderr, as a credential helper is asked. A timeout kills the process and fails (exit 1).
     */
    public Result run(Invocation invocation, String stdin) {
        ProcessBuilder pb = builder(invocation);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw Devk8sException.precondition("couldn't run " + invocation.executable() + ": " + e.getMessage()
                    + "; check that it is an executable for this machine");
        }
        StreamCollector out = new StreamCollector(process.getInputStream(), null);
        StreamCollector err = new StreamCollector(process.getErrorStream(), null);
        out.start();
        err.start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the process ended without reading its input; its exit code and output tell why
        }
        int code = await(process, invocation);
        return new Result(code, out.text(), err.text());
    }

    /**
     * Runs to completion, passing each line of output (stdout and stderr merged, in order) to {@code lines}
     * as it arrives. Returns the exit code and the captured output as well.
     */
    public Result stream(Invocation invocation, Consumer<String> lines) {
        Process process = start(invocation, true);
        StreamCollector out = new StreamCollector(process.getInputStream(), lines);
        out.start();
        int code = await(process, invocation);
        return new Result(code, out.text(), "");
    }

    /**
     * Runs with this terminal attached: stdin, stdout and stderr are the caller's (sudo may ask for a password,
     * a build prints its progress, a shell talks to the user). Waits without a timeout, since the user is at
     * the keyboard and can stop it; returns the exit code.
     */
    public int inheritTerminal(Invocation invocation) {
        ProcessBuilder pb = builder(invocation).inheritIO();
        if (terminal != null) {
            try {
                return terminal.run(pb.command(), pb.environment(), pb.directory().toPath());
            } catch (IOException e) {
                throw couldNotRun(invocation, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Devk8sException.failure("interrupted while running `" + invocation.display() + "`");
            }
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw couldNotRun(invocation, e);
        }
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw Devk8sException.failure("interrupted while running `" + invocation.display() + "`");
        }
    }

    private static Devk8sException couldNotRun(Invocation invocation, IOException e) {
        return Devk8sException.precondition("couldn't run " + invocation.executable() + ": " + e.getMessage()
                + "; check that it is an executable for this machine");
    }

    private Process start(Invocation invocation, boolean mergeErr) {
        ProcessBuilder pb = builder(invocation);
        pb.redirectErrorStream(mergeErr);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            return p;
        } catch (IOException e) {
            throw Devk8sException.precondition("couldn't run " + invocation.executable() + ": " + e.getMessage()
                    + "; check that it is an executable for this machine");
        }
    }

    /** The process as the invocation describes it, with this environment's variables and working directory. */
    private ProcessBuilder builder(Invocation invocation) {
        List<String> command = new ArrayList<>();
        command.add(invocation.executable().toString());
        command.addAll(invocation.args());
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(environment.variables());
        invocation.env().forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        pb.directory((invocation.workDir() == null ? environment.workDir() : invocation.workDir()).toFile());
        return pb;
    }

    private static int await(Process process, Invocation invocation) {
        try {
            if (!process.waitFor(invocation.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw Devk8sException.failure("`" + invocation.display() + "` did not finish within "
                        + invocation.timeout().toSeconds() + "s and was stopped");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw Devk8sException.failure("interrupted while running `" + invocation.display() + "`");
        }
    }

    /**
     * Kills the process and every process it started. The process goes first: killed after its children, a shell
     * script would see its child end and run its next line (writing a file, say) before its own end came.
     */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList(); // before they are orphaned
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** What to run: an executable, its arguments, extra variables (null removes one), a timeout, a directory. */
    public record Invocation(Path executable, List<String> args, Map<String, String> env, Duration timeout,
                             Path workDir) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

        public Invocation {
            args = List.copyOf(args);
            env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        }

        public static Invocation of(Path executable, List<String> args) {
            return new Invocation(executable, args, Map.of(), DEFAULT_TIMEOUT, null);
        }

        public static Invocation of(Path executable, String... args) {
            return of(executable, List.of(args));
        }

        public Invocation withTimeout(Duration timeout) {
            return new Invocation(executable, args, env, timeout, workDir);
        }

        public Invocation withEnv(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(env);
            copy.put(name, value);
            return new Invocation(executable, args, copy, timeout, workDir);
        }

        public Invocation withWorkDir(Path dir) {
            return new Invocation(executable, args, env, timeout, dir);
        }

        /** The command line as a user would type it (executable file name, not its full path). */
        public String display() {
            Path name = executable.getFileName();
            return (name == null ? executable.toString() : name.toString())
                    + (args.isEmpty() ? "" : " " + String.join(" ", args));
        }
    }

    /** How a process ended and what it printed. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** stdout and stderr together, for looking for a message wherever the tool printed it. */
        public String output() {
            return stderr.isEmpty() ? stdout : stdout + (stdout.endsWith("\n") || stdout.isEmpty() ? "" : "\n") + stderr;
        }
    }

    private static final class StreamCollector extends Thread {
        private final InputStream in;
        private final Consumer<String> lines;
        private final StringBuilder text = new StringBuilder();
        private IOException failure;

        StreamCollector(InputStream in, Consumer<String> lines) {
            super("process-output");
            setDaemon(true);
            this.in = in;
            this.lines = lines;
        }

        @Override
        public void run() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (text) {
                        text.append(line).append('\n');
                    }
                    if (lines != null) {
                        lines.accept(line);
                    }
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        String text() {
            try {
                join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new UncheckedIOException(failure);
            }
            synchronized (text) {
                return text.toString();
            }
        }
    }
}
