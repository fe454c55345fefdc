package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * Identifies one Kubernetes object by kind, namespace and name, the way error messages and reports name it:
 * {@code Service devk8s/traefik}, or {@code ClusterRole traefik} for a cluster-scoped object ({@code namespace}
 * is {@code null}).
 */
public record ObjectRef(String kind, String namespace, String name) {

    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (namespace != null && namespace.isEmpty()) {
            namespace = null;
        }
    }

    public static ObjectRef of(HasMetadata object) {
        return new ObjectRef(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    public static ObjectRef namespaced(String kind, String namespace, String name) {
        return new ObjectRef(kind, Objects.requireNonNull(namespace, "namespace"), name);
    }

    public static ObjectRef clusterScoped(String kind, String name) {
        return new ObjectRef(kind, null, name);
    }

    @Override
    public String toString() {
        return namespace == null ? kind + " " + name : kind + " " + namespace + "/" + name;
    }
}
