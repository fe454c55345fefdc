package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connection to one Kubernetes API, pinned to one kubeconfig context: the fabric8 client (JDK HTTP client),
 * built lazily on first use from the context's kubeconfig files, never from the JVM's environment; its
 * serialization (warmed up in the background by {@link #warmUp()}); the poll interval the waits use; and
 * {@link #close()}. Every other class of this package reaches the API through one of these.
 */
final class KubeConnection implements AutoCloseable, ApiProblems.Target {
    private final String context;
    private final String profile;
    private final List<Path> kubeconfigFiles;
    private final boolean ownsClient;
    private Config config;
    private KubernetesClient client;
    private KubernetesSerialization serialization;
    private Duration pollInterval = Duration.ofMillis(500);
    private boolean closed;

    KubeConnection(String context, String profile, List<Path> kubeconfigFiles) {
        this.context = Objects.requireNonNull(context, "context");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.kubeconfigFiles = List.copyOf(kubeconfigFiles);
        this.ownsClient = true;
    }

    /** Over a ready client the caller keeps owning. */
    KubeConnection(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = client.getConfiguration();
        NamedContext current = config.getCurrentContext();
        this.context = current != null ? current.getName() : "mock";
        this.profile = this.context;
        this.kubeconfigFiles = List.of();
        this.ownsClient = false;
    }

    @Override
    public String context() {
        return context;
    }

    @Override
    public String profile() {
        return profile;
    }

    /** The kubeconfig files the context is read from (none for a connection over a ready client). */
    List<Path> kubeconfigFiles() {
        return kubeconfigFiles;
    }

    /** Connect and request timeouts of the client (before it is built); for tests of slow servers. */
    void timeouts(Duration connect, Duration request) {
        config().setConnectionTimeout((int) connect.toMillis());
        config().setRequestTimeout((int) request.toMillis());
    }

    /** Whether the Kubernetes client has been built (or was given). */
    boolean clientBuilt() {
        return client != null;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    void pollInterval(Duration interval) {
        this.pollInterval = Objects.requireNonNull(interval, "interval");
    }

    @Override
    public String serverUrl() {
        return config().getMasterUrl();
    }

    /** The namespace a manifest without one goes to, when the command chose one other than the context's. */
    private volatile String namespaceOverride;

    void defaultNamespace(String namespace) {
        this.namespaceOverride = namespace;
    }

    String defaultNamespace() {
        if (namespaceOverride != null) {
            return namespaceOverride;
        }
        String namespace = config().getNamespace();
        return namespace == null || namespace.isBlank() ? "default" : namespace;
    }

    String serverVersion() {
        try {
            var version = client().getKubernetesVersion();
            return version.getGitVersion() != null ? version.getGitVersion()
                    : "v" + version.getMajor() + "." + version.getMinor();
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(null, e, this);
        }
    }

    synchronized KubernetesClient client() {
        if (client == null) {
            client = new KubernetesClientBuilder().withConfig(config()).withKubernetesSerialization(serialization())
                    .build();
        }
        return client;
    }

    private synchronized Config config() {
        if (config == null) {
            config = KubeconfigLoader.load(context, profile, kubeconfigFiles);
        }
        return config;
    }

    synchronized KubernetesSerialization serialization() {
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
            WARM_UP.compareAndSet(warm, null); // the next command loads it again instead of failing the same way
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getClass().getSimpleName() + " " + cause.getMessage();
            throw Devk8sException.failure("cannot load the Kubernetes client: " + ApiErrors.oneLine(reason)
                    + ": the devk8s installation looks broken, reinstall it", cause);
        }
    }

    private static final AtomicReference<CompletableFuture<KubernetesSerialization>> WARM_UP = new AtomicReference<>();

    /**
     * Starts loading the Kubernetes client's classes (its serialization registers every model class, about half
     * a second on a cold JVM) on a background thread. Idempotent; connections built afterwards use the result.
     */
    static void warmUp() {
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

    /**
     * Connects on a background thread: builds the client and asks for the server's version, so that the HTTP
     * client's classes are loaded and a connection is open when the first real request comes. A failure is
     * ignored: the requests that matter report it.
     */
    void connectAhead() {
        Thread thread = new Thread(() -> {
            try {
                KubernetesClient ahead;
                synchronized (this) {
                    if (closed) {
                        return; // the command is over: build nothing that no one closes
                    }
                    ahead = client();
                }
                ahead.getKubernetesVersion();
            } catch (RuntimeException | LinkageError ignored) {
                // the next request meets the same problem and reports it
            }
        }, "devk8s-kubernetes-connect");
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

    /**
     * {@code Deployment devk8s/web is being deleted; wait for it to go (kubectl --context minikube get deployment
     * -n devk8s web -w), then run the command again}.
     */
    Devk8sException beingDeleted(ObjectRef ref) {
        return ApiProblems.beingDeleted(ref, context);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (ownsClient && client != null) {
            client.close();
            client = null;
        }
    }
}
