package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kinds a rollout wait understands, and when each is done, as {@code kubectl rollout status} (and
 * {@code kubectl wait}) judge it: a Deployment, StatefulSet or DaemonSet whose controller saw the latest
 * generation and whose replicas are all updated and available; a Job that completed; a Pod that is Running and
 * Ready.
 */
final class Workloads {
    /** The kinds {@link RolloutWatcher} can wait for. */
    static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "Pod");

    private Workloads() {
    }

    /**
     * One workload at one poll: desired and ready counts, whether it is done, the labels of its pods (null for a
     * Pod: it is its own pod), its images, the bad conditions of its status, and a failure that waiting does not
     * heal (a failed Job or Pod), or null.
     */
    record Observed(int desired, int ready, boolean done, Map<String, String> podLabels, List<String> images,
            String conditions, String failureReason, String failure) {
    }

    static HasMetadata get(KubernetesClient client, ObjectRef ref) {
        String ns = ref.namespace();
        String name = ref.name();
        return switch (ref.kind()) {
            case "Deployment" -> client.apps().deployments().inNamespace(ns).withName(name).get();
            case "StatefulSet" -> client.apps().statefulSets().inNamespace(ns).withName(name).get();
            case "DaemonSet" -> client.apps().daemonSets().inNamespace(ns).withName(name).get();
            case "Job" -> client.batch().v1().jobs().inNamespace(ns).withName(name).get();
            case "Pod" -> client.pods().inNamespace(ns).withName(name).get();
            default -> throw new IllegalStateException("not a workload kind: " + ref.kind());
        };
    }

    /** Watches the workload {@code ref} from {@code resourceVersion}: every change of it reaches {@code watcher}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Watch watch(KubernetesClient client, ObjectRef ref, String resourceVersion, Watcher<HasMetadata> watcher) {
        String ns = ref.namespace();
        String name = ref.name();
        Watcher raw = watcher;
        return switch (ref.kind()) {
            case "Deployment" -> client.apps().deployments().inNamespace(ns).withName(name).watch(resourceVersion, raw);
            case "StatefulSet" -> client.apps().statefulSets().inNamespace(ns).withName(name).watch(resourceVersion, raw);
            case "DaemonSet" -> client.apps().daemonSets().inNamespace(ns).withName(name).watch(resourceVersion, raw);
            case "Job" -> client.batch().v1().jobs().inNamespace(ns).withName(name).watch(resourceVersion, raw);
            case "Pod" -> client.pods().inNamespace(ns).withName(name).watch(resourceVersion, raw);
            default -> throw new IllegalStateException("not a workload kind: " + ref.kind());
        };
    }

    static Observed observe(HasMetadata object) {
        if (object instanceof Deployment d) {
            DeploymentState s = state(d);
            return new Observed(s.desired(), s.ready(), s.available(), matchLabels(d.getSpec() == null ? null
                    : d.getSpec().getSelector()), s.images(), conditions(d), null, null);
        }
        if (object instanceof StatefulSet s) {
            int desired = s.getSpec() == null || s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
            var st = s.getStatus();
            int ready = st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
            int updated = st == null || st.getUpdatedReplicas() == null ? 0 : st.getUpdatedReplicas();
            int available = st == null || st.getAvailableReplicas() == null ? ready : st.getAvailableReplicas();
            boolean done = st != null && observed(s, st.getObservedGeneration()) && ready >= desired
                    && available >= desired && updated >= desired
                    && (st.getUpdateRevision() == null || st.getUpdateRevision().equals(st.getCurrentRevision()));
            return new Observed(desired, ready, done, matchLabels(s.getSpec() == null ? null : s.getSpec().getSelector()),
                    images(s.getSpec() == null ? null : s.getSpec().getTemplate()), "", null, null);
        }
        if (object instanceof DaemonSet ds) {
            var st = ds.getStatus();
            int desired = st == null || st.getDesiredNumberScheduled() == null ? 0 : st.getDesiredNumberScheduled();
            int ready = st == null || st.getNumberReady() == null ? 0 : st.getNumberReady();
            int updated = st == null || st.getUpdatedNumberScheduled() == null ? 0 : st.getUpdatedNumberScheduled();
            int available = st == null || st.getNumberAvailable() == null ? 0 : st.getNumberAvailable();
            boolean done = st != null && observed(ds, st.getObservedGeneration()) && updated >= desired
                    && available >= desired;
            return new Observed(desired, ready, done, matchLabels(ds.getSpec() == null ? null
                    : ds.getSpec().getSelector()), images(ds.getSpec() == null ? null : ds.getSpec().getTemplate()),
                    "", null, null);
        }
        if (object instanceof Job job) {
            int desired = job.getSpec() == null || job.getSpec().getCompletions() == null ? 1
                    : job.getSpec().getCompletions();
            var st = job.getStatus();
            int succeeded = st == null || st.getSucceeded() == null ? 0 : st.getSucceeded();
            JobCondition complete = jobCondition(job, "Complete");
            JobCondition failed = jobCondition(job, "Failed");
            return new Observed(desired, succeeded, complete != null, matchLabels(job.getSpec() == null ? null
                    : job.getSpec().getSelector()), images(job.getSpec() == null ? null : job.getSpec().getTemplate()),
                    "", failed == null ? null : "JobFailed", failed == null ? null
                    : ApiErrors.oneLine((failed.getReason() == null ? "" : failed.getReason() + ": ")
                            + (failed.getMessage() == null ? "" : failed.getMessage())));
        }
        if (object instanceof Pod pod) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null
                    && pod.getStatus().getConditions().stream()
                            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            boolean over = "Failed".equals(phase) || "Succeeded".equals(phase);
            return new Observed(1, ready ? 1 : 0, "Running".equals(phase) && ready, null,
                    images(pod.getSpec()), "", over ? "Pod" + phase : null, over ? "the pod is " + phase.toLowerCase()
                    + " and will not run again" + (pod.getStatus().getMessage() == null ? ""
                    : ": " + ApiErrors.oneLine(pod.getStatus().getMessage())) : null);
        }
        throw new IllegalStateException("not a workload: " + object.getKind());
    }

    private static boolean observed(HasMetadata o, Long observedGeneration) {
        Long generation = o.getMetadata().getGeneration();
        return generation == null || observedGeneration != null && observedGeneration >= generation;
    }

    private static Map<String, String> matchLabels(LabelSelector selector) {
        return selector == null || selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    }

    private static List<String> images(PodTemplateSpec template) {
        return images(template == null ? null : template.getSpec());
    }

    private static List<String> images(PodSpec spec) {
        return spec == null || spec.getContainers() == null ? List.of()
                : spec.getContainers().stream().map(Container::getImage).toList();
    }

    private static JobCondition jobCondition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst().orElse(null);
    }

    static DeploymentState state(Deployment d) {
        int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var status = d.getStatus();
        int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
        int updated = status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
        int availableReplicas = status == null || status.getAvailableReplicas() == null ? 0
                : status.getAvailableReplicas();
        List<String> images = d.getSpec() == null ? List.of() : images(d.getSpec().getTemplate());
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
}
