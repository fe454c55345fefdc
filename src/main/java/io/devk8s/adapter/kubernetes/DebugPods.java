package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Single, bare Pods such as {@code devk8s shell}'s debug pod: read one, create one. Deleting and waiting go through
 * {@link KubernetesCluster#delete} and {@link KubernetesCluster#waitFor}.
 */
public final class DebugPods {
    /** What a caller needs to know about an existing pod: its labels, its first container's image, its phase. */
    public record PodState(String name, Map<String, String> labels, String image, String phase, boolean deleting) {
        public PodState {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /** What to create: one container running {@code command}, never restarted, image pulled only when absent. */
    public record PodSpec(String namespace, String name, String image, Map<String, String> labels,
            List<String> command) {
        public PodSpec {
            labels = Map.copyOf(labels);
            command = List.copyOf(command);
        }
    }

    private final KubeConnection connection;

    public DebugPods(KubernetesCluster cluster) {
        this.connection = cluster.connection();
    }

    /** The pod, or empty when it does not exist. */
    public Optional<PodState> get(String namespace, String name) {
        try {
            Pod pod = connection.client().pods().inNamespace(namespace).withName(name).get();
            if (pod == null) {
                return Optional.empty();
            }
            List<Container> containers = pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
            String image = containers == null || containers.isEmpty() ? null : containers.get(0).getImage();
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            return Optional.of(new PodState(name, pod.getMetadata().getLabels(), image, phase,
                    pod.getMetadata().getDeletionTimestamp() != null));
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.namespaced("Pod", namespace, name), e, connection);
        }
    }

    /** Creates the pod; fails when one of that name exists. */
    public void create(PodSpec spec) {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(spec.name()).withNamespace(spec.namespace()).withLabels(spec.labels())
                .endMetadata()
                .withNewSpec().withRestartPolicy("Never").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName(spec.name()).withImage(spec.image()).withImagePullPolicy("IfNotPresent")
                .withCommand(spec.command()).withStdin(true).withTty(true).endContainer()
                .endSpec().build();
        try {
            connection.client().pods().inNamespace(spec.namespace()).resource(pod).create();
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.namespaced("Pod", spec.namespace(), spec.name()), e, connection);
        }
    }
}
