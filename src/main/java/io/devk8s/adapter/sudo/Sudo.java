package io.devk8s.adapter.sudo;

import io.devk8s.Environment;
import io.devk8s.adapter.process.ProcessRunner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code sudo}, found on the PATH of the {@link Environment}, run with the terminal attached. */
public final class Sudo {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private final Environment environment;
    private final ProcessRunner runner;

    public Sudo(Environment environment) {
        this(new ProcessRunner(environment));
    }

    /** Sudo started through {@code runner}, in its environment. */
    public Sudo(ProcessRunner runner) {
        this.environment = runner.environment();
        this.runner = runner;
    }

    /** The {@code sudo} executable on PATH, if any. */
    public Optional<Path> find() {
        String path = environment.get("PATH").orElse("");
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "sudo");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code sudo command...} with stdin, stdout and stderr inherited (sudo may ask for a password) and
     * returns its exit code.
     */
    public int run(Path sudo, List<String> command) throws IOException, InterruptedException {
        return runner.inheritTerminal(ProcessRunner.Invocation.of(sudo, command));
    }

    /**
     * Whether this process runs as root (effective uid 0), where sudo adds nothing: a file root cannot write
     * is read-only, immutable or refused by a security policy, never a permission problem sudo would solve.
     */
    public static boolean runningAsRoot() {
        try {
            // Linux: the effective uid is the second number of the Uid: line
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (macOS): ask the JDK
        }
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            return false; // Windows: no uid; elevation there is an Administrator prompt
        }
    }

    /** The command as one line a POSIX shell reads back as the same words. */
    public static String shellQuote(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String arg : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(!arg.isEmpty() && SAFE.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
