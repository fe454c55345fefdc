package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the cluster says about images: the image names each node reports in {@code status.images} (what its
 * container runtime holds), and a ConfigMap's data (for {@code kube-public/local-registry-hosting}, KEP-1755).
 */
final class ClusterImages {
    private final KubeConnection connection;

    ClusterImages(KubeConnection connection) {
        this.connection = connection;
    }

    /** Node name to the image names its status lists, in node order; a node that reports none maps to an empty set. */
    Map<String, Set<String>> nodeImages() {
        try {
            Map<String, Set<String>> byNode = new LinkedHashMap<>();
            for (Node node : connection.client().nodes().list().getItems()) {
                Set<String> names = new LinkedHashSet<>();
                if (node.getStatus() != null && node.getStatus().getImages() != null) {
                    node.getStatus().getImages().forEach(i -> {
                        if (i.getNames() != null) {
                            names.addAll(i.getNames());
                        }
                    });
                }
                byNode.put(node.getMetadata().getName(), names);
            }
            return byNode;
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(null, e, connection);
        }
    }

    /** The data of a ConfigMap, or empty when it does not exist or cannot be read (403). */
    Optional<Map<String, String>> configMapData(String namespace, String name) {
        try {
            ConfigMap map = connection.client().configMaps().inNamespace(namespace).withName(name).get();
            if (map == null) {
                return Optional.empty();
            }
            return Optional.of(map.getData() == null ? Map.of() : new LinkedHashMap<>(map.getData()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 || e.getCode() == 404) {
                return Optional.empty();
            }
            throw ApiErrors.translate(ObjectRef.namespaced("ConfigMap", namespace, name), e, connection);
        }
    }

    /** The names an image reference is listed under on a node: as given, and with docker.io/library/ spelled out. */
    static List<String> spellings(String image) {
        List<String> names = new ArrayList<>();
        names.add(image);
        int slash = image.indexOf('/');
        String first = slash < 0 ? "" : image.substring(0, slash);
        boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (!hasRegistry) {
            names.add("docker.io/" + (slash < 0 ? "library/" : "") + image);
        }
        return names;
    }
}
