package io.devk8s.service;

import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.LabelSelector;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.kubernetes.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds the cluster-scoped objects of a stack. The ClusterRoles and ClusterRoleBindings carry the stack's
 * namespace in their names ({@code <namespace>-traefik}), so each stack has its own. The IngressClass
 * {@code traefik} is one per cluster: the first stack that creates it owns it (its instance label names that
 * stack's namespace); another stack shares it and never changes or deletes it. When the owner is taken down while
 * another stack remains, the IngressClass stays and the next {@code up} of a remaining stack takes it over; the
 * last stack's {@code down} deletes it.
 */
final class SharedClusterObjects {
    static final ObjectRef INGRESS_CLASS = ObjectRef.clusterScoped("IngressClass", StackCatalog.INGRESS_CLASS);
    /** The IngressClass's API group. */
    static final String INGRESS_CLASS_GROUP = "networking.k8s.io";

    /** Who holds the shared IngressClass, seen from the stack in one namespace. */
    sealed interface Holder {
        /** Nobody: it does not exist. */
        record None() implements Holder { }

        /** This stack. */
        record This() implements Holder { }

        /** The stack in {@code namespace}, which still exists. */
        record Other(String namespace) implements Holder { }

        /** A stack that is gone: the next {@code up} takes it over. */
        record Orphan() implements Holder { }

        /** Not devk8s: someone else's, never touched. */
        record Foreign() implements Holder { }
    }

    private SharedClusterObjects() {}

    static Holder ingressClassHolder(KubernetesCluster cluster, String namespace) {
        // one read: its labels, matched here against each stack's selector
        Optional<Map<String, String>> labels = cluster.labels(INGRESS_CLASS);
        if (labels.isEmpty()) {
            return new Holder.None();
        }
        if (labelled(labels.get(), StackCatalog.stackSelector(namespace))) {
            return new Holder.This();
        }
        if (!labelled(labels.get(), StackCatalog.STACK_SELECTOR)) {
            return new Holder.Foreign();
        }
        for (String other : otherStacks(cluster, namespace)) {
            if (labelled(labels.get(), StackCatalog.stackSelector(other))) {
                return new Holder.Other(other);
            }
        }
        return new Holder.Orphan();
    }

    /** The namespaces of the other stacks on the cluster (their Namespace carries the stack labels). */
    static List<String> otherStacks(KubernetesCluster cluster, String namespace) {
        List<String> names = new ArrayList<>();
        for (ObjectRef ref : cluster.list(null, StackCatalog.STACK_SELECTOR, List.of(ResourceKind.NAMESPACE))) {
            if (!ref.name().equals(namespace)) {
                names.add(ref.name());
            }
        }
        return names;
    }

    /** The cluster-scoped objects the stack in {@code namespace} needs for its components. */
    static List<ObjectRef> expected(String namespace, List<String> components) {
        List<ObjectRef> refs = new ArrayList<>();
        for (String component : components) {
            for (String name : StackCatalog.clusterRoles(component, namespace)) {
                refs.add(ObjectRef.clusterScoped("ClusterRole", name));
                refs.add(ObjectRef.clusterScoped("ClusterRoleBinding", name));
            }
            if (component.equals(StackCatalog.TRAEFIK.name())) {
                refs.add(INGRESS_CLASS);
            }
        }
        return refs;
    }

    /** Describes who holds the IngressClass, for a line of output. */
    static Optional<String> owner(Holder holder) {
        return holder instanceof Holder.Other other ? Optional.of(other.namespace()) : Optional.empty();
    }

    private static boolean labelled(Map<String, String> labels, String selector) {
        return LabelSelector.parse(selector).matches(labels);
    }
}
