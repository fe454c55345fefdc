package io.devk8s.service;

import io.devk8s.adapter.kubernetes.KubeContext;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which local cluster a kube context names, from the names the tools write into the kubeconfig: {@code kind-NAME}
 * (kind), {@code k3d-NAME} (k3d), {@code docker-desktop}, {@code rancher-desktop}, {@code colima} (or
 * {@code colima-PROFILE}) and {@code orbstack}. A name alone is not enough: the API server must be on this machine
 * (a loopback address, {@code localhost}, {@code 0.0.0.0}, or Docker Desktop's {@code kubernetes.docker.internal}),
 * so a remote context that happens to be called {@code kind-prod} is still refused.
 */
public final class LocalClusters {
    private static final Set<String> DESKTOPS = Set.of("docker-desktop", "rancher-desktop", "colima", "orbstack");
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "0.0.0.0", "::1", "kubernetes.docker.internal",
            "host.docker.internal", "host.k3d.internal");

    private LocalClusters() {}

    /** The kind of local cluster. */
    public enum Kind {
        KIND, K3D, DESKTOP
    }

    /** A local cluster: its kind and its name as its tool knows it ({@code kind load --name NAME}). */
    public record Local(Kind kind, String name) {
    }

    /** The local cluster {@code context} names and serves from this machine, or empty. */
    public static Optional<Local> classify(KubeContext context) {
        return classify(context.name(), context.serverHost().orElse(""));
    }

    /** The local cluster a context of this name and API server host is, or empty. */
    public static Optional<Local> classify(String contextName, String serverHost) {
        if (!isLocalHost(serverHost)) {
            return Optional.empty();
        }
        if (contextName.startsWith("kind-") && contextName.length() > 5) {
            return Optional.of(new Local(Kind.KIND, contextName.substring(5)));
        }
        if (contextName.startsWith("k3d-") && contextName.length() > 4) {
            return Optional.of(new Local(Kind.K3D, contextName.substring(4)));
        }
        if (DESKTOPS.contains(contextName) || contextName.startsWith("colima-")) {
            return Optional.of(new Local(Kind.DESKTOP, contextName));
        }
        return Optional.empty();
    }

    /** The local cluster a pinned context is (whatever let it pass the guard), or empty. */
    public static Optional<Local> classify(io.devk8s.adapter.kubernetes.PinnedContext pinned) {
        String host;
        try {
            host = java.net.URI.create(pinned.server()).getHost();
        } catch (IllegalArgumentException e) {
            host = null;
        }
        return classify(pinned.contextName(), host == null ? "" : host);
    }

    /** Whether a pinned context is a cluster on this machine: Minikube's, or one {@link #classify} knows. */
    public static boolean isLocal(io.devk8s.adapter.kubernetes.PinnedContext pinned) {
        return pinned.reason().isLocal() || classify(pinned).isPresent();
    }

    /** Whether an API server host is this machine. */
    static boolean isLocalHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return LOCAL_HOSTS.contains(h) || h.matches("127(\\.\\d{1,3}){3}") || h.equals("0:0:0:0:0:0:0:1");
    }
}
