package io.devk8s.adapter.kubernetes;

import java.util.Map;
import java.util.Optional;

/**
 * A Secret devk8s creates itself (not rendered from a template): its data in plain text (encoded on the way to the
 * API server) and, optionally, the object that owns it, so the garbage collector deletes it with that object.
 *
 * @param owner    the owning object and its uid, when it exists
 */
public record SecretSpec(String namespace, String name, Map<String, String> labels, Map<String, String> annotations,
        Map<String, String> data, Optional<Owner> owner) {

    /** An owner reference: the owning object in the same namespace and its uid. */
    public record Owner(String apiVersion, String kind, String name, String uid) {}

    public SecretSpec {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }
}
