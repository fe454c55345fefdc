package io.devk8s;

/**
 * The one exception type for failures a user should read: a single-line message that says what is wrong
 * and how to fix it, plus the exit code. Adapters and services throw it (or a subclass); the CLI prints
 * {@link #getMessage()} as one line and exits with {@link #exitCode()}.
 */
public class Devk8sException extends RuntimeException {
    private final int exitCode;

    public Devk8sException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public Devk8sException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Bad input: a file, line or flag the user has to change. */
    public static Devk8sException usage(String message) {
        return new Devk8sException(ExitCode.USAGE, message);
    }

    /** A missing tool or cluster, or a refused context. */
    public static Devk8sException precondition(String message) {
        return new Devk8sException(ExitCode.PRECONDITION, message);
    }

    public static Devk8sException failure(String message) {
        return new Devk8sException(ExitCode.FAILURE, message);
    }

    public static Devk8sException failure(String message, Throwable cause) {
        return new Devk8sException(ExitCode.FAILURE, message, cause);
    }
}
