package io.devk8s.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Work started now on a daemon thread of its own and taken later, where it would otherwise have been computed:
 * its failure is then thrown as it was thrown, at that point, so checks and their order stay as they were.
 */
public final class Background {

    private Background() {}

    /** Starts {@code work} on a new daemon thread named {@code threadName}. */
    public static <T> CompletableFuture<T> start(String threadName, Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** The future's value; its failure rethrown as it was thrown. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
