package io.devk8s.service;

import io.devk8s.Devk8sException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Work started now on a daemon thread of its own and taken later, where it would otherwise have been computed:
 * its failure is then thrown as it was thrown, at that point, so checks and their order stay as they were. The work
 * belongs to the thread that started it: when that thread is interrupted while it waits for one ({@link #join}), or
 * is stopped from outside ({@link #interruptStartedBy}, the background process when a command's caller goes), all
 * of its work still running is interrupted too, which stops the processes it runs.
 */
public final class Background {

    /** Work still running, by the thread that started it. */
    private static final Map<Thread, Set<Thread>> RUNNING = new ConcurrentHashMap<>();

    private Background() {}

    /** Starts {@code work} on a new daemon thread named {@code threadName}. */
    public static <T> CompletableFuture<T> start(String threadName, Supplier<T> work) {
        Thread owner = Thread.currentThread();
        return CompletableFuture.supplyAsync(work, runnable -> {
            Thread thread = new Thread(() -> {
                try {
                    runnable.run();
                } finally {
                    RUNNING.computeIfPresent(owner, (o, threads) -> {
                        threads.remove(Thread.currentThread());
                        return threads.isEmpty() ? null : threads;
                    });
                }
            }, threadName);
            thread.setDaemon(true);
            // added inside the map's update: a set emptied and dropped by a finishing thread is never added to
            RUNNING.compute(owner, (o, threads) -> {
                Set<Thread> set = threads != null ? threads : ConcurrentHashMap.newKeySet();
                set.add(thread);
                return set;
            });
            thread.start();
        });
    }

    /**
     * The future's value; its failure rethrown as it was thrown. Interrupted while waiting: the work this thread
     * started is interrupted, and the wait ends with a failure (the interrupt kept).
     */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            interruptStartedBy(Thread.currentThread());
            Thread.currentThread().interrupt();
            throw Devk8sException.failure("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Interrupts the work {@code owner} started that is still running (the processes it runs are killed) and waits
     * up to {@code wait} for it to end, so that none of it outlives the command that started it.
     */
    public static void endStartedBy(Thread owner, java.time.Duration wait) {
        Set<Thread> threads = RUNNING.get(owner);
        if (threads == null) {
            return;
        }
        java.util.List<Thread> started = java.util.List.copyOf(threads);
        started.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread t : started) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                t.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Interrupts the work {@code owner} started that is still running. */
    public static void interruptStartedBy(Thread owner) {
        Set<Thread> threads = RUNNING.get(owner);
        if (threads != null) {
            threads.forEach(Thread::interrupt);
        }
    }
}
