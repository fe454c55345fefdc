package io.devk8s.config;

import java.util.Locale;

/** How an app is reached, which decides its default templates (Service, probes, Ingress). */
public enum AppKind {
    HTTP,
    GRPC;

    /** The name as written in devk8s.yaml: {@code http}, {@code grpc}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
