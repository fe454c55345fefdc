package io.devk8s.adapter.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code devk8s logs} reads from: the pods a label selector picks (listed once or watched) and the log of one
 * container of one pod, as a byte stream of lines. {@link KubernetesCluster#logSource()} is the API server's; tests
 * use a fake. No Kubernetes client type appears here.
 */
public interface LogSource {

    /**
     * A container of a pod: its name, the id of its current instance (empty until it has started) and whether that
     * instance is running (a terminated one has a complete log).
     */
    record Container(String name, String containerId, boolean running) {
        public Container {
            containerId = containerId == null ? "" : containerId;
        }

        public boolean started() {
            return !containerId.isEmpty();
        }
    }

    /** A pod and its containers (init containers first), in the pod's order. */
    record Pod(String name, List<Container> containers) {
        public Pod {
            containers = List.copyOf(containers);
        }
    }

    /**
     * What to ask for: follow or not, lines from {@code sinceTime} (exact) or the last {@code sinceSeconds}, the last
     * {@code tailLines} lines. Lines always come with the API server's RFC 3339 timestamp in front.
     */
    record Request(boolean follow, Optional<Instant> sinceTime, Optional<Long> sinceSeconds,
                   Optional<Integer> tailLines) {
    }

    /** Changes of the watched pods; called from the watch's own thread, one call at a time. */
    interface PodListener {
        /** A pod appeared or changed (a container started or restarted). */
        void pod(Pod pod);

        /** A pod was deleted. */
        void podGone(String name);
    }

    /** The pods carrying {@code selector} in {@code namespace}, sorted by name. */
    List<Pod> pods(String namespace, LabelSelector selector);

    /**
     * Watches the pods carrying {@code selector}: every existing pod is reported first, then each change; the watch
     * reconnects by itself. Closing the handle stops it.
     */
    AutoCloseable watch(String namespace, LabelSelector selector, PodListener listener);

    /** The log of one container, with timestamps; the caller closes it (which also ends a followed stream). */
    InputStream open(String namespace, String pod, String container, Request request) throws IOException;
}
