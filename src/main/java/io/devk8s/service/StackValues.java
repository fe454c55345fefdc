package io.devk8s.service;

import io.devk8s.Devk8sException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective values the stack was rendered with: {@code stack/values.yaml} merged with
 * {@code stack/versions.yaml} (and a user folder's copies of both), then {@code --set}, {@code --namespace}
 * and {@code --domain}.
 *
 * @param values nested maps as read from YAML (String, Integer/Long, Double, Boolean, List, Map leaves)
 */
public record StackValues(Map<String, Object> values) {
    public StackValues {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A value by dotted key ({@code traefik.nodePort}), if present. */
    public Optional<Object> get(String dottedKey) {
        Object current = values;
        for (String part : dottedKey.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return Optional.empty();
            }
            current = map.get(part);
        }
        return Optional.ofNullable(current);
    }

    /** A value that must be present, as a string. */
    public String string(String dottedKey) {
        Object value = require(dottedKey);
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw Devk8sException.usage("stack/values.yaml: " + dottedKey + " must be a single value, not a group or list");
        }
        return String.valueOf(value);
    }

    /** A value that must be present and a whole number. */
    public int integer(String dottedKey) {
        Object value = require(dottedKey);
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw Devk8sException.usage("stack/values.yaml: " + dottedKey + " must be a whole number, not " + value);
    }

    /** The namespace the stack runs in. */
    public String namespace() {
        return string("namespace");
    }

    /** The domain the stack's hostnames end with ({@code grafana.DOMAIN}). */
    public String domain() {
        return string("domain");
    }

    /** The node port Traefik listens on, the way into the cluster from the host. */
    public int traefikNodePort() {
        return integer("traefik.nodePort");
    }

    private Object require(String dottedKey) {
        return get(dottedKey).orElseThrow(() -> Devk8sException.usage("stack/values.yaml has no " + dottedKey
                + ": add it to values.yaml in your --templates folder"));
    }
}
