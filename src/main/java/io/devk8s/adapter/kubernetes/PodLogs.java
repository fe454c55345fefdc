package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.Loggable;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The API server as a {@link LogSource}: pods listed or watched with an informer (which lists, watches and
 * re-lists on its own), and {@code GET /api/v1/namespaces/NS/pods/P/log?container=C&timestamps=true} with
 * {@code follow}, {@code sinceTime}, {@code sinceSeconds} and {@code tailLines} as asked.
 */
final class PodLogs implements LogSource {
    private final KubeConnection connection;

    PodLogs(KubeConnection connection) {
        this.connection = connection;
    }

    @Override
    public List<LogSource.Pod> pods(String namespace, LabelSelector selector) {
        try {
            return connection.client().pods().inNamespace(namespace).withLabelSelector(selector.toString()).list()
                    .getItems().stream().map(PodLogs::pod).sorted(Comparator.comparing(LogSource.Pod::name)).toList();
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(null, e, connection);
        }
    }

    @Override
    public AutoCloseable watch(String namespace, LabelSelector selector, PodListener listener) {
        try {
            SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> informer = connection.client().pods().inNamespace(namespace)
                    .withLabelSelector(selector.toString()).inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(io.fabric8.kubernetes.api.model.Pod pod) {
                            listener.pod(pod(pod));
                        }

                        @Override
                        public void onUpdate(io.fabric8.kubernetes.api.model.Pod old,
                                io.fabric8.kubernetes.api.model.Pod pod) {
                            listener.pod(pod(pod));
                        }

                        @Override
                        public void onDelete(io.fabric8.kubernetes.api.model.Pod pod, boolean unknownFinalState) {
                            listener.podGone(pod.getMetadata().getName());
                        }
                    }, 0);
            return informer::close;
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(null, e, connection);
        }
    }

    @Override
    public InputStream open(String namespace, String pod, String container, Request request) throws IOException {
        try {
            TimeTailPrettyLoggable timed = connection.client().pods().inNamespace(namespace).withName(pod)
                    .inContainer(container).withReadyWaitTimeout(0).usingTimestamps(); // no wait: the container has started
            TailPrettyLoggable tail = request.sinceTime().isPresent()
                    ? timed.sinceTime(DateTimeFormatter.ISO_INSTANT.format(request.sinceTime().get()))
                    : request.sinceSeconds().isPresent()
                            ? timed.sinceSeconds((int) Math.min(Integer.MAX_VALUE, request.sinceSeconds().get()))
                            : timed;
            Loggable log = request.tailLines().isPresent() ? tail.tailingLines(request.tailLines().get()) : tail;
            if (!request.follow()) {
                return log.getLogInputStream();
            }
            LogWatch watch = log.watchLog();
            return new FilterInputStream(watch.getOutput()) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        watch.close();
                    }
                }
            };
        } catch (KubernetesClientException e) {
            throw new IOException(ApiErrors.translate(ObjectRef.namespaced("Pod", namespace, pod), e, connection)
                    .getMessage(), e);
        }
    }

    static LogSource.Pod pod(io.fabric8.kubernetes.api.model.Pod pod) {
        List<LogSource.Container> containers = new ArrayList<>();
        var spec = pod.getSpec();
        var status = pod.getStatus();
        if (spec != null) {
            Map<String, ContainerStatus> statuses = new java.util.HashMap<>();
            if (status != null) {
                collect(status.getInitContainerStatuses(), statuses);
                collect(status.getContainerStatuses(), statuses);
            }
            List<io.fabric8.kubernetes.api.model.Container> all = new ArrayList<>();
            if (spec.getInitContainers() != null) {
                all.addAll(spec.getInitContainers());
            }
            if (spec.getContainers() != null) {
                all.addAll(spec.getContainers());
            }
            for (var c : all) {
                ContainerStatus s = statuses.get(c.getName());
                containers.add(s == null ? new LogSource.Container(c.getName(), "", false)
                        : new LogSource.Container(c.getName(), s.getContainerID(),
                                s.getState() != null && s.getState().getRunning() != null));
            }
        }
        return new LogSource.Pod(pod.getMetadata().getName(), containers);
    }

    private static void collect(List<ContainerStatus> statuses, Map<String, ContainerStatus> into) {
        if (statuses != null) {
            for (ContainerStatus s : statuses) {
                if (s.getContainerID() != null && !s.getContainerID().isEmpty()) {
                    into.put(s.getName(), s);
                }
            }
        }
    }
}
