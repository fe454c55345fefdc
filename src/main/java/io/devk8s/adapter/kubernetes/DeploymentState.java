package io.devk8s.adapter.kubernetes;

import java.util.List;

/**
 * A Deployment as {@code devk8s status} shows it: desired and ready replicas and the images it runs.
 * {@code available()} is true when the rollout is complete (the same test {@code waitForDeployments} uses).
 */
public record DeploymentState(String namespace, String name, int desired, int ready, int updated, int availableReplicas,
        boolean available, List<String> images) {
    public DeploymentState {
        images = List.copyOf(images);
    }

    /** {@code 1/1}-style ready count. */
    public String readyOfDesired() {
        return ready + "/" + desired;
    }
}
