package io.devk8s;

/** The exit codes of every devk8s command. */
public final class ExitCode {
    public static final int OK = 0;
    /** The command ran and failed (API error, timeout, build failure, ...). */
    public static final int FAILURE = 1;
    /** Bad flags, bad arguments or bad input files. */
    public static final int USAGE = 2;
    /** A tool or cluster the command needs is absent, stopped or refused (doctor's "fail"). */
    public static final int PRECONDITION = 3;

    private ExitCode() {}
}
