package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Server-side apply with the applied hash, in two steps: {@link #plan} checks everything that can be checked
 * without writing (every kind and apiVersion against API discovery, the live objects, and, with {@code dryRun}, a
 * server-side dry run of every object that would be written: {@code dryRun=All}, {@code fieldValidation=Strict}),
 * then {@link #apply(ApplyPlan, ApplyListener)} writes.
 *
 * <p><b>The applied hash.</b> Every object is stamped with {@value KubernetesCluster#APPLIED_HASH_ANNOTATION}, a
 * hash of the manifest as rendered; when the live object carries the same hash it is {@code UNCHANGED} and not
 * written. A change made behind devk8s's back keeps the hash, so it is reverted only with {@code force}.
 *
 * <p><b>Namespaces devk8s created.</b> A Namespace that does not exist before its first apply gets
 * {@value KubernetesCluster#CREATED_BY_ANNOTATION}{@code =devk8s}, and keeps it on every later apply; a Namespace
 * that existed before (adopted) never gets it, so {@code down} can tell the two apart.
 */
final class Applier {
    private final KubeConnection connection;
    private final ApiDiscovery discovery;

    Applier(KubeConnection connection, ApiDiscovery discovery) {
        this.connection = connection;
        this.discovery = discovery;
    }

    /**
     * Stops at the first manifest whose kind the API server does not serve, with a usage error naming the file and
     * line of its {@code kind:}. Sets the namespace the way discovery says (cluster-scoped: none; namespaced
     * without one: the context's default).
     */
    void checkServed(List<Manifest> manifests) {
        discovery.prefetch(manifests.stream().map(Manifest::apiVersion).toList());
        for (Manifest m : manifests) {
            ApiResource resource = discovery.resolve(m.apiVersion(), m.kind()).orElseThrow(() -> notServed(m));
            fixNamespace(m.object(), resource);
        }
    }

    private Devk8sException notServed(Manifest m) {
        String why = discovery.serves(m.apiVersion())
                ? "it serves " + m.apiVersion() + " but no kind " + m.kind() + " in it"
                : "it serves no " + m.apiVersion();
        return Devk8sException.usage(m.where() + ": kind " + m.kind() + " (apiVersion " + m.apiVersion()
                + ") is not served by the API server of context '" + connection.context() + "' (" + why
                + "): fix kind/apiVersion in the template, or install the CustomResourceDefinition first");
    }

    private void fixNamespace(HasMetadata object, ApiResource resource) {
        if (!resource.namespaced()) {
            object.getMetadata().setNamespace(null);
        } else if (object.getMetadata().getNamespace() == null) {
            object.getMetadata().setNamespace(connection.defaultNamespace());
        }
    }

    private void read(List<Integer> indexes, List<Manifest> manifests, List<Resource<? extends HasMetadata>> handles,
                      List<HasMetadata> lives) {
        List<HasMetadata> read = ParallelCalls.each(indexes.stream().map(handles::get).toList(),
                indexes.stream().map(i -> manifests.get(i).ref()).toList(), Resource::get, connection);
        for (int j = 0; j < indexes.size(); j++) {
            lives.set(indexes.get(j), read.get(j));
        }
    }

    private static boolean isNamespace(Manifest m) {
        return "Namespace".equals(m.kind()) && "v1".equals(m.apiVersion());
    }

    /**
     * Reads each live object and decides what applying it does. Stops with a precondition error at an object that
     * is being deleted. With {@code dryRun}, every object that would be written is sent as a server-side dry run
     * first; objects in a namespace this plan creates are left out of it (the API server cannot dry-run into a
     * namespace that does not exist yet).
     */
    ApplyPlan plan(List<Manifest> manifests, boolean force, boolean dryRun, PruneCandidates listed) {
        List<ApplyPlan.Step> steps = new ArrayList<>();
        Set<String> newNamespaces = new LinkedHashSet<>();
        // the live objects are read all at once (each read is a round trip; an answer is used in manifest order)
        List<HasMetadata> stampedObjects = new ArrayList<>();
        List<Resource<? extends HasMetadata>> handles = new ArrayList<>();
        for (Manifest m : manifests) {
            HasMetadata stamped = connection.serialization().clone(m.object());
            stamped.getMetadata().setResourceVersion(null);
            stampedObjects.add(stamped);
            handles.add(handle(stamped, m.ref()));
        }
        // an object the prune's lists hold (same group, kind, namespace and name) is taken from them
        List<HasMetadata> lives = new ArrayList<>();
        List<Integer> unread = new ArrayList<>();
        for (int i = 0; i < manifests.size(); i++) {
            Manifest m = manifests.get(i);
            HasMetadata known = listed == null ? null : listed.listed(groupOf(m.apiVersion()), m.ref());
            lives.add(known);
            if (known == null) {
                unread.add(i);
            }
        }
        // a Namespace of the manifests that the lists hold nothing in is read first: where it does not exist,
        // nothing in it does either, and the objects in it are not read one by one (a first apply)
        List<Integer> namespacesFirst = unread.stream().filter(i -> {
            String name = manifests.get(i).ref().name();
            return isNamespace(manifests.get(i)) && (listed == null || !listed.holdsAnyIn(name))
                    && unread.stream().anyMatch(j -> name.equals(manifests.get(j).ref().namespace()));
        }).toList();
        Set<String> absentNamespaces = new LinkedHashSet<>();
        read(namespacesFirst, manifests, handles, lives);
        for (int i : namespacesFirst) {
            if (lives.get(i) == null) {
                absentNamespaces.add(manifests.get(i).ref().name());
            }
        }
        read(unread.stream().filter(i -> !namespacesFirst.contains(i)
                && !absentNamespaces.contains(manifests.get(i).ref().namespace())).toList(), manifests, handles, lives);
        for (int i = 0; i < manifests.size(); i++) {
            Manifest m = manifests.get(i);
            HasMetadata desired = m.object();
            ObjectRef ref = m.ref();
            HasMetadata stamped = stampedObjects.get(i);
            String hash = hashOfCopy(stamped); // the copy is the manifest without resourceVersion: no other copy needed
            Map<String, String> annotations = new LinkedHashMap<>();
            if (stamped.getMetadata().getAnnotations() != null) {
                annotations.putAll(stamped.getMetadata().getAnnotations());
            }
            annotations.put(KubernetesCluster.APPLIED_HASH_ANNOTATION, hash);
            HasMetadata live = lives.get(i);
            if (live != null && live.getMetadata().getDeletionTimestamp() != null) {
                throw connection.beingDeleted(ref);
            }
            if ("Namespace".equals(desired.getKind()) && "v1".equals(desired.getApiVersion())
                    && (live == null || createdByDevk8s(live))) {
                annotations.put(KubernetesCluster.CREATED_BY_ANNOTATION, KubernetesCluster.CREATED_BY_DEVK8S);
                if (live == null) {
                    newNamespaces.add(ref.name());
                }
            }
            stamped.getMetadata().setAnnotations(annotations);
            ApplyOutcome outcome = live != null && !force
                    && hash.equals(annotation(live, KubernetesCluster.APPLIED_HASH_ANNOTATION)) ? ApplyOutcome.UNCHANGED
                    : live == null ? ApplyOutcome.CREATED : ApplyOutcome.CONFIGURED;
            steps.add(new ApplyPlan.Step(ref, stamped, outcome));
        }
        if (dryRun) { // all at once too: a dry run writes nothing, and the first failure in manifest order is reported
            List<ApplyPlan.Step> checked = steps.stream().filter(step -> step.outcome() != ApplyOutcome.UNCHANGED
                    && !newNamespaces.contains(step.ref().namespace())).toList();
            List<Resource<? extends HasMetadata>> dryRuns = new ArrayList<>();
            for (ApplyPlan.Step step : checked) {
                dryRuns.add(handle(step.object(), step.ref()));
            }
            ParallelCalls.each(dryRuns, checked.stream().map(ApplyPlan.Step::ref).toList(),
                    r -> r.dryRun().fieldValidation(FieldValidateable.Validation.STRICT)
                            .fieldManager(KubernetesCluster.FIELD_MANAGER).forceConflicts().serverSideApply(),
                    connection);
        }
        return new ApplyPlan(steps);
    }

    /**
     * Writes the plan's objects in order (unchanged ones are only reported), stopping at the first failure. A run of
     * consecutive objects of one {@link #tier} is written at the same time: none of them needs another to exist
     * first, and every object still comes after the objects of other tiers listed before it (a Namespace before
     * what goes in it, a CustomResourceDefinition before its resources, config before the workloads that use it).
     * The listener hears of each object in plan order; after a failure, of those before it (objects after it in
     * the same run may have been written: the plan's dry run is what keeps a bad object from writing anything).
     */
    List<Applied> apply(ApplyPlan plan, ApplyListener listener) {
        List<Applied> results = new ArrayList<>();
        List<ApplyPlan.Step> steps = plan.steps();
        for (int start = 0; start < steps.size(); ) {
            int end = start + 1;
            Set<ObjectRef> inRun = new java.util.HashSet<>(Set.of(steps.get(start).ref()));
            // a run ends where the tier changes, or at an object listed twice (its writes stay in order)
            while (end < steps.size() && tier(steps.get(end)) == tier(steps.get(start))
                    && inRun.add(steps.get(end).ref())) {
                end++;
            }
            List<ApplyPlan.Step> run = steps.subList(start, end);
            List<ApplyPlan.Step> writes = run.stream().filter(step -> step.outcome() != ApplyOutcome.UNCHANGED)
                    .toList();
            RuntimeException failure = null;
            Set<ObjectRef> written = new java.util.HashSet<>();
            try {
                ParallelCalls.each(writes, writes.stream().map(ApplyPlan.Step::ref).toList(), step -> {
                    handle(step.object(), step.ref()).fieldManager(KubernetesCluster.FIELD_MANAGER).forceConflicts()
                            .serverSideApply();
                    synchronized (written) {
                        written.add(step.ref());
                    }
                    return step;
                }, connection);
            } catch (RuntimeException e) {
                failure = e;
            }
            // every write before the failed one has completed (the calls' answers are taken in order)
            for (ApplyPlan.Step step : run) {
                if (failure != null && step.outcome() != ApplyOutcome.UNCHANGED && !written.contains(step.ref())) {
                    throw failure; // the failed one
                }
                Applied applied = new Applied(step.ref(), step.outcome());
                results.add(applied);
                listener.applied(applied);
            }
            if (failure != null) {
                throw failure; // never left unreported, whatever the calls left undone
            }
            start = end;
        }
        return results;
    }

    /**
     * Which objects may be written together: 0 Namespace, 1 CustomResourceDefinition, 2 admission webhooks and
     * API services (they change how the API server treats what follows), 4 workloads (they start pods that use
     * what came before), 3 everything else.
     */
    static int tier(ApplyPlan.Step step) {
        HasMetadata object = step.object();
        String group = groupOf(object.getApiVersion());
        String kind = object.getKind();
        if (group.isEmpty() && "Namespace".equals(kind)) {
            return 0;
        }
        if ("apiextensions.k8s.io".equals(group) && "CustomResourceDefinition".equals(kind)) {
            return 1;
        }
        if ("admissionregistration.k8s.io".equals(group) || "apiregistration.k8s.io".equals(group)) {
            return 2;
        }
        if ((group.equals("apps") && Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet").contains(kind))
                || (group.equals("batch") && Set.of("Job", "CronJob").contains(kind))
                || (group.isEmpty() && Set.of("Pod", "ReplicationController").contains(kind))) {
            return 4;
        }
        return 3;
    }

    private static String groupOf(String apiVersion) {
        int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** A typed object through its fabric8 handler; a generic one (custom resource) through discovery. */
    private Resource<? extends HasMetadata> handle(HasMetadata object, ObjectRef ref) {
        if (object instanceof GenericKubernetesResource generic) {
            ApiResource resource = discovery.resolve(object.getApiVersion(), object.getKind())
                    .orElseThrow(() -> Devk8sException.usage(ref + ": kind " + object.getKind() + " (apiVersion "
                            + object.getApiVersion() + ") is not served by the API server of context '"
                            + connection.context() + "': install its CustomResourceDefinition first"));
            fixNamespace(object, resource);
            var operation = connection.client().genericKubernetesResources(ApiDiscovery.context(resource));
            return resource.namespaced() ? operation.inNamespace(object.getMetadata().getNamespace()).resource(generic)
                    : operation.resource(generic);
        }
        return connection.client().resource(object);
    }

    static boolean createdByDevk8s(HasMetadata object) {
        return KubernetesCluster.CREATED_BY_DEVK8S.equals(annotation(object, KubernetesCluster.CREATED_BY_ANNOTATION));
    }

    /**
     * SHA-256 over the object's JSON (without the hash annotation itself, resourceVersion or status), as
     * {@code sha256:<first 16 hex digits>}.
     */
    String manifestHash(HasMetadata object) {
        HasMetadata copy = connection.serialization().clone(object);
        copy.getMetadata().setResourceVersion(null);
        return hashOfCopy(copy);
    }

    /**
     * {@link #manifestHash} of a copy of the manifest whose resourceVersion is already cleared; its annotations are
     * left as they were.
     */
    private String hashOfCopy(HasMetadata copy) {
        Map<String, String> own = copy.getMetadata().getAnnotations();
        if (own != null) {
            Map<String, String> annotations = new LinkedHashMap<>(own);
            annotations.remove(KubernetesCluster.APPLIED_HASH_ANNOTATION);
            copy.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
        }
        String json;
        try {
            json = connection.serialization().asJson(copy);
        } finally {
            copy.getMetadata().setAnnotations(own);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String annotation(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata() == null ? null : object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    static Optional<String> label(HasMetadata object, String key) {
        Map<String, String> labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
        return labels == null ? Optional.empty() : Optional.ofNullable(labels.get(key));
    }
}
