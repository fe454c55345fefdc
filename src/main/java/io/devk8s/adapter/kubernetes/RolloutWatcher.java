package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads workloads (Deployments, StatefulSets, DaemonSets, Jobs, single Pods; see {@link Workloads}), their pods
 * and the pods' events until every one is done, one fails hard or the time is up, and diagnoses what did not make
 * it from its pods' container statuses, conditions and events. A workload found not done is watched, so that its
 * next change is read at once rather than at the next poll.
 */
final class RolloutWatcher {
    /** Waiting reasons that do not heal by waiting: the wait stops at once. */
    private static final Set<String> FATAL = Set.of("ErrImageNeverPull", "InvalidImageName");

    private final KubeConnection cluster;
    private final String namespace;
    private final List<ObjectRef> workloads;

    RolloutWatcher(KubeConnection cluster, String namespace, List<ObjectRef> workloads) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.workloads = List.copyOf(workloads);
        for (ObjectRef ref : workloads) {
            if (!Workloads.KINDS.contains(ref.kind())) {
                throw io.devk8s.Devk8sException.usage(ref + ": cannot wait for a " + ref.kind()
                        + "; a rollout wait handles " + String.join(", ", new java.util.TreeSet<>(Workloads.KINDS)));
            }
        }
    }

    /** The name progress and diagnoses use: a Deployment's name, else {@code kind/name} ({@code job/migrate}). */
    static String label(ObjectRef ref) {
        return ref.kind().equals("Deployment") ? ref.name()
                : ref.kind().toLowerCase(java.util.Locale.ROOT) + "/" + ref.name();
    }

    /** What one poll found for one workload. */
    private record Finding(Rollout.Progress progress, Rollout.Diagnosis diagnosis, boolean fatal) {
    }

    Rollout.Result await(Duration timeout, Duration poll, Rollout.Listener listener) {
        try (WorkloadChanges changes = new WorkloadChanges(cluster.client())) {
            return await(timeout, poll, listener, changes);
        }
    }

    /**
     * Reads every workload not yet done, at most {@code poll} apart, and at once when {@code changes} reports that
     * one changed (each is watched from the first read that found it not done).
     */
    private Rollout.Result await(Duration timeout, Duration poll, Rollout.Listener listener, WorkloadChanges changes) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Map<ObjectRef, Rollout.Progress> ready = new LinkedHashMap<>();
        while (true) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Map<ObjectRef, Finding> pending = new LinkedHashMap<>();
            Map<ObjectRef, HasMetadata> read = new LinkedHashMap<>();
            List<Event> events = null;
            for (ObjectRef ref : workloads) {
                if (ready.containsKey(ref)) {
                    listener.progress(ready.get(ref));
                    continue;
                }
                HasMetadata object = get(ref);
                Workloads.Observed observed = object == null ? null : Workloads.observe(object);
                if (observed != null && observed.done()) {
                    Rollout.Progress done = new Rollout.Progress(label(ref), Rollout.Phase.READY, observed.ready(),
                            observed.desired(), elapsed, String.join(", ", observed.images()));
                    ready.put(ref, done);
                    listener.progress(done);
                    continue;
                }
                if (events == null) {
                    events = events();
                }
                Finding finding = inspect(ref, object, observed, events, elapsed);
                pending.put(ref, finding);
                read.put(ref, object);
                listener.progress(finding.progress());
            }
            boolean fatal = pending.values().stream().anyMatch(Finding::fatal);
            boolean timedOut = System.nanoTime() >= deadline;
            if (pending.isEmpty() || fatal || timedOut) {
                List<Rollout.Progress> all = new ArrayList<>();
                for (ObjectRef ref : workloads) {
                    all.add(ready.containsKey(ref) ? ready.get(ref) : pending.get(ref).progress());
                }
                List<Rollout.Diagnosis> diagnoses = pending.values().stream().map(Finding::diagnosis).toList();
                return new Rollout.Result(pending.isEmpty(), !pending.isEmpty() && !fatal,
                        Duration.ofNanos(System.nanoTime() - start), all, diagnoses);
            }
            long next = System.nanoTime() + Math.min(deadline - System.nanoTime(), poll.toNanos());
            read.forEach(changes::watch); // the time a watch takes to open is part of the wait, not added to it
            changes.await(Duration.ofNanos(next - System.nanoTime()));
        }
    }

    private HasMetadata get(ObjectRef ref) {
        try {
            return Workloads.get(cluster.client(), ref);
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ref, e, cluster);
        }
    }

    private List<Event> events() {
        try {
            List<Event> events = new ArrayList<>(cluster.client().v1().events().inNamespace(namespace).list().getItems());
            events.sort(Comparator.comparing(RolloutWatcher::eventTime));
            return events;
        } catch (KubernetesClientException e) {
            return List.of(); // events only add detail
        }
    }

    private static String eventTime(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        if (e.getFirstTimestamp() != null) {
            return e.getFirstTimestamp();
        }
        return e.getMetadata() != null && e.getMetadata().getCreationTimestamp() != null
                ? e.getMetadata().getCreationTimestamp() : "";
    }

    private List<Pod> pods(ObjectRef ref, HasMetadata object, Workloads.Observed observed) {
        if (object instanceof Pod pod) {
            return List.of(pod);
        }
        if (observed.podLabels().isEmpty()) {
            return List.of();
        }
        try {
            return cluster.client().pods().inNamespace(namespace).withLabels(observed.podLabels()).list()
                    .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                    .toList();
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ref, e, cluster);
        }
    }

    // -------------------------------------------------------------------------------------------- diagnosis

    private Finding inspect(ObjectRef ref, HasMetadata object, Workloads.Observed state, List<Event> events,
            Duration elapsed) {
        String name = label(ref);
        String kind = ref.kind().toLowerCase(java.util.Locale.ROOT);
        if (object == null) {
            return new Finding(new Rollout.Progress(name, Rollout.Phase.PENDING, 0, 0, elapsed, "not found"),
                    new Rollout.Diagnosis(name, null, "NotFound", ref.kind() + " " + namespace + "/" + ref.name()
                            + " does not exist", "check that the manifests define it in namespace " + namespace),
                    false);
        }
        if (state.failure() != null) {
            return new Finding(new Rollout.Progress(name, Rollout.Phase.FAILING, state.ready(), state.desired(),
                    elapsed, state.failureReason()), new Rollout.Diagnosis(name, object instanceof Pod
                    ? ref.name() : null, state.failureReason(), state.failure(),
                    "see `" + kubectl() + " describe " + kind + " " + ref.name() + "` and `" + kubectl() + " logs "
                            + kind + "/" + ref.name() + "`"), true);
        }
        List<Pod> pods = pods(ref, object, state);
        Finding worst = null;
        for (Pod pod : pods) {
            Finding f = inspectPod(name, state, pod, events, elapsed);
            if (worst == null || rank(f) > rank(worst)) {
                worst = f;
            }
        }
        if (worst != null && worst.progress().phase() != Rollout.Phase.READY) {
            return worst;
        }
        // no pod, or all pods ready while the workload is not yet done
        String conditions = state.conditions();
        String detail;
        if (pods.isEmpty()) {
            detail = "no pod was created" + (conditions.isEmpty() ? "" : ": " + conditions);
        } else {
            detail = state.ready() + "/" + state.desired() + (ref.kind().equals("Job") ? " completions"
                    : " replicas available") + (conditions.isEmpty() ? "" : ": " + conditions);
        }
        return new Finding(new Rollout.Progress(name, Rollout.Phase.PENDING, state.ready(), state.desired(), elapsed,
                pods.isEmpty() ? "waiting for pods" : "waiting for replicas"),
                new Rollout.Diagnosis(name, pods.isEmpty() ? null : pods.get(0).getMetadata().getName(),
                        pods.isEmpty() ? "NoPods" : "NotAvailable", detail,
                        "see `" + kubectl() + " describe " + kind + " " + ref.name() + "`"),
                false);
    }

    /** Ready pods rank lowest, failing ones highest: the worst pod explains the Deployment. */
    private static int rank(Finding f) {
        return f.progress().phase() == Rollout.Phase.READY ? -1 : f.progress().phase().ordinal();
    }

    private Finding inspectPod(String name, Workloads.Observed state, Pod pod, List<Event> events, Duration elapsed) {
        String podName = pod.getMetadata().getName();
        List<ContainerStatus> statuses = new ArrayList<>();
        if (pod.getStatus() != null) {
            if (pod.getStatus().getInitContainerStatuses() != null) {
                statuses.addAll(pod.getStatus().getInitContainerStatuses());
            }
            if (pod.getStatus().getContainerStatuses() != null) {
                statuses.addAll(pod.getStatus().getContainerStatuses());
            }
        }
        String warning = latestEvent(events, podName, "Warning");
        for (ContainerStatus cs : statuses) {
            ContainerState st = cs.getState();
            if (st == null || st.getWaiting() == null || st.getWaiting().getReason() == null) {
                continue;
            }
            String reason = st.getWaiting().getReason();
            String message = join(st.getWaiting().getMessage(), warning);
            String image = cs.getImage() != null ? cs.getImage() : imageOf(pod, cs.getName());
            String fix = switch (reason) {
                case "ImagePullBackOff", "ErrImagePull" -> "check the image name and tag \"" + image
                        + "\"; for an image built locally, build it into minikube's Docker daemon (`eval $(minikube -p "
                        + cluster.profile() + " docker-env)`) and use imagePullPolicy: IfNotPresent or Never";
                case "ErrImageNeverPull" -> "image \"" + image + "\" is not in the cluster's Docker daemon: it was built"
                        + " into another daemon; build it after `eval $(minikube -p " + cluster.profile()
                        + " docker-env)` (check MINIKUBE_ACTIVE_DOCKERD=" + cluster.profile() + ")";
                case "CrashLoopBackOff" -> "read the crashed container's logs: `" + kubectl() + " logs -p " + podName
                        + " -c " + cs.getName() + "`";
                case "InvalidImageName" -> "fix the image reference \"" + image + "\" in the manifest";
                case "CreateContainerConfigError", "CreateContainerError" ->
                        "create the ConfigMap or Secret the pod references, or fix the reference; see `" + kubectl()
                                + " describe pod " + podName + "`";
                case "ContainerCreating", "PodInitializing" -> null;
                default -> "see `" + kubectl() + " describe pod " + podName + "`";
            };
            if (fix == null) {
                continue;
            }
            if ("CrashLoopBackOff".equals(reason)) {
                message = join(lastTermination(cs), message);
            }
            return new Finding(new Rollout.Progress(name, Rollout.Phase.FAILING, state.ready(), state.desired(), elapsed,
                    reason), new Rollout.Diagnosis(name, podName, reason, message, fix), FATAL.contains(reason));
        }
        PodCondition scheduled = condition(pod, "PodScheduled");
        if (scheduled != null && "False".equals(scheduled.getStatus())) {
            String reason = scheduled.getReason() == null ? "Unschedulable" : scheduled.getReason();
            String message = join(scheduled.getMessage(), latestEvent(events, podName, "Warning"));
            return new Finding(new Rollout.Progress(name, Rollout.Phase.FAILING, state.ready(), state.desired(), elapsed,
                    "Pending: " + reason), new Rollout.Diagnosis(name, podName, "Pending " + reason, message,
                    "the scheduler cannot place the pod: give minikube more room (`minikube start -p " + cluster.profile()
                            + " --memory=... --cpus=...`) or lower the pod's resource requests"), false);
        }
        boolean allReady = !statuses.isEmpty() && statuses.stream()
                .filter(cs -> pod.getStatus().getInitContainerStatuses() == null
                        || !pod.getStatus().getInitContainerStatuses().contains(cs))
                .allMatch(cs -> Boolean.TRUE.equals(cs.getReady()));
        if (allReady) {
            return new Finding(new Rollout.Progress(name, Rollout.Phase.READY, state.ready(), state.desired(), elapsed,
                    ""), null, false);
        }
        String latest = latestEventReason(events, podName);
        if ("Pulling".equals(latest)) {
            return new Finding(new Rollout.Progress(name, Rollout.Phase.PULLING, state.ready(), state.desired(), elapsed,
                    latestEvent(events, podName, null)), new Rollout.Diagnosis(name, podName, "Pulling",
                    latestEvent(events, podName, null), "the image is still being pulled: wait longer (--timeout), or"
                            + " build it into minikube's Docker daemon so nothing has to be pulled"), false);
        }
        Rollout.Phase phase = statuses.isEmpty() && scheduled == null ? Rollout.Phase.PENDING : Rollout.Phase.STARTING;
        String unhealthy = latestEventWithReason(events, podName, "Unhealthy");
        String detail = unhealthy != null ? unhealthy : warning != null ? warning
                : phase == Rollout.Phase.PENDING ? "pod " + podName + " pending" : "containers not ready yet";
        return new Finding(new Rollout.Progress(name, phase, state.ready(), state.desired(), elapsed, phase.word()),
                new Rollout.Diagnosis(name, podName, unhealthy != null ? "Unhealthy" : "NotReady", detail,
                        unhealthy != null ? "the readiness probe fails: check its path and port, and the app's logs (`"
                                + kubectl() + " logs " + podName + "`)"
                                : "wait longer (--timeout), or see `" + kubectl() + " describe pod " + podName + "`"),
                false);
    }

    private String kubectl() {
        return "kubectl --context " + cluster.context() + " -n " + namespace;
    }

    private static String imageOf(Pod pod, String container) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return "?";
        }
        return pod.getSpec().getContainers().stream().filter(c -> Objects.equals(c.getName(), container))
                .map(Container::getImage).findFirst().orElse("?");
    }

    private static String lastTermination(ContainerStatus cs) {
        if (cs.getLastState() == null || cs.getLastState().getTerminated() == null) {
            return null;
        }
        ContainerStateTerminated t = cs.getLastState().getTerminated();
        return "last exit code " + t.getExitCode() + (t.getReason() == null ? "" : " (" + t.getReason() + ")")
                + ", " + (cs.getRestartCount() == null ? 0 : cs.getRestartCount()) + " restarts";
    }

    private static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static boolean about(Event e, String podName) {
        return e.getInvolvedObject() != null && "Pod".equals(e.getInvolvedObject().getKind())
                && podName.equals(e.getInvolvedObject().getName());
    }

    /** The latest event message for the pod, of the given type (null: any type). */
    private static String latestEvent(List<Event> events, String podName, String type) {
        String found = null;
        for (Event e : events) {
            if (about(e, podName) && (type == null || type.equals(e.getType()))) {
                found = e.getReason() + ": " + ApiErrors.oneLine(String.valueOf(e.getMessage()));
            }
        }
        return found;
    }

    private static String latestEventWithReason(List<Event> events, String podName, String reason) {
        String found = null;
        for (Event e : events) {
            if (about(e, podName) && reason.equals(e.getReason())) {
                found = ApiErrors.oneLine(String.valueOf(e.getMessage()));
            }
        }
        return found;
    }

    private static String latestEventReason(List<Event> events, String podName) {
        String found = null;
        for (Event e : events) {
            if (about(e, podName)) {
                found = e.getReason();
            }
        }
        return found;
    }

    private static String join(String first, String second) {
        if (first == null || first.isBlank()) {
            return second == null ? "" : ApiErrors.oneLine(second);
        }
        if (second == null || second.isBlank() || first.contains(second) || second.contains(first)) {
            return ApiErrors.oneLine(first.length() >= (second == null ? 0 : second.length()) ? first : second);
        }
        return ApiErrors.oneLine(first) + " (" + ApiErrors.oneLine(second) + ")";
    }
}
