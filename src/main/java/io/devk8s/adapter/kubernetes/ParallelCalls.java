package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Independent API calls (reads, dry runs) made at the same time instead of one round trip after another, with the
 * answers and the first failure taken in the callers' order, so what is reported does not depend on timing.
 */
final class ParallelCalls {
    /** At most this many requests in flight: enough to hide the round trips of a few dozen objects. */
    static final int MAX_IN_FLIGHT = 8;

    private ParallelCalls() {
    }

    /** {@code call} on every item, answers in item order; the first failure in item order is thrown as it is. */
    static <T, R> List<R> each(List<T> items, Function<T, R> call) {
        return each(items, null, call, null);
    }

    /**
     * {@code call} on every item, answers in item order; a failure of item i is translated for {@code refs[i]}
     * (the first failure in item order wins).
     */
    static <T, R> List<R> each(List<T> items, List<ObjectRef> refs, Function<T, R> call, KubeConnection connection) {
        List<R> out = new ArrayList<>(items.size());
        if (items.size() <= 1) {
            for (int i = 0; i < items.size(); i++) {
                try {
                    out.add(call.apply(items.get(i)));
                } catch (RuntimeException e) {
                    throw failure(e, i, refs, connection);
                }
            }
            return out;
        }
        // at most MAX_IN_FLIGHT workers take the items in turn, on threads kept for the next call (a background
        // process serves many commands: starting eight threads for every call cost more than some of the calls)
        int n = items.size();
        List<CompletableFuture<R>> answers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            answers.add(new CompletableFuture<>());
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < n && !stop.get(); i = next.getAndIncrement()) {
                try {
                    answers.get(i).complete(call.apply(items.get(i)));
                } catch (Throwable t) {
                    answers.get(i).completeExceptionally(t);
                }
            }
        };
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int w = 0; w < Math.min(MAX_IN_FLIGHT, n); w++) {
                workers.add(POOL.submit(worker));
            }
            for (int i = 0; i < n; i++) {
                try {
                    out.add(answers.get(i).get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw failure(e.getCause(), i, refs, connection);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw Devk8sException.failure("interrupted");
                }
            }
            return out;
        } finally {
            stop.set(true); // after a failure or an interrupt: the items not started are not started
            workers.forEach(f -> f.cancel(true));
        }
    }

    /** Threads for the calls, kept a while between calls; daemon threads, so they never hold the JVM's exit. */
    private static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "devk8s-api-call");
                t.setDaemon(true);
                return t;
            });

    /** A failure of item i: a client error translated for {@code refs[i]} when there is a connection, else as is. */
    private static RuntimeException failure(Throwable cause, int i, List<ObjectRef> refs, KubeConnection connection) {
        if (cause instanceof KubernetesClientException k && connection != null) {
            return ApiErrors.translate(refs.get(i), k, connection);
        }
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }
}
