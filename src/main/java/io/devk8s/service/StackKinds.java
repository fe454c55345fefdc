package io.devk8s.service;

import io.devk8s.adapter.kubernetes.ApiResource;
import io.devk8s.adapter.kubernetes.ResourceKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which kinds {@code up} prunes and {@code down} deletes: stack policy, over the kinds the API server serves.
 */
final class StackKinds {
    /**
     * What {@code up} always prunes when the rendered set drops an object. Not Namespace (never pruned), not Pod or
     * ReplicaSet (their controllers own them), not PersistentVolumeClaim (it holds data; {@code down} removes it).
     */
    static final List<ResourceKind> PRUNABLE = List.of(ResourceKind.DEPLOYMENT, ResourceKind.STATEFUL_SET,
            ResourceKind.DAEMON_SET, ResourceKind.JOB, ResourceKind.SERVICE, ResourceKind.INGRESS,
            ResourceKind.CONFIG_MAP, ResourceKind.SECRET, ResourceKind.SERVICE_ACCOUNT, ResourceKind.ROLE,
            ResourceKind.ROLE_BINDING, ResourceKind.CLUSTER_ROLE, ResourceKind.CLUSTER_ROLE_BINDING,
            ResourceKind.INGRESS_CLASS);

    /**
     * The built-in kinds {@code down} deletes first, in this order: workloads first so nothing is recreated, then
     * what they used, then cluster-scoped objects. Every other kind the server serves follows (see
     * {@link #teardown}). No Namespace: {@code down} decides about the namespace on its own, last.
     */
    static final List<ResourceKind> TEARDOWN = List.of(ResourceKind.DEPLOYMENT, ResourceKind.STATEFUL_SET,
            ResourceKind.DAEMON_SET, ResourceKind.JOB, ResourceKind.REPLICA_SET, ResourceKind.POD,
            ResourceKind.SERVICE, ResourceKind.INGRESS, ResourceKind.CONFIG_MAP, ResourceKind.SECRET,
            ResourceKind.SERVICE_ACCOUNT, ResourceKind.ROLE, ResourceKind.ROLE_BINDING,
            ResourceKind.PERSISTENT_VOLUME_CLAIM, ResourceKind.CLUSTER_ROLE, ResourceKind.CLUSTER_ROLE_BINDING,
            ResourceKind.INGRESS_CLASS);

    /** Kinds that mirror or record other objects; their controllers remove them. */
    private static final Set<String> DERIVED_GROUPS = Set.of("events.k8s.io", "discovery.k8s.io",
            "coordination.k8s.io", "metrics.k8s.io");
    private static final Set<String> DERIVED_CORE = Set.of("Event", "Endpoints", "Namespace", "Node",
            "ComponentStatus", "Binding");

    private StackKinds() {
    }

    /**
     * What {@code up} prunes: {@link #PRUNABLE}, plus every other kind the stack renders (a CronJob, a custom
     * resource), except Namespaces and PersistentVolumeClaims. A kind the stack no longer renders at all is left to
     * {@code down}: finding it would mean listing every kind the server serves on every {@code up}.
     */
    static List<ApiResource> prunable(List<ApiResource> rendered) {
        Set<ApiResource> kinds = new LinkedHashSet<>();
        PRUNABLE.forEach(k -> kinds.add(k.resource()));
        kinds.addAll(prunableOf(rendered));
        return List.copyOf(kinds);
    }

    /** Those of {@code rendered} a prune may delete: not derived, not PersistentVolumeClaims, deletable. */
    static List<ApiResource> prunableOf(List<ApiResource> rendered) {
        Set<ApiResource> kinds = new LinkedHashSet<>();
        for (ApiResource kind : rendered) {
            if (!derived(kind) && !isKind(kind, ResourceKind.PERSISTENT_VOLUME_CLAIM) && kind.can("delete")) {
                kinds.add(kind);
            }
        }
        return List.copyOf(kinds);
    }

    /**
     * What {@code down} deletes by label: the namespaced kinds of {@link #TEARDOWN}, then every other namespaced
     * kind the server serves with list and delete (CronJob, HorizontalPodAutoscaler, NetworkPolicy,
     * PodDisruptionBudget, custom resources), then the cluster-scoped kinds of {@link #TEARDOWN}, then every other
     * cluster-scoped kind. With {@code keepData}, PersistentVolumeClaims stay.
     */
    static List<ApiResource> teardown(List<ApiResource> served, boolean keepData) {
        List<ApiResource> builtIn = new ArrayList<>();
        for (ResourceKind k : TEARDOWN) {
            if (!(keepData && k == ResourceKind.PERSISTENT_VOLUME_CLAIM)) {
                builtIn.add(k.resource());
            }
        }
        Set<String> known = new LinkedHashSet<>();
        TEARDOWN.forEach(k -> known.add(key(k.resource())));
        known.add(key(ResourceKind.PERSISTENT_VOLUME_CLAIM.resource()));
        List<ApiResource> otherNamespaced = new ArrayList<>();
        List<ApiResource> otherCluster = new ArrayList<>();
        for (ApiResource kind : served) {
            if (known.contains(key(kind)) || derived(kind) || !kind.can("list") || !kind.can("delete")) {
                continue;
            }
            known.add(key(kind));
            (kind.namespaced() ? otherNamespaced : otherCluster).add(kind);
        }
        List<ApiResource> order = new ArrayList<>();
        builtIn.stream().filter(ApiResource::namespaced).forEach(order::add);
        order.addAll(otherNamespaced);
        builtIn.stream().filter(k -> !k.namespaced()).forEach(order::add);
        order.addAll(otherCluster);
        return order;
    }

    private static boolean derived(ApiResource kind) {
        return DERIVED_GROUPS.contains(kind.group()) || kind.group().isEmpty() && DERIVED_CORE.contains(kind.kind());
    }

    private static boolean isKind(ApiResource kind, ResourceKind builtIn) {
        return key(kind).equals(key(builtIn.resource()));
    }

    /** Group and kind: the same kind in two versions is one kind. */
    private static String key(ApiResource kind) {
        return kind.group() + "/" + kind.kind();
    }
}
