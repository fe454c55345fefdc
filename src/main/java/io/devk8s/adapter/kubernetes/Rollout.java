package io.devk8s.adapter.kubernetes;

import java.time.Duration;
import java.util.List;

/** Types of {@link KubernetesCluster#waitForDeployments}: live progress, the result and its diagnosis. */
public final class Rollout {
    private Rollout() {
    }

    /** Where one Deployment stands. */
    public enum Phase {
        /** Waiting for pods to be created or scheduled. */
        PENDING,
        /** The kubelet is pulling an image. */
        PULLING,
        /** Containers are created or running but not ready yet. */
        STARTING,
        /** A pod reports a failure (image pull, crash loop, unschedulable, ...); it may still recover. */
        FAILING,
        /** Every replica is updated and available. */
        READY;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One Deployment at one poll: its phase, ready/desired replicas, time since the wait started (for a ready one:
     * the time it took), and a short detail such as the image being pulled or the failure reason.
     */
    public record Progress(String deployment, Phase phase, int ready, int desired, Duration elapsed, String detail) {
        public boolean isReady() {
            return phase == Phase.READY;
        }
    }

    /** Gets every Deployment's progress at every poll (about twice a second), so elapsed times can be redrawn. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = progress -> { };

        void progress(Progress progress);
    }

    /**
     * Why one Deployment did not become available: the failing pod (null when no pod exists), the reason from its
     * container statuses or conditions (e.g. {@code ImagePullBackOff}), the detail from the status and the pod's
     * events, and a concrete fix.
     */
    public record Diagnosis(String deployment, String pod, String reason, String detail, String fix) {
        /** {@code web (pod web-7d4-x2): ImagePullBackOff: <detail>; fix: <fix>} on one line. */
        public String oneLine() {
            StringBuilder s = new StringBuilder(deployment);
            if (pod != null) {
                s.append(" (pod ").append(pod).append(')');
            }
            s.append(": ").append(reason);
            if (detail != null && !detail.isBlank()) {
                s.append(": ").append(detail);
            }
            s.append("; fix: ").append(fix);
            return s.toString();
        }
    }

    /**
     * The outcome: every Deployment's last progress, and a diagnosis for each one that did not become available.
     * {@code timedOut} is false when the wait stopped early on a failure that does not heal by itself
     * (e.g. {@code ErrImageNeverPull}).
     */
    public record Result(boolean ready, boolean timedOut, Duration elapsed, List<Progress> deployments,
            List<Diagnosis> diagnoses) {
        public Result {
            deployments = List.copyOf(deployments);
            diagnoses = List.copyOf(diagnoses);
        }
    }
}
