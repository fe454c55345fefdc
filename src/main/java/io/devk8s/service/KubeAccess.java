package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.KubeContext;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.minikube.MinikubeProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a service reaches the Kubernetes API: the kube context a selection names (unchecked), the same context
 * pinned through the {@link ContextGuard} (once per command, so a later kubeconfig switch cannot redirect it), and
 * the API of a pinned context. Every step is lazy: nothing is read or connected until a service asks.
 */
public final class KubeAccess {
    private final Function<ClusterSelection, KubeContext> contexts;
    private final ContextGuard guard;
    private final Function<ClusterSelection, MinikubeCli> minikubes;
    private final Function<PinnedContext, KubernetesCluster> clusters;
    private final Map<ClusterSelection, PinnedContext> pinned = new HashMap<>();

    /**
     * @param contexts  reads the kube context a selection names (or the current one)
     * @param minikubes the minikube CLI of a selection, asked for the profile's node endpoint
     * @param clusters  the API client of a pinned context
     */
    public KubeAccess(Function<ClusterSelection, KubeContext> contexts, ContextGuard guard,
                      Function<ClusterSelection, MinikubeCli> minikubes,
                      Function<PinnedContext, KubernetesCluster> clusters) {
        this.contexts = contexts;
        this.guard = guard;
        this.minikubes = minikubes;
        this.clusters = clusters;
    }

    /**
     * The kube context the selection names (or the current one), not yet checked. A kubeconfig that cannot be
     * read is a missing precondition (exit 3) for every command alike, like a missing cluster.
     */
    public KubeContext context(ClusterSelection selection) {
        try {
            return contexts.apply(selection);
        } catch (Devk8sException e) {
            if (e.exitCode() == ExitCode.USAGE) {
                throw new Devk8sException(ExitCode.PRECONDITION, e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Why the context is the profile's, or empty; never throws. */
    public Optional<PinnedContext.Reason> evaluate(KubeContext context, ClusterSelection selection,
                                                   Supplier<Optional<MinikubeProfile>> profileInfo) {
        return guard.evaluate(context, selection.profile(), selection.allowedContexts(), profileInfo);
    }

    /**
     * The kube context every API call of this command uses: resolved once, and only when it is the Minikube
     * profile's (or explicitly allowed); otherwise a one-line refusal, exit 3.
     */
    public synchronized PinnedContext pin(ClusterSelection selection) {
        return pin(selection, java.util.Set.of());
    }

    /**
     * As {@link #pin(ClusterSelection)}, also accepting the contexts a project file lists under
     * {@code allowContexts:}.
     */
    public synchronized PinnedContext pin(ClusterSelection selection, java.util.Set<String> allowedByFile) {
        PinnedContext context = pinned.get(selection);
        if (context == null) {
            MinikubeCli minikube = minikubes.apply(selection);
            context = guard.check(context(selection), selection.profile(), selection.allowedContexts(),
                    allowedByFile, minikube::profileInfo);
            pinned.put(selection, context);
        }
        return context;
    }

    /** The Kubernetes API of a context that passed the guard. */
    public KubernetesCluster cluster(PinnedContext context) {
        return clusters.apply(context);
    }

    /** {@link #pin} then {@link #cluster}. */
    public KubernetesCluster cluster(ClusterSelection selection) {
        return cluster(pin(selection));
    }
}
