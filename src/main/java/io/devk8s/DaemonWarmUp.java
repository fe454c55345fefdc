package io.devk8s;

import io.devk8s.cli.Devk8sCommand;
import io.devk8s.service.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The background process's first idle moments: it runs {@code up} and {@code status} a few times against the
 * training sandbox ({@link TrainingRun#inSandbox}: an API server that holds nothing and a minikube stand-in on this
 * machine's loopback address, plain HTTP, a folder in the process's own folder next to its socket, removed
 * afterwards; one left by a process stopped meanwhile is removed by the next), with their output discarded, so
 * that the JIT has compiled the code of rendering, parsing, planning, applying and reading before the user's next
 * commands need it. A new process ran its first few {@code up}s at about twice the time of its later ones.
 *
 * <p>It starts when the command that started the process is done, runs each of its commands only while no
 * devk8s command runs and the machine's other processes have left the CPUs mostly idle for a moment
 * ({@link QuietMachine}: a build or test run goes first; a command that arrives meanwhile shares the CPU with it
 * for at most one command), stops after
 * {@code rounds} rounds, and never runs again in that process. {@code DEVK8S_DAEMON_WARMUP} sets the number of
 * rounds ({@value #DEFAULT_ROUNDS} by default; 0 turns it off). Nothing it does reaches a cluster, a Docker engine,
 * the hosts file or the user's files; a failure ends it quietly.
 */
final class DaemonWarmUp implements Runnable {
    static final int DEFAULT_ROUNDS = 12;

    private static final String[][] ROUND = {
        {"up", "--no-wait", "--hosts-file", "hosts"},
        {"status", "--hosts-file", "hosts"},
    };

    private final int rounds;
    private final Path folder;
    private final BooleanSupplier idle;
    private final BooleanSupplier stopping;
    private volatile int done;
    private final Map<String, Integer> exits = new ConcurrentHashMap<>();

    /**
     * @param folder   where the sandbox's folder is made (the process's own folder, next to its socket)
     * @param idle     true when no command runs and the first one has finished
     * @param stopping true once the process takes no more commands
     */
    DaemonWarmUp(int rounds, Path folder, BooleanSupplier idle, BooleanSupplier stopping) {
        this.rounds = rounds;
        this.folder = folder;
        this.idle = idle;
        this.stopping = stopping;
    }

    /** The number of rounds from {@code DEVK8S_DAEMON_WARMUP}: a whole number from 0, else the default. */
    static int rounds(String setting) {
        try {
            return setting == null || setting.isBlank() ? DEFAULT_ROUNDS : Math.max(0, Integer.parseInt(setting.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_ROUNDS;
        }
    }

    /** Rounds completed so far. */
    int done() {
        return done;
    }

    /** The exit code of the last run of each command of a round, by command name. */
    Map<String, Integer> exits() {
        return Map.copyOf(exits);
    }

    @Override
    public void run() {
        if (rounds <= 0 || !awaitIdle()) {
            return;
        }
        PrintWriter discarded = new PrintWriter(Writer.nullWriter());
        long start = System.nanoTime();
        try {
            removeLeftovers();
            TrainingRun.inSandbox(true, false, folder, env -> {
                for (int round = 0; round < rounds; round++) {
                    for (String[] args : ROUND) {
                        if (!awaitIdle()) {
                            return null;
                        }
                        exits.put(args[0], Devk8s.execute(new Devk8sCommand(env, Services::new), args.clone(),
                                discarded, discarded, false));
                    }
                    done = round + 1;
                }
                return null;
            });
        } catch (RuntimeException | LinkageError e) {
            // no temporary folder or loopback port: the process goes without it
            System.err.println(java.time.Instant.now() + " devk8s daemon warm-up ended: " + e);
        }
        System.err.println(java.time.Instant.now() + " devk8s daemon warm-up: " + done + " of " + rounds
                + " rounds in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /**
     * Removes sandbox folders that a process stopped during its warm-up left in {@link #folder} (a process leaves at
     * once when asked to stop, without the sandbox's clean-up).
     */
    private void removeLeftovers() {
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith(TrainingRun.SANDBOX_PREFIX)
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // left for the next process
        }
    }

    /** Waits until no command runs; false when the process is leaving or the thread is interrupted. */
    private boolean awaitIdle() {
        while (!idle.getAsBoolean()) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !stopping.getAsBoolean() && !Thread.currentThread().isInterrupted();
    }
}
