package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Objects;

/**
 * One parsed Kubernetes object, ready to apply: its kind, apiVersion, namespace (null for a cluster-scoped kind),
 * name and labels, and where it came from ({@code source} and the line of its {@code kind:}), for messages such as
 * {@code stack/app.yaml line 2: kind Widget (example.com/v1) is not served by the API server}. The parsed object
 * itself stays inside this package.
 */
public final class Manifest {
    private final HasMetadata object;
    private final String source;
    private final int line;

    Manifest(HasMetadata object, String source, int line) {
        this.object = Objects.requireNonNull(object, "object");
        this.source = source;
        this.line = line;
    }

    HasMetadata object() {
        return object;
    }

    public String kind() {
        return object.getKind();
    }

    public String apiVersion() {
        return object.getApiVersion();
    }

    /** The namespace, or null for a cluster-scoped object. */
    public String namespace() {
        return object.getMetadata().getNamespace();
    }

    public String name() {
        return object.getMetadata().getName();
    }

    public Map<String, String> labels() {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * Adds (or overwrites) these labels on the object's metadata, e.g. the {@code appgroup}/{@code app} labels of
     * {@code deploy}; the object is then applied with them.
     */
    public Manifest withLabels(Map<String, String> extra) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        if (object.getMetadata().getLabels() != null) {
            labels.putAll(object.getMetadata().getLabels());
        }
        labels.putAll(extra);
        object.getMetadata().setLabels(labels);
        return this;
    }

    /** Adds (or replaces) this annotation; returns this manifest. */
    public Manifest withAnnotation(String key, String value) {
        Map<String, String> annotations = new java.util.LinkedHashMap<>();
        if (object.getMetadata().getAnnotations() != null) {
            annotations.putAll(object.getMetadata().getAnnotations());
        }
        annotations.put(key, value);
        object.getMetadata().setAnnotations(annotations);
        return this;
    }

    /** The file (or other source) the manifest was read from. */
    public String source() {
        return source;
    }

    /** The line of its {@code kind:} in {@link #source()}, counting from 1. */
    public int line() {
        return line;
    }

    /** {@code stack/app.yaml line 2}. */
    public String where() {
        return source + " line " + line;
    }

    public ObjectRef ref() {
        return ObjectRef.of(object);
    }

    @Override
    public String toString() {
        return ref() + " (" + where() + ")";
    }
}
