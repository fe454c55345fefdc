package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.devk8s.Devk8sException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes, prunes and waits until objects are gone, like {@code kubectl delete --ignore-not-found}: an object
 * already gone is not an error. Any kind the API server serves can be deleted (through fabric8's generic
 * resources); Namespaces only when named explicitly ({@link #delete}), never by label.
 */
final class Deleter {
    private final KubeConnection connection;
    private final ClusterQueries queries;

    Deleter(KubeConnection connection, ClusterQueries queries) {
        this.connection = connection;
        this.queries = queries;
    }

    /**
     * Deletes the objects of the given kinds that match {@code selector} but are not in {@code keep}, and returns
     * them. Namespaces and objects a controller owns (ownerReferences) are never pruned. With {@code dryRun}, only
     * returns what would be pruned.
     */
    List<ObjectRef> prune(LabelSelector selector, Set<ObjectRef> keep, Collection<ApiResource> kinds, String namespace,
            boolean dryRun) {
        return prune(candidates(selector, kinds, namespace), keep, dryRun);
    }

    /** The objects {@link #prune} would look at: every object of the kinds carrying the selector, read now. */
    PruneCandidates candidates(LabelSelector selector, Collection<ApiResource> kinds, String namespace) {
        List<ApiResource> prunable = kinds.stream().filter(k -> !isNamespace(k) && k.can("delete")).toList();
        return new PruneCandidates(selector, prunable, queries.lists(prunable, namespace, selector));
    }

    /**
     * {@code listed}, completed with the objects of those of {@code kinds} it did not list (read now, with its
     * selector).
     */
    PruneCandidates candidates(PruneCandidates listed, Collection<ApiResource> kinds, String namespace) {
        List<ApiResource> missing = kinds.stream().filter(k -> !isNamespace(k) && k.can("delete")
                && !listed.kinds().contains(k)).distinct().toList();
        return missing.isEmpty() ? listed
                : listed.plus(missing, queries.lists(missing, namespace, listed.selector()));
    }

    /** {@link #prune(LabelSelector, Set, Collection, String, boolean)} over candidates read earlier. */
    List<ObjectRef> prune(PruneCandidates candidates, Set<ObjectRef> keep, boolean dryRun) {
        List<ObjectRef> pruned = new ArrayList<>();
        for (int i = 0; i < candidates.kinds().size(); i++) {
            ApiResource kind = candidates.kinds().get(i);
            for (HasMetadata live : candidates.lists().get(i)) {
                ObjectRef ref = ClusterQueries.refOf(kind, live);
                boolean owned = live.getMetadata().getOwnerReferences() != null
                        && !live.getMetadata().getOwnerReferences().isEmpty();
                if (keep.contains(ref) || owned) {
                    continue;
                }
                if (!dryRun && !deleteUnchanged(kind, ref, live, candidates.selector())) {
                    continue; // changed since it was listed, and no longer this selector's
                }
                pruned.add(ref);
            }
        }
        return pruned;
    }

    /**
     * Deletes {@code ref} as it was listed: only while it is at the listed resourceVersion. When it changed since
     * (HTTP 409), it is read again and deleted only if it still carries the selector's labels and no owner; false
     * when it was left alone or was gone already.
     */
    private boolean deleteUnchanged(ApiResource kind, ObjectRef ref, HasMetadata listed, LabelSelector selector) {
        String version = listed.getMetadata().getResourceVersion();
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return delete(kind, ref, DeletionPropagation.BACKGROUND, version);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || version == null) {
                    throw ApiErrors.translate(ref, e, connection);
                }
            }
            HasMetadata now = queries.read(kind, ref).orElse(null);
            if (now == null) {
                return false;
            }
            Map<String, String> labels = now.getMetadata().getLabels() == null ? Map.of()
                    : now.getMetadata().getLabels();
            boolean owned = now.getMetadata().getOwnerReferences() != null
                    && !now.getMetadata().getOwnerReferences().isEmpty();
            if (!selector.matches(labels) || owned) {
                return false;
            }
            version = now.getMetadata().getResourceVersion();
        }
        throw Devk8sException.failure("could not prune " + ref + ": it changed three times while devk8s deleted it; "
                + "run the command again");
    }

    /**
     * Deletes every object of the given kinds carrying {@code selector}, in the kinds' order; Namespaces are never
     * deleted here. With a positive {@code waitUntilGone}, waits until they are gone or the time is up.
     */
    DeleteResult deleteByLabel(String namespace, LabelSelector selector, Collection<ApiResource> kinds,
            Duration waitUntilGone) {
        List<ObjectRef> deleted = new ArrayList<>();
        List<ApiResource> deletable = kinds.stream().filter(k -> !isNamespace(k)).toList();
        List<List<GenericKubernetesResource>> lists = queries.lists(deletable, namespace, selector);
        for (int i = 0; i < deletable.size(); i++) {
            ApiResource kind = deletable.get(i);
            for (HasMetadata live : lists.get(i)) {
                ObjectRef ref = ClusterQueries.refOf(kind, live);
                if (delete(kind, ref)) {
                    deleted.add(ref);
                }
            }
        }
        return new DeleteResult(deleted, waitUntilGone(deleted, waitUntilGone));
    }

    /**
     * Deletes these objects (any kind the server serves, Namespaces included). A kind the server does not serve is
     * a one-line usage error before anything is deleted.
     */
    DeleteResult delete(Collection<ObjectRef> refs, Duration waitUntilGone) {
        Set<ObjectRef> unique = new LinkedHashSet<>(refs);
        unique.forEach(queries::kindOf); // every kind resolved before the first delete
        List<ObjectRef> deleted = new ArrayList<>();
        for (ObjectRef ref : unique) {
            if (delete(queries.kindOf(ref), ref)) {
                deleted.add(ref);
            }
        }
        return new DeleteResult(deleted, waitUntilGone(deleted, waitUntilGone));
    }

    /**
     * Deletes every object of {@code kind} in {@code namespace} that carries {@code selector}: one
     * {@code deletecollection} request when the server allows that verb on the kind, else one DELETE per object of
     * {@code listed} (the objects a list found). Never Namespaces, never a cluster-scoped kind, never an empty
     * selector through a collection delete (the caller lists and names the objects instead).
     */
    void deleteCollection(ApiResource kind, String namespace, LabelSelector selector, List<ObjectRef> listed,
            boolean foreground) {
        if (isNamespace(kind) || !kind.namespaced() || namespace == null) {
            throw new IllegalArgumentException("collection delete only for a namespaced kind in one namespace: "
                    + kind);
        }
        DeletionPropagation propagation = foreground ? DeletionPropagation.FOREGROUND : DeletionPropagation.BACKGROUND;
        if (kind.can("deletecollection") && !selector.isEverything()) {
            try {
                connection.client().genericKubernetesResources(ApiDiscovery.context(kind)).inNamespace(namespace)
                        .withLabelSelector(selector.toString()).withPropagationPolicy(propagation).delete();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                if (e.getCode() != 405) {
                    throw ApiErrors.translate(ObjectRef.namespaced(kind.kind(), namespace, "(" + selector + ")"), e,
                            connection);
                }
                // 405: the server does not allow it after all; one by one below
            }
        }
        for (ObjectRef ref : listed) {
            delete(kind, ref, propagation);
        }
    }

    private List<ObjectRef> waitUntilGone(List<ObjectRef> deleted, Duration waitUntilGone) {
        List<ObjectRef> remaining = new ArrayList<>(deleted);
        if (waitUntilGone == null || waitUntilGone.isZero() || waitUntilGone.isNegative()) {
            return List.of();
        }
        long deadline = System.nanoTime() + waitUntilGone.toNanos();
        while (true) {
            remaining.removeIf(ref -> !queries.exists(ref));
            if (remaining.isEmpty() || System.nanoTime() > deadline) {
                return remaining;
            }
            KubeConnection.sleep(connection.pollInterval());
        }
    }

    private boolean delete(ApiResource kind, ObjectRef ref) {
        return delete(kind, ref, DeletionPropagation.BACKGROUND);
    }

    private boolean delete(ApiResource kind, ObjectRef ref, DeletionPropagation propagation) {
        return delete(kind, ref, propagation, null);
    }

    /** As above; with {@code resourceVersion}, only when the object is still at that version (else HTTP 409). */
    private boolean delete(ApiResource kind, ObjectRef ref, DeletionPropagation propagation, String resourceVersion) {
        try {
            var operation = connection.client().genericKubernetesResources(ApiDiscovery.context(kind));
            var resource = ref.namespace() == null || !kind.namespaced() ? operation.withName(ref.name())
                    : operation.inNamespace(ref.namespace()).withName(ref.name());
            if (resourceVersion != null) {
                return !((Resource<GenericKubernetesResource>) resource.lockResourceVersion(resourceVersion))
                        .withPropagationPolicy(propagation).delete().isEmpty();
            }
            return !resource.withPropagationPolicy(propagation).delete().isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            if (e.getCode() == 409 && resourceVersion != null) {
                throw e; // changed since it was read: the caller decides
            }
            if (e.getCode() == 409 && isNamespace(kind)) {
                return true; // already terminating ("The system is ensuring all content is removed"): wait for it
            }
            throw ApiErrors.translate(ref, e, connection);
        }
    }

    private static boolean isNamespace(ApiResource kind) {
        return kind.kind().equals("Namespace") && kind.group().isEmpty();
    }
}
