package io.devk8s.service.target;

import io.devk8s.Devk8sException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How an image reaches the cluster ({@code --target}). */
public enum TargetKind {
    /** Built in the Minikube profile's Docker daemon ({@code minikube docker-env}); nothing to move. */
    MINIKUBE,
    /** Built on the host's Docker daemon, then {@code kind load docker-image}. */
    KIND,
    /** Built on the host's Docker daemon, then {@code k3d image import}. */
    K3D,
    /** Built on the host's Docker daemon, which the cluster's node uses itself (Docker Desktop, OrbStack, ...). */
    DOCKER,
    /** Built on the host's Docker daemon and pushed to a registry; deployed by digest. */
    REGISTRY;

    /** The flag value, e.g. {@code kind}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** From {@code --target VALUE}; anything else is a usage error naming the choices (exit 2). */
    public static TargetKind parse(String value) {
        for (TargetKind k : values()) {
            if (k.word().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw Devk8sException.usage("--target " + value + ": expected one of "
                + Arrays.stream(values()).map(TargetKind::word).collect(Collectors.joining(", "))
                + ", e.g. --target kind");
    }
}
