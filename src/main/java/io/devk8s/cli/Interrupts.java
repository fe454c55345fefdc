package io.devk8s.cli;

/**
 * Ctrl-C for commands that run until interrupted ({@code logs -f}): SIGINT runs the given action instead of
 * starting the JVM's shutdown, so the command ends normally with its own exit code. Where the signal cannot be
 * handled, the JVM's default applies (and the command's shutdown hook still closes what it opened).
 */
final class Interrupts {
    private Interrupts() {
    }

    static void onInterrupt(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // no SIGINT on this platform or JVM: the shutdown hook does the closing
        }
    }
}
