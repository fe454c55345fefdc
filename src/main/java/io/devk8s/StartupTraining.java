package io.devk8s;

import java.io.PrintWriter;

/**
 * The training run of the small start-up archive ({@code install.sh} and the launcher record it): runs each
 * argument as a devk8s command line, its words separated by commas or spaces ({@code help,hosts}: the shell
 * scripts pass the arguments through word splitting), one after the other in one JVM, so one archive holds the
 * classes of all of them ({@code --version}, the root's {@code --help}, and picocli's parsing and help for
 * {@code help X} and {@code hosts}; the word {@code daemon-client}: passing a command on to the background process,
 * over a socket to a stand-in). Same class path as {@link Devk8s}, which the archive is then used with.
 * Exits 0 only when every command line did.
 */
public final class StartupTraining {

    /** The word that stands for passing a command on to the background process ({@link DaemonClient}). */
    static final String DAEMON_CLIENT = "daemon-client";

    private StartupTraining() {}

    private static int daemonClient(PrintWriter err) {
        try {
            DaemonClient.trainingRun();
            return ExitCode.OK;
        } catch (java.io.IOException | RuntimeException e) {
            err.println("training run: passing a command on failed: " + e);
            return ExitCode.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILURE;
        }
    }

    public static void main(String[] commandLines) {
        Devk8s.configureLogging(new String[0]);
        PrintWriter out = Devk8s.writer(System.out);
        PrintWriter err = Devk8s.writer(System.err);
        int worst = ExitCode.OK;
        for (String commandLine : commandLines) {
            if (commandLine.equals(DAEMON_CLIENT)) {
                worst = Math.max(worst, daemonClient(err));
                continue;
            }
            String[] args = commandLine.isBlank() ? new String[0] : commandLine.trim().split("[ ,]+");
            int code = Devk8s.run(args, out, err);
            worst = Math.max(worst, code);
        }
        out.flush();
        err.flush();
        System.exit(worst);
    }
}
