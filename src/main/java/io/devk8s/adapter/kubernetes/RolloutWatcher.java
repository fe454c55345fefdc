package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Polls Deployments, their pods and the pods' events until the rollout is done, fails hard or times out. */
final class RolloutWatcher {
    /** Waiting reasons that do not heal by waiting: the wait stops at once. */
    private static final Set<String> FATAL = Set.of("ErrImageNeverPull", "InvalidImageName");

    private final KubernetesCluster cluster;
    private final String namespace;
    private final List<String> names;

    RolloutWatcher(KubernetesCluster cluster, String namespace, List<String> names) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.names = List.copyOf(names);
    }

    /** What one poll found for one Deployment. */
    private record Finding(Rollout.Progress progress, Rollout.Diagnosis diagnosis, boolean fatal) {
    }

    Rollout.Result await(Duration timeout, Duration poll, Rollout.Listener listener) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Map<String, Rollout.Progress> ready = new LinkedHashMap<>();
        while (true) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Map<String, Finding> pending = new LinkedHashMap<>();
            List<Event> events = null;
            for (String name : names) {
                if (ready.containsKey(name)) {
                    listener.progress(ready.get(name));
                    continue;
                }
                Deployment deployment = get(name);
                if (deployment != null && available(deployment)) {
                    DeploymentState state = state(deployment);
                    Rollout.Progress done = new Rollout.Progress(name, Rollout.Phase.READY, state.ready(),
                            state.desired(), elapsed, String.join(", ", state.images()));
                    ready.put(name, done);
                    listener.progress(done);
                    continue;
                }
                if (events == null) {
                    events = events();
                }
                Finding finding = inspect(name, deployment, events, elapsed);
                pending.put(name, finding);
                listener.progress(finding.progress());
            }
            boolean fatal = pending.values().stream().anyMatch(Finding::fatal);
            boolean timedOut = System.nanoTime() >= deadline;
            if (pending.isEmpty() || fatal || timedOut) {
                List<Rollout.Progress> all = new ArrayList<>();
                for (String name : names) {
                    all.add(ready.containsKey(name) ? ready.get(name) : pending.get(name).progress());
                }
                List<Rollout.Diagnosis> diagnoses = pending.values().stream().map(Finding::diagnosis).toList();
                return new Rollout.Result(pending.isEmpty(), !pending.isEmpty() && !fatal,
                        Duration.ofNanos(System.nanoTime() - start), all, diagnoses);
            }
            long left = deadline - System.nanoTime();
            KubernetesCluster.sleep(Duration.ofNanos(Math.max(0, Math.min(left, poll.toNanos()))));
        }
    }

    private Deployment get(String name) {
        try {
            return cluster.client().apps().deployments().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.namespaced("Deployment", namespace, name), e, cluster);
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

    private List<Pod> pods(Deployment deployment) {
        var selector = deployment.getSpec() == null ? null : deployment.getSpec().getSelector();
        if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()) {
            return List.of();
        }
        try {
            return cluster.client().pods().inNamespace(namespace).withLabels(selector.getMatchLabels()).list()
                    .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                    .toList();
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.of(deployment), e, cluster);
        }
    }

    // -------------------------------------------------------------------------------------------- diagnosis

    private Finding inspect(String name, Deployment deployment, List<Event> events, Duration elapsed) {
        if (deployment == null) {
            return new Finding(new Rollout.Progress(name, Rollout.Phase.PENDING, 0, 0, elapsed, "not found"),
                    new Rollout.Diagnosis(name, null, "NotFound", "Deployment " + namespace + "/" + name
                            + " does not exist", "check that the manifests define it in namespace " + namespace),
                    false);
        }
        DeploymentState state = state(deployment);
        List<Pod> pods = pods(deployment);
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
        // no pod, or all pods ready while the Deployment is not yet available
        String conditions = conditions(deployment);
        String detail;
        if (pods.isEmpty()) {
            detail = "no pod was created" + (conditions.isEmpty() ? "" : ": " + conditions);
        } else {
            detail = state.availableReplicas() + "/" + state.desired() + " replicas available"
                    + (conditions.isEmpty() ? "" : ": " + conditions);
        }
        return new Finding(new Rollout.Progress(name, Rollout.Phase.PENDING, state.ready(), state.desired(), elapsed,
                pods.isEmpty() ? "waiting for pods" : "waiting for replicas"),
                new Rollout.Diagnosis(name, pods.isEmpty() ? null : pods.get(0).getMetadata().getName(),
                        pods.isEmpty() ? "NoPods" : "NotAvailable", detail,
                        "see `" + kubectl() + " describe deployment " + name + "`"),
                false);
    }

    /** Ready pods rank lowest, failing ones highest: the worst pod explains the Deployment. */
    private static int rank(Finding f) {
        return f.progress().phase() == Rollout.Phase.READY ? -1 : f.progress().phase().ordinal();
    }

    private Finding inspectPod(String name, DeploymentState state, Pod pod, List<Event> events, Duration elapsed) {
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

    private static String conditions(Deployment deployment) {
        if (deployment.getStatus() == null || deployment.getStatus().getConditions() == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (DeploymentCondition c : deployment.getStatus().getConditions()) {
            boolean bad = "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())
                    || !"ReplicaFailure".equals(c.getType()) && "False".equals(c.getStatus());
            if (bad && c.getMessage() != null) {
                parts.add(c.getReason() + ": " + ApiErrors.oneLine(c.getMessage()));
            }
        }
        return String.join("; ", parts);
    }

    // -------------------------------------------------------------------------------------------- state

    static DeploymentState state(Deployment d) {
        int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var status = d.getStatus();
        int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
        int updated = status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
        int availableReplicas = status == null || status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas();
        List<String> images = d.getSpec() == null || d.getSpec().getTemplate() == null
                || d.getSpec().getTemplate().getSpec() == null ? List.of()
                : d.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getImage).toList();
        return new DeploymentState(d.getMetadata().getNamespace(), d.getMetadata().getName(), desired, ready, updated,
                availableReplicas, available(d), images);
    }

    /**
     * Like {@code kubectl rollout status}: the controller observed the current generation, every desired replica is
     * updated and available, and no old replica is left.
     */
    static boolean available(Deployment d) {
        int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var status = d.getStatus();
        if (status == null) {
            return desired == 0 && d.getMetadata().getGeneration() == null;
        }
        Long generation = d.getMetadata().getGeneration();
        if (generation != null && (status.getObservedGeneration() == null || status.getObservedGeneration() < generation)) {
            return false;
        }
        int updated = status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
        int available = status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas();
        int total = status.getReplicas() == null ? updated : status.getReplicas();
        return updated >= desired && available >= desired && total <= updated;
    }
}
