package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The objects a prune looks at, read before the apply ({@link KubernetesCluster#pruneCandidates}) so that the
 * reads run next to the apply's own (or, in {@code deploy}, next to the checks before the build), and the plan takes
 * the live objects they hold instead of reading each again; the apply only adds objects it keeps, so the prune that
 * follows decides the same as one that reads afterwards. An object changed since it was read is deleted only if it
 * still carries the selector's labels (see {@code Deleter#prune}).
 */
public final class PruneCandidates {
    private final LabelSelector selector;
    private final List<ApiResource> kinds;
    private final List<List<GenericKubernetesResource>> lists;

    PruneCandidates(LabelSelector selector, List<ApiResource> kinds, List<List<GenericKubernetesResource>> lists) {
        this.selector = selector;
        this.kinds = List.copyOf(kinds);
        this.lists = List.copyOf(lists);
    }

    /** The labels every listed object carried when it was read. */
    LabelSelector selector() {
        return selector;
    }

    List<ApiResource> kinds() {
        return kinds;
    }

    List<List<GenericKubernetesResource>> lists() {
        return lists;
    }

    /** These lists and those of more kinds, read with the same selector. */
    PruneCandidates plus(List<ApiResource> moreKinds, List<List<GenericKubernetesResource>> moreLists) {
        List<ApiResource> allKinds = new ArrayList<>(kinds);
        allKinds.addAll(moreKinds);
        List<List<GenericKubernetesResource>> allLists = new ArrayList<>(lists);
        allLists.addAll(moreLists);
        return new PruneCandidates(selector, allKinds, allLists);
    }

    /** The values the listed objects carry for this annotation (each once). */
    public Set<String> annotationValues(String key) {
        Set<String> values = new TreeSet<>();
        for (List<GenericKubernetesResource> list : lists) {
            for (GenericKubernetesResource live : list) {
                Map<String, String> annotations = live.getMetadata().getAnnotations();
                if (annotations != null && annotations.get(key) != null) {
                    values.add(annotations.get(key));
                }
            }
        }
        return values;
    }

    /** Whether the lists hold any object in this namespace. */
    boolean holdsAnyIn(String namespace) {
        for (List<GenericKubernetesResource> list : lists) {
            for (GenericKubernetesResource live : list) {
                if (namespace.equals(live.getMetadata().getNamespace())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the lists hold this object (of this API group and ref): it then carries the selector's labels. */
    public boolean holds(String group, ObjectRef ref) {
        return listed(group, ref) != null;
    }

    /**
     * The listed object of this API group and ref, or null when the lists hold none (it may still exist, without
     * the selector's labels).
     */
    HasMetadata listed(String group, ObjectRef ref) {
        for (int i = 0; i < kinds.size(); i++) {
            ApiResource kind = kinds.get(i);
            if (!kind.group().equals(group) || !kind.kind().equals(ref.kind())) {
                continue;
            }
            for (GenericKubernetesResource live : lists.get(i)) {
                if (ClusterQueries.refOf(kind, live).equals(ref)) {
                    return live;
                }
            }
        }
        return null;
    }
}
