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

    // equals and hashCode written out, as a record's would be: the generated ones spin up method handles on first
    // use (java.lang.runtime.ObjectMethods, about 20 ms of a short command on Java 17), and refs are map keys
    @Override
    public boolean equals(Object other) {
        return other instanceof ObjectRef r && kind.equals(r.kind) && Objects.equals(namespace, r.namespace)
                && name.equals(r.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, namespace, name);
    }

    @Override
    public String toString() {
        return namespace == null ? kind + " " + name : kind + " " + namespace + "/" + name;
    }
}
