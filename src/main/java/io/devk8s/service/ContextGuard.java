package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.kubernetes.KubeContext;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.kubernetes.PinnedContext.Reason;
import io.devk8s.adapter.minikube.MinikubeProfile;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Refuses to let devk8s touch a cluster that is not the Minikube profile's. A context counts as the profile's
 * when (in this order, cheapest first):
 * <ol>
 *   <li>the user allowed it by name with {@code --allow-context NAME};</li>
 *   <li>it is named after the profile (what {@code minikube start} writes);</li>
 *   <li>its cluster's CA file lies under minikube's home ({@code $MINIKUBE_HOME} or {@code ~/.minikube});</li>
 *   <li>it is another local cluster ({@link LocalClusters}: {@code kind-*}, {@code k3d-*}, {@code docker-desktop},
 *       {@code rancher-desktop}, {@code colima}, {@code orbstack}, served from this machine);</li>
 *   <li>its server host:port is the profile's control-plane node IP:port from {@code minikube profile list}
 *       (asked only when the cheaper checks failed, since that call is slow);</li>
 *   <li>the project file lists it under {@code allowContexts:}.</li>
 * </ol>
 * Anything else is refused with one line naming the context and the fix (exit 3).
 */
public final class ContextGuard {
    private final Path minikubeHome;

    /** @param minikubeHome minikube's home, see {@link io.devk8s.adapter.minikube.MinikubeCli#minikubeHome} */
    public ContextGuard(Path minikubeHome) {
        this.minikubeHome = minikubeHome.toAbsolutePath().normalize();
    }

    /** Why {@code context} is the profile's, or empty when it is not. Never throws. */
    public Optional<Reason> evaluate(KubeContext context, String profile, Set<String> allowedContexts,
                                     Supplier<Optional<MinikubeProfile>> profileInfo) {
        if (allowedContexts.contains(context.name())) {
            return Optional.of(Reason.ALLOWED_BY_FLAG);
        }
        if (context.name().equals(profile)) {
            return Optional.of(Reason.CONTEXT_NAME);
        }
        if (context.caFile().map(this::underMinikubeHome).orElse(false)) {
            return Optional.of(Reason.MINIKUBE_CA);
        }
        if (LocalClusters.classify(context).isPresent()) { // by name and server: no process to ask
            return Optional.of(Reason.LOCAL_CLUSTER);
        }
        Optional<String> host = context.serverHost();
        if (host.isPresent()) {
            Optional<MinikubeProfile> info;
            try {
                info = profileInfo.get();
            } catch (Devk8sException e) {
                info = Optional.empty();
            }
            if (info.isPresent() && !info.get().nodeIp().isEmpty()
                    && sameHost(host.get(), info.get().nodeIp()) && context.serverPort() == info.get().nodePort()) {
                return Optional.of(Reason.NODE_ENDPOINT);
            }
        }
        return Optional.empty();
    }

    /**
     * As {@link #evaluate}, and then a context listed under {@code allowContexts:} in the project file, when nothing
     * else accepted it.
     */
    public Optional<Reason> evaluate(KubeContext context, String profile, Set<String> allowedContexts,
                                     Set<String> allowedByFile, Supplier<Optional<MinikubeProfile>> profileInfo) {
        return evaluate(context, profile, allowedContexts, profileInfo)
                .or(() -> allowedByFile.contains(context.name()) ? Optional.of(Reason.ALLOWED_BY_FILE)
                        : Optional.empty());
    }

    /** The pinned context, or a precondition failure (exit 3) naming the context and the fix. */
    public PinnedContext check(KubeContext context, String profile, Set<String> allowedContexts,
                               Supplier<Optional<MinikubeProfile>> profileInfo) {
        return check(context, profile, allowedContexts, Set.of(), profileInfo);
    }

    /** As {@link #check(KubeContext, String, Set, Supplier)}, also accepting the project file's allowContexts. */
    public PinnedContext check(KubeContext context, String profile, Set<String> allowedContexts,
                               Set<String> allowedByFile, Supplier<Optional<MinikubeProfile>> profileInfo) {
        Reason reason = evaluate(context, profile, allowedContexts, allowedByFile, profileInfo)
                .orElseThrow(() -> refusal(context, profile));
        return new PinnedContext(context.name(), context.server(), context.namespace(), context.kubeconfigFiles(),
                profile, reason);
    }

    /** The one-line refusal for a context that is not the profile's. */
    public static Devk8sException refusal(KubeContext context, String profile) {
        return Devk8sException.precondition("kube context \"" + context.name() + "\""
                + (context.server().isEmpty() ? "" : " (" + context.server() + ")")
                + " is not Minikube profile \"" + profile + "\"'s nor a local kind, k3d or desktop cluster; switch "
                + "with `kubectl config use-context " + profile + "` or --context " + profile + ", or pass "
                + "--allow-context " + context.name() + " (or list it under allowContexts: in devk8s.yaml) if you "
                + "really mean that cluster");
    }

    private boolean underMinikubeHome(Path ca) {
        return ca.toAbsolutePath().normalize().startsWith(minikubeHome);
    }

    private static boolean sameHost(String a, String b) {
        String x = strip(a);
        String y = strip(b);
        return x.equalsIgnoreCase(y);
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
