package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.template.YamlDocuments;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one class that talks to the Kubernetes API (fabric8, JDK HTTP client), pinned to one kubeconfig context.
 *
 * <p>The client is built lazily on first use (building it costs about a second), from the kubeconfig files of the
 * pinned context ({@link PinnedContext#kubeconfigFiles()}), never from the JVM's own environment, and always for the
 * context given here, whatever the kubeconfig's current-context says.
 *
 * <p><b>Apply and the applied hash.</b> {@link #apply} stamps every object with the annotation
 * {@value #APPLIED_HASH_ANNOTATION}, a hash of the manifest as rendered. Before writing, it reads the live object;
 * when the live hash equals the desired one the object is reported {@code UNCHANGED} and nothing is written, so a
 * second {@code up} with nothing changed issues no write at all. The trade-off: a change made behind devk8s's back
 * ({@code kubectl edit}) keeps the hash, so it is not reverted until the manifest changes or {@code force} is given.
 *
 * <p>Every API failure becomes a one-line {@link Devk8sException} naming the object ({@code Service devk8s/traefik:
 * ...}); an unreachable API server becomes a precondition error naming the context and server.
 */
public final class KubernetesCluster implements AutoCloseable {
    /** Field manager of every server-side apply. */
    public static final String FIELD_MANAGER = "devk8s";
    /** Annotation holding the hash of the manifest an object was last applied from. */
    public static final String APPLIED_HASH_ANNOTATION = "devk8s.io/applied-hash";
    /** Labels every object of the devk8s stack carries. */
    public static final String STACK_SELECTOR = "app.kubernetes.io/part-of=devk8s,app.kubernetes.io/managed-by=devk8s";

    /**
     * The objects of the stack living in {@code namespace}: {@link #STACK_SELECTOR} plus
     * {@code app.kubernetes.io/instance=<namespace>}, so cluster-scoped objects of a second stack in another
     * namespace are never touched.
     */
    public static String stackSelector(String namespace) {
        return STACK_SELECTOR + ",app.kubernetes.io/instance=" + namespace;
    }


    private final String context;
    private final String profile;
    private final List<Path> kubeconfigFiles;
    private final boolean ownsClient;
    private Config config;
    private KubernetesClient client;
    private KubernetesSerialization serialization;
    private Duration pollInterval = Duration.ofMillis(500);

    /**
     * A cluster for {@code context}, read from these kubeconfig files (merged like kubectl: first one wins); fix
     * hints name the Minikube profile as the context's name.
     */
    public KubernetesCluster(String context, List<Path> kubeconfigFiles) {
        this(context, context, kubeconfigFiles);
    }

    /**
     * A cluster for {@code context}, read from these kubeconfig files, belonging to the Minikube {@code profile}
     * that fix hints name ({@code minikube status -p <profile>}); the two differ when the context was accepted by
     * its CA, its node endpoint or {@code --allow-context}.
     */
    public KubernetesCluster(String context, String profile, List<Path> kubeconfigFiles) {
        this.context = Objects.requireNonNull(context, "context");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.kubeconfigFiles = List.copyOf(kubeconfigFiles);
        this.ownsClient = true;
    }

    /**
     * A cluster over a ready client, for tests (the mock server's client) and embedding. The caller keeps
     * ownership: {@link #close()} does not close it.
     */
    public KubernetesCluster(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = client.getConfiguration();
        NamedContext current = config.getCurrentContext();
        this.context = current != null ? current.getName() : "mock";
        this.profile = this.context;
        this.kubeconfigFiles = List.of();
        this.ownsClient = false;
    }

    /** Sets how often {@link #waitForDeployments} polls (default 500 ms). */
    public KubernetesCluster pollInterval(Duration interval) {
        this.pollInterval = interval;
        return this;
    }

    /** The pinned context name. */
    public String context() {
        return context;
    }

    /** The Minikube profile the context belongs to, for fix hints ({@code minikube start -p <profile>}). */
    public String profile() {
        return profile;
    }

    /** The API server URL of the pinned context, read from the kubeconfig (no request is made). */
    public String serverUrl() {
        return config().getMasterUrl();
    }

    /** The namespace the pinned context defaults to ({@code default} when it names none). */
    public String defaultNamespace() {
        String namespace = config().getNamespace();
        return namespace == null || namespace.isBlank() ? "default" : namespace;
    }

    /**
     * Asks the API server for its version, e.g. {@code v1.32.0}. An unreachable server becomes a precondition
     * error naming the context, the server and how to check the cluster.
     */
    public String serverVersion() {
        try {
            var version = client().getKubernetesVersion();
            return version.getGitVersion() != null ? version.getGitVersion()
                    : "v" + version.getMajor() + "." + version.getMinor();
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(null, e, this);
        }
    }

    // ---------------------------------------------------------------------------------------------- load

    /**
     * Parses rendered multi-document YAML into typed objects, in document order. Empty documents are skipped,
     * {@code kind: List} documents are flattened, and a namespaced object without a namespace gets the context's
     * default namespace (as kubectl does). A document that does not parse, or lacks kind, apiVersion or
     * metadata.name, is a usage error naming {@code source}, the document number and its first line.
     */
    public List<HasMetadata> load(String multiDocYaml, String source) {
        List<HasMetadata> objects = new ArrayList<>();
        for (YamlDocuments.Document document : YamlDocuments.split(multiDocYaml)) {
            parseDocument(document.text(), source, document.number(), document.line(), objects);
        }
        return objects;
    }

    private void parseDocument(String text, String source, int number, int line, List<HasMetadata> into) {
        if (text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            return;
        }
        String where = source + " document " + number + " (line " + line + ")";
        Object parsed;
        try {
            parsed = serialization().unmarshal(text);
        } catch (RuntimeException e) {
            throw Devk8sException.usage(describeParseError(e, source, number, line)
                    + ": fix the manifest or the template it comes from");
        }
        if (parsed instanceof KubernetesList list) {
            for (HasMetadata item : list.getItems()) {
                into.add(checked(item, where));
            }
        } else if (parsed instanceof HasMetadata object) {
            into.add(checked(object, where));
        } else if (parsed == null || parsed instanceof io.fabric8.kubernetes.api.model.runtime.RawExtension) {
            throw Devk8sException.usage(where + ": not a Kubernetes object (no kind and apiVersion): fix the manifest");
        } else {
            throw Devk8sException.usage(where + ": " + parsed.getClass().getSimpleName()
                    + " is not an object devk8s can apply: remove it from the manifests");
        }
    }

    private static final Pattern YAML_MARK = Pattern.compile("line (\\d+), column (\\d+)");
    private static final Pattern JSON_FIELD = Pattern.compile("\\[\"([^\"]+)\"\\]");

    /**
     * {@code stack.yaml line 24 (document 3): while parsing a flow sequence: expected ',' or ']'} for a YAML syntax
     * error, {@code stack.yaml document 3 (line 20): data.a: Cannot deserialize ...} for a type error.
     */
    private static String describeParseError(RuntimeException e, String source, int number, int line) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String raw = root.getMessage() == null ? e.toString() : root.getMessage();
        java.util.regex.Matcher mark = YAML_MARK.matcher(raw);
        if (mark.find()) {
            int absolute = line + Integer.parseInt(mark.group(1)) - 1;
            String problem = raw.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                    .map(String::strip).collect(java.util.stream.Collectors.joining(": "));
            return source + " line " + absolute + " (document " + number + "): " + problem;
        }
        Optional<String> typeError = ManifestTypeError.describe(raw);
        if (typeError.isPresent()) {
            return source + " document " + number + " (line " + line + "): " + typeError.get();
        }
        String first = raw.lines().findFirst().orElse(raw).replaceAll(" \\(token `[^`]*`\\)", "").strip();
        StringBuilder field = new StringBuilder();
        int chain = raw.indexOf("reference chain:");
        if (chain >= 0) {
            java.util.regex.Matcher m = JSON_FIELD.matcher(raw.substring(chain));
            while (m.find()) {
                field.append(field.length() == 0 ? "" : ".").append(m.group(1));
            }
        }
        return source + " document " + number + " (line " + line + "): " + (field.length() == 0 ? "" : field + ": ")
                + first;
    }

    private HasMetadata checked(HasMetadata object, String where) {
        if (object.getKind() == null || object.getKind().isBlank() || object.getApiVersion() == null
                || object.getApiVersion().isBlank()) {
            throw Devk8sException.usage(where + ": missing kind or apiVersion: add both to the manifest");
        }
        if (object.getMetadata() == null || object.getMetadata().getName() == null
                || object.getMetadata().getName().isBlank()) {
            throw Devk8sException.usage(where + ": " + object.getKind()
                    + " has no metadata.name: give it a name in the manifest");
        }
        if (clusterScoped(object)) {
            object.getMetadata().setNamespace(null); // as kubectl does: the API server ignores it, prune must too
        } else if (object instanceof Namespaced && object.getMetadata().getNamespace() == null) {
            object.getMetadata().setNamespace(defaultNamespace());
        }
        return object;
    }

    /**
     * Whether the object's kind is known to be cluster-scoped: one of {@link ResourceKind}'s cluster-scoped kinds,
     * or a typed fabric8 model class that is not {@link Namespaced} (PersistentVolume, StorageClass,
     * CustomResourceDefinition, ...). Kinds fabric8 does not know (custom resources) are left as written.
     */
    private static boolean clusterScoped(HasMetadata object) {
        Optional<ResourceKind> known = ResourceKind.forKind(object.getKind());
        if (known.isPresent() && known.get().type().isInstance(object)) {
            return !known.get().namespaced();
        }
        return !(object instanceof Namespaced)
                && !(object instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource);
    }

    // ---------------------------------------------------------------------------------------------- apply

    /** {@link #apply(List, boolean, ApplyListener)} without force. */
    public List<Applied> apply(List<? extends HasMetadata> objects, ApplyListener listener) {
        return apply(objects, false, listener);
    }

    /**
     * Server-side applies the objects in the given order (the caller puts Namespaces first), with field manager
     * {@value #FIELD_MANAGER} and forced conflicts. Each object is first read: when it exists and carries the hash of
     * this exact manifest, it is {@code UNCHANGED} and not written; when it is being deleted (deletionTimestamp set),
     * apply stops with a precondition error naming it ({@link #beingDeleted}). With {@code force}, every object is re-applied,
     * which reverts manual edits of the fields devk8s manages. Stops at the first failure, with a one-line error
     * naming the object; a nodePort outside the server's range is a {@link NodePortRangeException}.
     */
    public List<Applied> apply(List<? extends HasMetadata> objects, boolean force, ApplyListener listener) {
        List<Applied> results = new ArrayList<>();
        for (HasMetadata desired : objects) {
            ObjectRef ref = ObjectRef.of(desired);
            String hash = manifestHash(desired);
            HasMetadata stamped = serialization().clone(desired);
            stamped.getMetadata().setResourceVersion(null);
            Map<String, String> annotations = new LinkedHashMap<>();
            if (stamped.getMetadata().getAnnotations() != null) {
                annotations.putAll(stamped.getMetadata().getAnnotations());
            }
            annotations.put(APPLIED_HASH_ANNOTATION, hash);
            stamped.getMetadata().setAnnotations(annotations);
            ApplyOutcome outcome;
            try {
                HasMetadata live = client().resource(stamped).get();
                if (live != null && live.getMetadata().getDeletionTimestamp() != null) {
                    throw beingDeleted(ref);
                }
                if (live != null && !force && hash.equals(annotation(live, APPLIED_HASH_ANNOTATION))) {
                    outcome = ApplyOutcome.UNCHANGED;
                } else {
                    client().resource(stamped).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
                    outcome = live == null ? ApplyOutcome.CREATED : ApplyOutcome.CONFIGURED;
                }
            } catch (KubernetesClientException e) {
                throw ApiErrors.translate(ref, e, this);
            }
            Applied applied = new Applied(ref, outcome);
            results.add(applied);
            listener.applied(applied);
        }
        return results;
    }

    /**
     * {@code Deployment devk8s/web is being deleted; wait for it to go (kubectl --context minikube get deployment
     * -n devk8s web -w), then run devk8s up again}: writing to an object (or into a namespace) that is being deleted
     * fails or is undone, so {@code up} stops before its first write.
     */
    Devk8sException beingDeleted(ObjectRef ref) {
        return Devk8sException.precondition(ref + " is being deleted; wait for it to go (" + watchCommand(ref)
                + "), then run devk8s up again");
    }

    private String watchCommand(ObjectRef ref) {
        return "kubectl --context " + context + " get " + ref.kind().toLowerCase(java.util.Locale.ROOT)
                + (ref.namespace() == null ? "" : " -n " + ref.namespace()) + " " + ref.name() + " -w";
    }

    /**
     * The hash {@link #apply} stamps: SHA-256 over the object's JSON (without the hash annotation itself,
     * resourceVersion or status), as {@code sha256:<first 16 hex digits>}.
     */
    public String manifestHash(HasMetadata object) {
        HasMetadata copy = serialization().clone(object);
        copy.getMetadata().setResourceVersion(null);
        if (copy.getMetadata().getAnnotations() != null) {
            Map<String, String> annotations = new LinkedHashMap<>(copy.getMetadata().getAnnotations());
            annotations.remove(APPLIED_HASH_ANNOTATION);
            copy.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
        }
        String json = serialization().asJson(copy);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String annotation(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    // ---------------------------------------------------------------------------------------------- prune / delete

    /**
     * Deletes the objects of the given kinds that match {@code labelSelector} but are not in {@code keep}, and
     * returns them. Namespaces are never pruned, and neither are objects a controller owns (ownerReferences).
     * Namespaced kinds are searched in {@code namespace}, or in all namespaces when it is null; cluster-scoped kinds
     * (ClusterRole, ClusterRoleBinding, IngressClass) are searched cluster-wide. With {@code dryRun}, returns what
     * would be pruned and deletes nothing.
     */
    public List<ObjectRef> prune(String labelSelector, Set<ObjectRef> keep, Collection<ResourceKind> kinds,
            String namespace, boolean dryRun) {
        List<ObjectRef> pruned = new ArrayList<>();
        for (ResourceKind kind : kinds) {
            if (kind == ResourceKind.NAMESPACE) {
                continue;
            }
            for (HasMetadata live : listObjects(kind, namespace, labelSelector)) {
                ObjectRef ref = refOf(kind, live);
                boolean owned = live.getMetadata().getOwnerReferences() != null
                        && !live.getMetadata().getOwnerReferences().isEmpty();
                if (keep.contains(ref) || owned) {
                    continue;
                }
                if (!dryRun) {
                    delete(kind, live, ref);
                }
                pruned.add(ref);
            }
        }
        return pruned;
    }

    /**
     * Deletes every object of the given kinds carrying {@code labelSelector}, in the kinds' order (see
     * {@link ResourceKind#TEARDOWN}), like {@code kubectl delete --ignore-not-found}: objects already gone are not
     * an error. Namespaced kinds are searched in {@code namespace} (all namespaces when null), cluster-scoped kinds
     * cluster-wide; Namespaces are never deleted here. With {@code keepPvcs}, PersistentVolumeClaims stay. With a
     * positive {@code waitUntilGone}, polls until every deleted object has disappeared or the time is up; what is
     * still there is in {@link DeleteResult#remaining()}.
     */
    public DeleteResult deleteByLabel(String namespace, String labelSelector, Collection<ResourceKind> kinds,
            boolean keepPvcs, Duration waitUntilGone) {
        List<ObjectRef> deleted = new ArrayList<>();
        for (ResourceKind kind : kinds) {
            if (kind == ResourceKind.NAMESPACE || keepPvcs && kind == ResourceKind.PERSISTENT_VOLUME_CLAIM) {
                continue;
            }
            for (HasMetadata live : listObjects(kind, namespace, labelSelector)) {
                ObjectRef ref = refOf(kind, live);
                if (delete(kind, live, ref)) {
                    deleted.add(ref);
                }
            }
        }
        return new DeleteResult(deleted, waitUntilGone(deleted, waitUntilGone));
    }

    /**
     * Deletes these objects (kinds from {@link ResourceKind}, Namespaces included), like {@code kubectl delete
     * --ignore-not-found}: an object already gone is left out of {@link DeleteResult#deleted()}. With a positive
     * {@code waitUntilGone}, polls until they have disappeared (a Namespace takes a while: its content goes
     * first) or the time is up.
     */
    public DeleteResult delete(Collection<ObjectRef> refs, Duration waitUntilGone) {
        List<ObjectRef> deleted = new ArrayList<>();
        for (ObjectRef ref : new LinkedHashSet<>(refs)) {
            ResourceKind kind = ResourceKind.forKind(ref.kind())
                    .orElseThrow(() -> new IllegalArgumentException("unsupported kind " + ref.kind()));
            if (delete(kind, null, ref)) {
                deleted.add(ref);
            }
        }
        return new DeleteResult(deleted, waitUntilGone(deleted, waitUntilGone));
    }

    private List<ObjectRef> waitUntilGone(List<ObjectRef> deleted, Duration waitUntilGone) {
        List<ObjectRef> remaining = new ArrayList<>(deleted);
        if (waitUntilGone == null || waitUntilGone.isZero() || waitUntilGone.isNegative()) {
            return List.of();
        }
        long deadline = System.nanoTime() + waitUntilGone.toNanos();
        while (true) {
            remaining.removeIf(ref -> !exists(ref));
            if (remaining.isEmpty() || System.nanoTime() > deadline) {
                return remaining;
            }
            sleep(pollInterval);
        }
    }

    private boolean delete(ResourceKind kind, HasMetadata live, ObjectRef ref) {
        try {
            var resource = ref.namespace() == null
                    ? client().resources(kind.type()).withName(ref.name())
                    : client().resources(kind.type()).inNamespace(ref.namespace()).withName(ref.name());
            return !resource.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete().isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            if (e.getCode() == 409 && kind == ResourceKind.NAMESPACE) {
                return true; // already terminating ("The system is ensuring all content is removed"): wait for it
            }
            throw ApiErrors.translate(ref, e, this);
        }
    }

    // ---------------------------------------------------------------------------------------------- reads

    /**
     * The objects of the given kinds carrying {@code labelSelector} (null or blank: all), namespaced kinds in
     * {@code namespace} or all namespaces when it is null, cluster-scoped kinds cluster-wide.
     */
    public List<ObjectRef> list(String namespace, String labelSelector, Collection<ResourceKind> kinds) {
        List<ObjectRef> refs = new ArrayList<>();
        for (ResourceKind kind : kinds) {
            for (HasMetadata live : listObjects(kind, namespace, labelSelector)) {
                refs.add(refOf(kind, live));
            }
        }
        return refs;
    }

    /** Whether the object exists; its kind must be one of {@link ResourceKind}. */
    public boolean exists(ObjectRef ref) {
        ResourceKind kind = ResourceKind.forKind(ref.kind())
                .orElseThrow(() -> new IllegalArgumentException("unsupported kind " + ref.kind()));
        try {
            var resource = ref.namespace() == null || !kind.namespaced()
                    ? client().resources(kind.type()).withName(ref.name())
                    : client().resources(kind.type()).inNamespace(ref.namespace()).withName(ref.name());
            return resource.get() != null;
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ref, e, this);
        }
    }

    /** Whether each of the objects exists, in the given order. */
    public Map<ObjectRef, Boolean> exist(Collection<ObjectRef> refs) {
        Map<ObjectRef, Boolean> result = new LinkedHashMap<>();
        for (ObjectRef ref : new LinkedHashSet<>(refs)) {
            result.put(ref, exists(ref));
        }
        return result;
    }

    /** The Deployment's replicas and images, or empty when it does not exist. */
    public Optional<DeploymentState> deployment(String namespace, String name) {
        try {
            Deployment d = client().apps().deployments().inNamespace(namespace).withName(name).get();
            return Optional.ofNullable(d).map(RolloutWatcher::state);
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.namespaced("Deployment", namespace, name), e, this);
        }
    }

    /** The Deployments in {@code namespace} carrying {@code labelSelector} (null or blank: all), sorted by name. */
    public List<DeploymentState> deployments(String namespace, String labelSelector) {
        return listObjects(ResourceKind.DEPLOYMENT, namespace, labelSelector).stream()
                .map(d -> RolloutWatcher.state((Deployment) d))
                .sorted(java.util.Comparator.comparing(DeploymentState::name))
                .toList();
    }

    /**
     * The host rules of the Ingresses in {@code namespace} carrying {@code labelSelector} (null or blank: all),
     * sorted by Ingress name, rules in their order. Rules without a host are left out.
     */
    public List<IngressHost> ingressHosts(String namespace, String labelSelector) {
        List<IngressHost> hosts = new ArrayList<>();
        List<Ingress> ingresses = listObjects(ResourceKind.INGRESS, namespace, labelSelector).stream()
                .map(Ingress.class::cast)
                .sorted(java.util.Comparator.comparing(i -> i.getMetadata().getName()))
                .toList();
        for (Ingress ingress : ingresses) {
            var meta = ingress.getMetadata();
            String component = meta.getLabels() == null ? null : meta.getLabels().get("app.kubernetes.io/name");
            String urlPath = annotation(ingress, IngressHost.URL_PATH_ANNOTATION);
            if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
                continue;
            }
            for (var rule : ingress.getSpec().getRules()) {
                if (rule.getHost() != null && !rule.getHost().isBlank()) {
                    hosts.add(new IngressHost(meta.getNamespace(), meta.getName(), component, rule.getHost(), urlPath));
                }
            }
        }
        return hosts;
    }

    /**
     * The nodePort of a Service's port: the port named {@code portName}, or (when it is null) the first port that
     * has one. Empty when the Service does not exist, has no such port, or the port has no nodePort.
     */
    public Optional<Integer> nodePort(String namespace, String service, String portName) {
        Service live;
        try {
            live = client().services().inNamespace(namespace).withName(service).get();
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.namespaced("Service", namespace, service), e, this);
        }
        if (live == null || live.getSpec() == null || live.getSpec().getPorts() == null) {
            return Optional.empty();
        }
        return live.getSpec().getPorts().stream()
                .filter(p -> portName == null ? p.getNodePort() != null : portName.equals(p.getName()))
                .map(ServicePort::getNodePort)
                .filter(Objects::nonNull)
                .findFirst();
    }

    /**
     * The objects of the given kinds in {@code namespace} that do not carry {@code labelSelector}: what someone
     * else put there. Left out: objects a controller owns (ownerReferences: their owner is judged instead) and
     * what Kubernetes creates in every namespace (ServiceAccount {@code default}, ConfigMap
     * {@code kube-root-ca.crt}, service-account token Secrets).
     */
    public List<ObjectRef> unmanagedObjects(String namespace, String labelSelector, Collection<ResourceKind> kinds) {
        List<ObjectRef> foreign = new ArrayList<>();
        for (ResourceKind kind : kinds) {
            if (!kind.namespaced()) {
                continue;
            }
            for (HasMetadata live : listObjects(kind, namespace, null)) { // one list per kind, filtered here
                var meta = live.getMetadata();
                boolean owned = meta.getOwnerReferences() != null && !meta.getOwnerReferences().isEmpty();
                if (!matches(labelSelector, meta.getLabels()) && !owned && !createdByKubernetes(live)) {
                    foreign.add(refOf(kind, live));
                }
            }
        }
        return foreign;
    }

    /**
     * Whether labels match a selector of the forms the API server takes in {@code labelSelector}: {@code k=v},
     * {@code k==v}, {@code k!=v}, {@code k} (exists), {@code !k} (absent), comma-separated, all required; null or
     * blank matches everything.
     */
    static boolean matches(String labelSelector, Map<String, String> labels) {
        if (labelSelector == null || labelSelector.isBlank()) {
            return true;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        for (String requirement : labelSelector.split(",")) {
            String r = requirement.strip();
            int eq = r.indexOf('=');
            boolean matched;
            if (r.startsWith("!")) {
                matched = !have.containsKey(r.substring(1).strip());
            } else if (eq < 0) {
                matched = have.containsKey(r);
            } else if (eq > 0 && r.charAt(eq - 1) == '!') {
                matched = !r.substring(eq + 1).strip().equals(have.get(r.substring(0, eq - 1).strip()));
            } else {
                String value = r.substring(r.startsWith("=", eq + 1) ? eq + 2 : eq + 1).strip();
                matched = value.equals(have.get(r.substring(0, eq).strip()));
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    private static boolean createdByKubernetes(HasMetadata object) {
        String name = object.getMetadata().getName();
        return object instanceof io.fabric8.kubernetes.api.model.ServiceAccount && name.equals("default")
                || object instanceof io.fabric8.kubernetes.api.model.ConfigMap && name.equals("kube-root-ca.crt")
                || object instanceof io.fabric8.kubernetes.api.model.Secret secret
                        && "kubernetes.io/service-account-token".equals(secret.getType());
    }

    // ---------------------------------------------------------------------------------------------- wait

    /**
     * Waits until every named Deployment in {@code namespace} is available: its controller has seen the latest
     * generation and all desired replicas are updated and available. Polls about twice a second and reports each
     * Deployment's {@link Rollout.Progress} to the listener at every poll. Stops early when a pod hits a failure that
     * does not heal by waiting ({@code ErrImageNeverPull}, {@code InvalidImageName}); otherwise waits up
     * to {@code timeout} ({@code CreateContainerConfigError} heals once the missing ConfigMap or Secret appears, so
     * it is waited out and diagnosed). The result carries a diagnosis for
     * each Deployment that did not make it: the failing pod, its reason from container statuses and events, and a
     * concrete fix. It never throws for a failed rollout; API failures still throw.
     */
    public Rollout.Result waitForDeployments(String namespace, List<String> names, Duration timeout,
            Rollout.Listener listener) {
        return new RolloutWatcher(this, namespace, names).await(timeout, pollInterval, listener);
    }

    // ---------------------------------------------------------------------------------------------- internals

    List<? extends HasMetadata> listObjects(ResourceKind kind, String namespace, String labelSelector) {
        try {
            var operation = client().resources(kind.type());
            var listable = !kind.namespaced() ? operation
                    : namespace == null ? operation.inAnyNamespace() : operation.inNamespace(namespace);
            if (labelSelector == null || labelSelector.isBlank()) {
                return listable.list().getItems();
            }
            return listable.withLabelSelector(labelSelector).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of(); // the API group is not served (e.g. an older cluster)
            }
            throw ApiErrors.translate(null, e, this);
        }
    }

    private static ObjectRef refOf(ResourceKind kind, HasMetadata live) {
        return new ObjectRef(kind.kind(), kind.namespaced() ? live.getMetadata().getNamespace() : null,
                live.getMetadata().getName());
    }

    KubernetesClient client() {
        if (client == null) {
            client = new KubernetesClientBuilder().withConfig(config()).withKubernetesSerialization(serialization())
                    .build();
        }
        return client;
    }

    private Config config() {
        if (config == null) {
            config = KubeconfigLoader.load(context, profile, kubeconfigFiles);
        }
        return config;
    }

    KubernetesSerialization serialization() {
        if (serialization == null) {
            CompletableFuture<KubernetesSerialization> warm = WARM_UP.get();
            serialization = client != null ? client.getKubernetesSerialization() : serialization(warm);
        }
        return serialization;
    }

    /** The warmed-up serialization, or a new one; a failed load is a one-line failure, never a hang. */
    static KubernetesSerialization serialization(CompletableFuture<KubernetesSerialization> warm) {
        try {
            return warm != null ? warm.join() : new KubernetesSerialization();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException
                | LinkageError e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getClass().getSimpleName() + " " + cause.getMessage();
            throw Devk8sException.failure("cannot load the Kubernetes client: " + ApiErrors.oneLine(reason)
                    + ": the devk8s installation looks broken, reinstall it", cause);
        }
    }

    /**
     * The class-loading part of an apply, without a cluster: parses the documents, hashes them and builds (and
     * closes) an HTTP client for an address nothing listens on, making no request. The installer runs it while it
     * records the JVM's start-up archive, so {@code up}, {@code status} and {@code down} start with these classes
     * already in the archive.
     */
    public static int trainingRun(List<String> documents) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1")
                .withNamespace("default").build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withKubernetesSerialization(new KubernetesCluster("training", List.of()).serialization()).build()) {
            KubernetesCluster cluster = new KubernetesCluster(client);
            int objects = 0;
            for (String document : documents) {
                for (HasMetadata object : cluster.load(document, "training")) {
                    cluster.manifestHash(object);
                    objects++;
                }
            }
            return objects;
        }
    }

    private static final AtomicReference<CompletableFuture<KubernetesSerialization>> WARM_UP = new AtomicReference<>();

    /**
     * Starts loading the Kubernetes client's classes (its serialization registers every model class, about half
     * a second on a cold JVM) on a background thread, so that it overlaps with work a command does first
     * (rendering templates, asking minikube). Idempotent; the clusters built afterwards use the result.
     */
    public static void warmUp() {
        if (WARM_UP.get() != null) {
            return;
        }
        CompletableFuture<KubernetesSerialization> future = new CompletableFuture<>();
        if (!WARM_UP.compareAndSet(null, future)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                KubernetesSerialization s = new KubernetesSerialization();
                // the first parse loads the deserializers of the kinds the stack uses
                s.unmarshal("""
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: warm-up, labels: {a: b}}
                        spec:
                          selector: {matchLabels: {a: b}}
                          template:
                            metadata: {labels: {a: b}}
                            spec: {containers: [{name: c, image: i, ports: [{containerPort: 1}]}]}
                        """);
                new KubernetesClientBuilder(); // the HTTP client factory lookup
                future.complete(s);
            } catch (Throwable e) {
                future.completeExceptionally(e); // serialization() reports it; never leave the future open
            }
        }, "devk8s-kubernetes-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Devk8sException.failure("interrupted");
        }
    }

    /** The object's uid, or empty when it does not exist; its kind must be one of {@link ResourceKind}. */
    public Optional<String> uid(ObjectRef ref) {
        ResourceKind kind = ResourceKind.forKind(ref.kind())
                .orElseThrow(() -> new IllegalArgumentException("unsupported kind " + ref.kind()));
        try {
            var resource = ref.namespace() == null || !kind.namespaced()
                    ? client().resources(kind.type()).withName(ref.name())
                    : client().resources(kind.type()).inNamespace(ref.namespace()).withName(ref.name());
            HasMetadata live = resource.get();
            return live == null ? Optional.empty() : Optional.ofNullable(live.getMetadata().getUid());
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ref, e, this);
        }
    }

    /** The data of a Secret, each value decoded from base64 as UTF-8; empty when the Secret does not exist. */
    public Optional<Map<String, String>> secretData(String namespace, String name) {
        try {
            var secret = client().secrets().inNamespace(namespace).withName(name).get();
            if (secret == null) {
                return Optional.empty();
            }
            Map<String, String> data = new LinkedHashMap<>();
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) -> data.put(k,
                        new String(java.util.Base64.getDecoder().decode(v), java.nio.charset.StandardCharsets.UTF_8)));
            }
            return Optional.of(data);
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.namespaced("Secret", namespace, name), e, this);
        }
    }

    /**
     * Creates the Secret unless one of its name exists in its namespace (a plain create, never an update, so an
     * existing Secret keeps its data). Returns whether it was created.
     */
    public boolean createSecretIfAbsent(SecretSpec secret) {
        return createSecretIfAbsent(secret.toSecret());
    }

    /** {@link #createSecretIfAbsent(SecretSpec)} for a Secret already built. */
    public boolean createSecretIfAbsent(io.fabric8.kubernetes.api.model.Secret secret) {
        String namespace = secret.getMetadata().getNamespace();
        ObjectRef ref = ObjectRef.namespaced("Secret", namespace, secret.getMetadata().getName());
        try {
            if (client().secrets().inNamespace(namespace).withName(ref.name()).get() != null) {
                return false;
            }
            client().secrets().inNamespace(namespace).resource(secret).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false; // created by someone else in between: theirs is kept
            }
            throw ApiErrors.translate(ref, e, this);
        }
    }

    /** An annotation of a Namespace; empty when the namespace or the annotation does not exist. */
    public Optional<String> namespaceAnnotation(String namespace, String key) {
        try {
            var ns = client().namespaces().withName(namespace).get();
            return ns == null || ns.getMetadata().getAnnotations() == null ? Optional.empty()
                    : Optional.ofNullable(ns.getMetadata().getAnnotations().get(key));
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.clusterScoped("Namespace", namespace), e, this);
        }
    }

    /** Closes the client if this cluster built it. */
    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
            client = null;
        }
    }
}
