package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a rollout wait as soon as a workload it waits for changes, as {@code kubectl rollout status} does with its
 * watch, instead of at the next poll. Each workload is watched from the resourceVersion its last read returned, so a
 * change between that read and the watch's start is delivered too. A watch that cannot be opened (no {@code watch}
 * permission, a proxy that drops long requests) or that ends only costs the early wake-up: the wait still polls.
 */
final class WorkloadChanges implements AutoCloseable {
    private final KubernetesClient client;
    private final Semaphore changed = new Semaphore(0);
    private final Set<ObjectRef> watched = new HashSet<>();
    private final List<Watch> watches = new ArrayList<>();

    WorkloadChanges(KubernetesClient client) {
        this.client = client;
    }

    /** Watches {@code object} (the workload {@code ref} as last read) unless it is watched already. */
    void watch(ObjectRef ref, HasMetadata object) {
        if (object == null || !watched.add(ref)) {
            return;
        }
        try {
            watches.add(Workloads.watch(client, ref, object.getMetadata().getResourceVersion(), new Watcher<>() {
                @Override
                public void eventReceived(Action action, HasMetadata resource) {
                    changed.release();
                }

                @Override
                public void onClose(WatcherException cause) {
                    // the polls go on
                }
            }));
        } catch (KubernetesClientException | IllegalStateException e) {
            // not watchable here: polling alone
        }
    }

    /**
     * Waits until a watched workload changed or {@code max} passed, whichever is first; changes seen while the
     * caller was reading are not waited for again.
     */
    void await(Duration max) {
        try {
            if (changed.tryAcquire(Math.max(0, max.toNanos()), TimeUnit.NANOSECONDS)) {
                changed.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Devk8sException.failure("interrupted");
        }
    }

    @Override
    public void close() {
        for (Watch w : watches) {
            try {
                w.close();
            } catch (RuntimeException e) {
                // closing only
            }
        }
        watches.clear();
    }
}
