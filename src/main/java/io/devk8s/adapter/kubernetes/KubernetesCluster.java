package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The Kubernetes API of one pinned kubeconfig context, as the services use it: a thin facade over the classes that
 * do each job.
 * <ul>
 *   <li>{@link KubeConnection}: the client (built lazily from the context's kubeconfig files), serialization,
 *       warm-up and close;</li>
 *   <li>{@link ManifestParser}: YAML to {@link Manifest}s, with source and line;</li>
 *   <li>{@link ApiDiscovery}: the kinds the server serves ({@link ApiResource});</li>
 *   <li>{@link Applier}: discovery check, server-side dry run and server-side apply with the applied hash;</li>
 *   <li>{@link Deleter}: delete, prune and wait until gone, for any kind the server serves;</li>
 *   <li>{@link ClusterQueries}: read-only questions;</li>
 *   <li>{@link RolloutWatcher}: waiting for Deployments, StatefulSets, DaemonSets, Jobs and Pods, with a
 *       diagnosis.</li>
 * </ul>
 * Every API failure becomes a one-line {@code Devk8sException} naming the object; an unreachable API server
 * becomes a precondition error naming the context and server.
 */
public final class KubernetesCluster implements AutoCloseable {
    /** Field manager of every server-side apply. */
    public static final String FIELD_MANAGER = "devk8s";
    /** Annotation holding the hash of the manifest an object was last applied from. */
    public static final String APPLIED_HASH_ANNOTATION = "devk8s.io/applied-hash";
    /** Annotation on a Namespace that devk8s created (absent on a namespace that existed before: adopted). */
    public static final String CREATED_BY_ANNOTATION = "devk8s.io/created-by";
    /** Value of {@link #CREATED_BY_ANNOTATION}. */
    public static final String CREATED_BY_DEVK8S = "devk8s";
    private final String contextName;
    private final String profileName;
    /** The kubeconfig files of the context; empty for a cluster over a ready client. */
    private final List<Path> kubeconfigFiles;
    /** The client and the classes that use it, built on first use: a command that only reads never loads them. */
    private Parts parts;
    private LogSource logSource;
    /** The lean reader of the read queries, decided on the first one: empty for the full client. */
    private Optional<LeanReads> lean;

    /** The connection and the classes that do each job over it. */
    private static final class Parts {
        final KubeConnection connection;
        final ApiDiscovery discovery;
        final ManifestParser parser;
        final Applier applier;
        final ClusterQueries queries;
        final Deleter deleter;
        final Secrets secrets;
        final ClusterImages images;

        Parts(KubeConnection connection) {
            this.connection = connection;
            this.discovery = new ApiDiscovery(connection);
            this.parser = new ManifestParser(connection);
            this.applier = new Applier(connection, discovery);
            this.queries = new ClusterQueries(connection, discovery);
            this.deleter = new Deleter(connection, queries);
            this.secrets = new Secrets(connection);
            this.images = new ClusterImages(connection);
        }
    }

    /** A cluster for {@code context}, read from these kubeconfig files (merged like kubectl: first one wins). */
    public KubernetesCluster(String context, List<Path> kubeconfigFiles) {
        this(context, context, kubeconfigFiles);
    }

    /**
     * A cluster for {@code context}, read from these kubeconfig files, belonging to the Minikube {@code profile}
     * that fix hints name ({@code minikube status -p <profile>}).
     */
    public KubernetesCluster(String context, String profile, List<Path> kubeconfigFiles) {
        this.contextName = java.util.Objects.requireNonNull(context, "context");
        this.profileName = java.util.Objects.requireNonNull(profile, "profile");
        this.kubeconfigFiles = List.copyOf(kubeconfigFiles);
    }

    /** A cluster over a ready client (tests, embedding); {@link #close()} leaves the client open. */
    public KubernetesCluster(KubernetesClient client) {
        KubeConnection connection = new KubeConnection(client);
        this.contextName = connection.context();
        this.profileName = connection.profile();
        this.kubeconfigFiles = List.of();
        this.parts = new Parts(connection);
    }

    private synchronized Parts parts() {
        if (parts == null) {
            parts = new Parts(new KubeConnection(contextName, profileName, kubeconfigFiles));
        }
        return parts;
    }

    KubeConnection connection() {
        return parts().connection;
    }

    private ApiDiscovery discovery() {
        return parts().discovery;
    }

    private ManifestParser parser() {
        return parts().parser;
    }

    private Applier applier() {
        return parts().applier;
    }

    private ClusterQueries queries() {
        return parts().queries;
    }

    private Deleter deleter() {
        return parts().deleter;
    }

    private Secrets secrets() {
        return parts().secrets;
    }

    private ClusterImages images() {
        return parts().images;
    }

    /**
     * The lean reader ({@link LeanReads}) for {@link #deployments}, {@link #ingressHosts}, {@link #nodePort},
     * {@link #namespaceAnnotation}, {@link #exist} and {@link #secretData}: chosen on the first of them when the context's kubeconfig is
     * plain and the Kubernetes client has not been built yet (a command that only reads never loads it); empty
     * otherwise, and for a cluster over a ready client.
     */
    private synchronized Optional<LeanReads> lean() {
        if (lean == null) {
            boolean clientBuilt = parts != null && parts.connection.clientBuilt();
            lean = clientBuilt || kubeconfigFiles.isEmpty() ? Optional.empty()
                    : LeanReads.forContext(contextName, profileName, kubeconfigFiles);
        }
        return lean;
    }

    /**
     * Whether the read queries of a cluster for this context are meant to be answered without the Kubernetes
     * client: its kubeconfig is plain (see {@link RestEndpoint}). Reads the kubeconfig; sets up no TLS and makes no
     * request (a key the JDK cannot read still leaves the reads to the client, later).
     */
    public static boolean readsWithoutClient(KubeContext context) {
        return RestEndpoint.of(context.name(), context.kubeconfigFiles()).isPresent();
    }

    /** Sets how often the waits poll (default 500 ms). */
    public KubernetesCluster pollInterval(Duration interval) {
        connection().pollInterval(interval);
        return this;
    }

    /** The pinned context name. */
    public String context() {
        return contextName;
    }

    /** The Minikube profile the context belongs to, for fix hints. */
    public String profile() {
        return profileName;
    }

    /** The API server URL of the pinned context, read from the kubeconfig (no request is made). */
    public String serverUrl() {
        return connection().serverUrl();
    }

    /** The namespace the pinned context defaults to ({@code default} when it names none). */
    public String defaultNamespace() {
        return connection().defaultNamespace();
    }

    /**
     * Namespaced manifests without a namespace go to {@code namespace} from now on (as {@code kubectl apply -n}),
     * instead of the context's namespace.
     */
    public void useNamespace(String namespace) {
        connection().defaultNamespace(namespace);
    }

    /** Asks the API server for its version, e.g. {@code v1.32.0}; unreachable is a precondition error. */
    public String serverVersion() {
        return connection().serverVersion();
    }

    /**
     * Forgets what earlier commands read of kubeconfig contexts (endpoints, credentials), for a process that runs
     * one command after another: each reads them afresh.
     */
    /**
     * This process runs command after command (the background process): API discovery is kept between them for a
     * while (see {@link ApiDiscovery}).
     */
    public static void keepDiscoveryBetweenCommands() {
        ApiDiscovery.keepBetweenCommands();
    }

    public static void forgetEarlierCommands() {
        LeanReads.forgetEarlierCommands();
    }

    /** Starts loading the Kubernetes client's classes on a background thread (see {@link KubeConnection}). */
    public static void warmUp() {
        KubeConnection.warmUp();
    }

    /**
     * Starts connecting to the API server on a background thread (the client built, one read-only request), so
     * the first real request does not wait for that; its failure is left to the requests that follow.
     */
    public void connectAhead() {
        connection().connectAhead();
    }

    static KubernetesSerialization serialization(CompletableFuture<KubernetesSerialization> warm) {
        return KubeConnection.serialization(warm);
    }

    // ---------------------------------------------------------------------------------------------- manifests

    /**
     * Parses rendered multi-document YAML into manifests, in document order. Empty documents are skipped,
     * {@code kind: List} documents are flattened, and a namespaced object without a namespace gets the context's
     * default namespace. A document that does not parse, or lacks kind, apiVersion or metadata.name, is a usage
     * error naming {@code source} and the line.
     */
    public List<Manifest> manifests(String multiDocYaml, String source) {
        return parser().parse(multiDocYaml, source, 1);
    }

    /** {@link #manifests(String, String)} for YAML that starts on line {@code firstLine} of {@code source}. */
    public List<Manifest> manifests(String multiDocYaml, String source, int firstLine) {
        return parser().parse(multiDocYaml, source, firstLine);
    }

    /** {@link #manifests} as fabric8 objects, for callers that still take them. */
    public List<HasMetadata> load(String multiDocYaml, String source) {
        return manifests(multiDocYaml, source).stream().map(Manifest::object).toList();
    }

    // ---------------------------------------------------------------------------------------------- apply

    /**
     * Everything an apply can check before its first write, in order: every manifest's kind and apiVersion
     * against API discovery (one the server does not serve: a usage error naming the file and line); the live
     * objects (one being deleted: a precondition error); and a server-side dry run ({@code dryRun=All},
     * {@code fieldValidation=Strict}) of every object that would be written, so that invalid values, unknown
     * fields and a nodePort outside the range are reported before anything changes. The plan says what
     * {@link #apply(ApplyPlan, ApplyListener)} will then do; with {@code force} every object is re-applied.
     */
    public ApplyPlan plan(List<Manifest> manifests, boolean force) {
        applier().checkServed(manifests);
        return applier().plan(manifests, force, true, null);
    }

    /**
     * As {@link #plan(List, boolean)}, taking the live objects the prune's lists already hold from them instead of
     * reading each again: only the objects the lists do not hold (not carrying the selector, or not there) are read.
     */
    public ApplyPlan plan(List<Manifest> manifests, boolean force, PruneCandidates listed) {
        applier().checkServed(manifests);
        return applier().plan(manifests, force, true, listed);
    }

    /** Writes the plan with server-side apply (field manager {@value #FIELD_MANAGER}, forced conflicts). */
    public List<Applied> apply(ApplyPlan plan, ApplyListener listener) {
        return applier().apply(plan, listener);
    }

    /** {@link #apply(List, boolean, ApplyListener)} without force. */
    public List<Applied> apply(List<? extends HasMetadata> objects, ApplyListener listener) {
        return apply(objects, false, listener);
    }

    /**
     * Applies the objects in order without the discovery check and dry run of {@link #plan}: each is read,
     * left alone when it carries the hash of this exact manifest (unless {@code force}), else server-side applied.
     * Stops at the first failure with a one-line error naming the object.
     */
    public List<Applied> apply(List<? extends HasMetadata> objects, boolean force, ApplyListener listener) {
        List<Manifest> manifests = objects.stream().map(o -> new Manifest(o, "manifest", 1)).toList();
        return applier().apply(applier().plan(manifests, force, false, null), listener);
    }

    /**
     * The class-loading part of an apply, without a cluster: parses the documents, hashes them and builds (and
     * closes) an HTTP client for an address nothing listens on, making no request. The installer runs it while it
     * records the JVM's start-up archive.
     */
    public static int trainingRun(List<String> documents) {
        LeanReads.trainingRun();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1")
                .withNamespace("default").build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withKubernetesSerialization(new KubeConnection("training", "training", List.of()).serialization())
                .build()) {
            KubernetesCluster cluster = new KubernetesCluster(client);
            int objects = 0;
            for (String document : documents) {
                for (Manifest manifest : cluster.manifests(document, "training")) {
                    cluster.applier().manifestHash(manifest.object());
                    objects++;
                }
            }
            return objects;
        }
    }

    // ---------------------------------------------------------------------------------------------- kinds

    /** Every kind the API server serves (API discovery; cached for the life of this cluster). */
    public List<ApiResource> servedKinds() {
        return discovery().all();
    }

    /**
     * The kind {@code apiVersion} and {@code kind} name (built-in, else from discovery), or empty when the server
     * does not serve it.
     */
    public Optional<ApiResource> kindOf(String apiVersion, String kind) {
        Optional<ResourceKind> builtIn = ResourceKind.forKind(kind);
        if (builtIn.isPresent() && builtIn.get().resource().apiVersion().equals(apiVersion)) {
            return Optional.of(builtIn.get().resource());
        }
        return discovery().resolve(apiVersion, kind);
    }

    /** The kinds of these manifests as the server serves them (built-in kinds without a request), deduplicated. */
    public List<ApiResource> kindsOf(Collection<Manifest> manifests) {
        Set<ApiResource> kinds = new LinkedHashSet<>();
        for (Manifest m : manifests) {
            kindOf(m.apiVersion(), m.kind()).ifPresent(kinds::add);
        }
        return List.copyOf(kinds);
    }

    private static List<ApiResource> resources(Collection<ResourceKind> kinds) {
        return kinds.stream().map(ResourceKind::resource).toList();
    }

    // ---------------------------------------------------------------------------------------------- delete

    /**
     * Deletes the objects of the given kinds that match {@code selector} but are not in {@code keep}, and returns
     * them. Namespaces and objects a controller owns are never pruned. Namespaced kinds are searched in
     * {@code namespace} (all namespaces when null), cluster-scoped kinds cluster-wide. With {@code dryRun}, returns
     * what would be pruned and deletes nothing.
     */
    public List<ObjectRef> prune(LabelSelector selector, Set<ObjectRef> keep, Collection<ApiResource> kinds,
            String namespace, boolean dryRun) {
        return deleter().prune(selector, keep, kinds, namespace, dryRun);
    }

    /**
     * The objects {@link #prune(LabelSelector, Set, Collection, String, boolean)} would look at, read now (in
     * parallel), for {@link #prune(PruneCandidates, Set, boolean)} after an apply.
     */
    public PruneCandidates pruneCandidates(LabelSelector selector, Collection<ApiResource> kinds, String namespace) {
        return deleter().candidates(selector, kinds, namespace);
    }

    /**
     * {@code listed} (read earlier, before the kinds to prune were all known), completed with the objects of those of
     * {@code kinds} it does not cover, read now with its selector.
     */
    public PruneCandidates pruneCandidates(PruneCandidates listed, Collection<ApiResource> kinds, String namespace) {
        return deleter().candidates(listed, kinds, namespace);
    }

    /** Prunes the candidates that are not in {@code keep} (see {@link #pruneCandidates}). */
    public List<ObjectRef> prune(PruneCandidates candidates, Set<ObjectRef> keep, boolean dryRun) {
        return deleter().prune(candidates, keep, dryRun);
    }

    /** {@link #prune(LabelSelector, Set, Collection, String, boolean)} over built-in kinds. */
    public List<ObjectRef> prune(String labelSelector, Set<ObjectRef> keep, Collection<ResourceKind> kinds,
            String namespace, boolean dryRun) {
        return prune(LabelSelector.parse(labelSelector), keep, resources(kinds), namespace, dryRun);
    }

    /**
     * Deletes these objects (any kind the server serves, Namespaces included), like {@code kubectl delete
     * --ignore-not-found}. A kind the server does not serve is a one-line usage error before anything is deleted.
     * With a positive {@code waitUntilGone}, polls until they have disappeared or the time is up.
     */
    public DeleteResult delete(Collection<ObjectRef> refs, Duration waitUntilGone) {
        return deleter().delete(refs, waitUntilGone);
    }

    /**
     * Deletes every object of the given kinds carrying {@code selector} (never a Namespace), in the kinds' order.
     * For tests: {@code down} deletes exactly the objects of the plan it printed ({@link #delete}).
     */
    DeleteResult deleteByLabel(String namespace, LabelSelector selector, Collection<ApiResource> kinds,
            Duration waitUntilGone) {
        return deleter().deleteByLabel(namespace, selector, kinds, waitUntilGone);
    }

    /**
     * Deletes every object of the namespaced {@code kind} in {@code namespace} carrying the (non-empty)
     * {@code selector}: one {@code deletecollection} request where the server allows that verb on the kind, else one
     * DELETE per object of {@code listed} (Services have no deletecollection). {@code foreground}: the object goes
     * only after what it owns (workloads, so nothing is recreated). Never Namespaces, never cluster-scoped kinds.
     */
    public void deleteCollection(ApiResource kind, String namespace, LabelSelector selector, List<ObjectRef> listed,
            boolean foreground) {
        deleter().deleteCollection(kind, namespace, selector, listed, foreground);
    }

    // ---------------------------------------------------------------------------------------------- reads

    /**
     * The objects of the given kinds carrying {@code selector}, namespaced kinds in {@code namespace} (all
     * namespaces when null), cluster-scoped kinds cluster-wide.
     */
    public List<ObjectRef> list(String namespace, LabelSelector selector, Collection<ApiResource> kinds) {
        return queries().refs(namespace, selector, kinds);
    }

    /** {@link #list(String, LabelSelector, Collection)} over built-in kinds. */
    public List<ObjectRef> list(String namespace, String labelSelector, Collection<ResourceKind> kinds) {
        return list(namespace, LabelSelector.parse(labelSelector), resources(kinds));
    }

    /** Whether the object exists (any kind the server serves). */
    public boolean exists(ObjectRef ref) {
        return queries().exists(ref);
    }

    /** The object's labels (an empty map when it has none), or empty when it does not exist (any served kind). */
    public Optional<Map<String, String>> labels(ObjectRef ref) {
        return queries().labels(ref);
    }

    /** Whether each of the objects exists, in the given order. */
    public Map<ObjectRef, Boolean> exist(Collection<ObjectRef> refs) {
        Optional<Map<ObjectRef, Boolean>> read = lean().flatMap(l -> l.exist(refs));
        return read.isPresent() ? read.get() : queries().exist(refs);
    }

    /** The Deployment's replicas and images, or empty when it does not exist. For tests. */
    Optional<DeploymentState> deployment(String namespace, String name) {
        return queries().deployment(namespace, name);
    }

    /** The Deployments in {@code namespace} carrying {@code labelSelector} (null or blank: all), sorted by name. */
    public List<DeploymentState> deployments(String namespace, String labelSelector) {
        LabelSelector selector = LabelSelector.parse(labelSelector);
        Optional<LeanReads> reads = lean();
        return reads.isPresent() ? reads.get().deployments(namespace, selector)
                : queries().deployments(namespace, selector);
    }

    /**
     * The host rules of the Ingresses in {@code namespace} carrying {@code labelSelector} (null or blank: all),
     * sorted by Ingress name, rules in their order; rules without a host are left out.
     */
    public List<IngressHost> ingressHosts(String namespace, String labelSelector) {
        LabelSelector selector = LabelSelector.parse(labelSelector);
        Optional<LeanReads> reads = lean();
        return reads.isPresent() ? reads.get().ingressHosts(namespace, selector)
                : queries().ingressHosts(namespace, selector);
    }

    /**
     * The nodePort of a Service's port: the port named {@code portName}, or (when null) the first port that has
     * one. Empty when the Service, the port or its nodePort does not exist.
     */
    public Optional<Integer> nodePort(String namespace, String service, String portName) {
        Optional<LeanReads> reads = lean();
        return reads.isPresent() ? reads.get().nodePort(namespace, service, portName)
                : queries().nodePort(namespace, service, portName);
    }

    /**
     * The nodes that do not list {@code image} in their {@code status.images} (as given, or with {@code docker.io/}
     * spelled out), by name; empty when every node has it.
     */
    public List<String> nodesWithoutImage(String image) {
        List<String> spellings = ClusterImages.spellings(image);
        List<String> missing = new java.util.ArrayList<>();
        images().nodeImages().forEach((node, names) -> {
            if (spellings.stream().noneMatch(names::contains)) {
                missing.add(node);
            }
        });
        return missing;
    }

    /** The data of a ConfigMap; empty when it does not exist or may not be read. */
    public Optional<Map<String, String>> configMapData(String namespace, String name) {
        return images().configMapData(namespace, name);
    }

    /** The uid of an object of a built-in kind; empty when it does not exist. */
    public Optional<String> uid(ObjectRef ref) {
        return secrets().uid(ref);
    }

    /** The data of a Secret, each value decoded as UTF-8; empty when the Secret does not exist. */
    public Optional<Map<String, String>> secretData(String namespace, String name) {
        Optional<LeanReads> reads = lean();
        return reads.isPresent() ? reads.get().secretData(namespace, name) : secrets().data(namespace, name);
    }

    /**
     * Creates the Secret {@code specOf} gives unless one of that name exists (an existing Secret keeps its data, and
     * {@code specOf} is not asked); whether it did.
     */
    public boolean createSecretIfAbsent(String namespace, String name, Supplier<SecretSpec> specOf) {
        return secrets().createIfAbsent(namespace, name, specOf);
    }

    /** An annotation of a Namespace; empty when the namespace or the annotation does not exist. */
    public Optional<String> namespaceAnnotation(String namespace, String key) {
        Optional<LeanReads> reads = lean();
        return reads.isPresent() ? reads.get().namespaceAnnotation(namespace, key)
                : queries().namespaceAnnotation(namespace, key);
    }

    /** Whether devk8s created this Namespace (it carries {@value #CREATED_BY_ANNOTATION}); false when absent. */
    public boolean namespaceCreatedByDevk8s(String namespace) {
        return namespaceAnnotation(namespace, CREATED_BY_ANNOTATION).filter(CREATED_BY_DEVK8S::equals).isPresent();
    }

    /**
     * The objects in {@code namespace} that do not carry {@code labelSelector}: what someone else put there, over
     * every namespaced kind API discovery lists with the {@code list} verb (custom resources included). Left out:
     * objects a controller owns and what Kubernetes creates in every namespace.
     */
    public List<ObjectRef> unmanagedObjects(String namespace, String labelSelector) {
        return queries().unmanaged(namespace, LabelSelector.parse(labelSelector));
    }

    /** {@link #unmanagedObjects(String, String)} over the given built-in kinds only. For tests. */
    List<ObjectRef> unmanagedObjects(String namespace, String labelSelector, Collection<ResourceKind> kinds) {
        return queries().unmanaged(namespace, LabelSelector.parse(labelSelector), resources(kinds));
    }

    // ---------------------------------------------------------------------------------------------- wait

    /**
     * Waits until every workload in {@code namespace} is done: Deployments, StatefulSets and DaemonSets rolled
     * out and available, Jobs complete, Pods Running and Ready. Polls and reports each one's
     * {@link Rollout.Progress} at every poll. Stops early on a failure that waiting does not heal
     * ({@code ErrImageNeverPull}, {@code InvalidImageName}, a failed Job or Pod); otherwise waits up to
     * {@code timeout}. The result carries a diagnosis for each workload that did not make it: the failing pod, its
     * reason and a concrete fix. It never throws for a failed rollout; API failures still throw.
     */
    public Rollout.Result waitFor(String namespace, List<ObjectRef> workloads, Duration timeout,
            Rollout.Listener listener) {
        return new RolloutWatcher(connection(), namespace, workloads).await(timeout, connection().pollInterval(), listener);
    }

    /** {@link #waitFor} for the named Deployments. */
    public Rollout.Result waitForDeployments(String namespace, List<String> names, Duration timeout,
            Rollout.Listener listener) {
        List<ObjectRef> refs = new ArrayList<>();
        names.forEach(n -> refs.add(ObjectRef.namespaced("Deployment", namespace, n)));
        return waitFor(namespace, refs, timeout, listener);
    }

    // ---------------------------------------------------------------------------------------------- logs

    /** The pods of this cluster and their container logs ({@code devk8s logs}). */
    public synchronized LogSource logSource() {
        if (logSource == null) {
            logSource = new PodLogs(connection());
        }
        return logSource;
    }

    /** Closes the client if this cluster built it. */
    @Override
    public synchronized void close() {
        if (parts != null) {
            parts.connection.close();
        }
    }
}
