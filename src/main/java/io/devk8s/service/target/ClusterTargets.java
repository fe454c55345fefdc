package io.devk8s.service.target;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.docker.RegistryCredentials;
import io.devk8s.adapter.k3d.K3dCli;
import io.devk8s.adapter.kind.KindCli;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.console.Console;
import io.devk8s.service.LocalClusters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Chooses the {@link ClusterTarget} for the pinned kube context: {@code --target} when given, a registry when
 * {@code --registry} is given, else from the context: the Minikube profile's builds in its daemon, {@code kind-*}
 * and {@code k3d-*} build on the host and load, a desktop cluster (Docker Desktop, Rancher Desktop, Colima,
 * OrbStack) builds on the host it shares, and any other (allowed) cluster gets its images through a registry.
 */
public final class ClusterTargets {
    /** The ConfigMap a local registry publishes itself in (KEP-1755), and its key. */
    public static final String REGISTRY_HOSTING_NAMESPACE = "kube-public";
    public static final String REGISTRY_HOSTING_NAME = "local-registry-hosting";
    public static final String REGISTRY_HOSTING_KEY = "localRegistryHosting.v1";
    private static final Pattern REGISTRY = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*");

    private final Console console;
    private final Supplier<DockerDaemon> minikubeDaemon;
    private final Supplier<DockerDaemon> hostDaemon;
    private final KindCli kind;
    private final K3dCli k3d;
    private final RegistryCredentials credentials;

    public ClusterTargets(Console console, Supplier<DockerDaemon> minikubeDaemon, Supplier<DockerDaemon> hostDaemon,
                          KindCli kind, K3dCli k3d, RegistryCredentials credentials) {
        this.console = console;
        this.minikubeDaemon = minikubeDaemon;
        this.hostDaemon = hostDaemon;
        this.kind = kind;
        this.k3d = k3d;
        this.credentials = credentials;
    }

    /**
     * What the user asked for: {@code --target} and {@code --registry} (each may be empty), and the project file's
     * {@code registry:} with where it was written (for messages).
     */
    public record Choice(Optional<String> target, Optional<String> registry, Optional<String> registryFromFile,
                         String registryFileLocation) {
        public static Choice none() {
            return new Choice(Optional.empty(), Optional.empty(), Optional.empty(), "");
        }
    }

    /** The flags' values checked before anything runs: a bad --target or --registry is a usage error (exit 2). */
    public static void check(Choice choice) {
        choice.target().ifPresent(TargetKind::parse);
        choice.registry().ifPresent(r -> checkRegistry(r, "--registry"));
    }

    /** The target kind the choice and the context make. */
    public static TargetKind kindFor(Choice choice, PinnedContext pinned) {
        if (choice.target().isPresent()) {
            return TargetKind.parse(choice.target().get());
        }
        if (choice.registry().isPresent()) {
            return TargetKind.REGISTRY;
        }
        if (pinned.reason().isMinikube()) {
            return TargetKind.MINIKUBE;
        }
        return LocalClusters.classify(pinned)
                .map(l -> switch (l.kind()) {
                    case KIND -> TargetKind.KIND;
                    case K3D -> TargetKind.K3D;
                    case DESKTOP -> TargetKind.DOCKER;
                })
                .orElse(TargetKind.REGISTRY);
    }

    /** The target for this context and choice; registry targets resolve their registry here (may read a ConfigMap). */
    public ClusterTarget choose(Choice choice, PinnedContext pinned, KubernetesCluster cluster) {
        TargetKind kind = kindFor(choice, pinned);
        return switch (kind) {
            case MINIKUBE -> new Simple(kind, "minikube profile " + pinned.profile()
                    + ": build in its Docker daemon (minikube docker-env)", minikubeDaemon,
                    image -> image + " is built in the Docker daemon of profile " + pinned.profile()
                            + ", but the cluster's node uses another one: check that the kube context is profile "
                            + pinned.profile() + "'s (`minikube -p " + pinned.profile() + " update-context`)");
            case DOCKER -> new Simple(kind, pinned.contextName() + ": build in the host's Docker daemon, which the "
                    + "cluster uses", hostDaemon, image -> image + " is built in the host's Docker daemon, but the "
                    + "cluster's node does not see it: with a containerd runtime use --target registry");
            case KIND -> new Kind(clusterName(pinned, "kind-", "kind"), cluster);
            case K3D -> new K3d(clusterName(pinned, "k3d-", "k3d"), cluster);
            case REGISTRY -> registryTarget(choice, cluster);
        };
    }

    private static String clusterName(PinnedContext pinned, String prefix, String tool) {
        if (pinned.contextName().startsWith(prefix) && pinned.contextName().length() > prefix.length()) {
            return pinned.contextName().substring(prefix.length());
        }
        throw Devk8sException.usage("--target " + tool + ": kube context " + pinned.contextName() + " is not a "
                + tool + " cluster's (" + prefix + "NAME); pick its context with --context " + prefix + "NAME");
    }

    // ------------------------------------------------------------------------------------------- registry

    /** Where to push, and the host the node's container runtime pulls from (KEP-1755's hostFromContainerRuntime). */
    record Registry(String push, String pull, String source) {
    }

    private ClusterTarget registryTarget(Choice choice, KubernetesCluster cluster) {
        Registry registry = resolveRegistry(choice, cluster);
        return new Push(registry);
    }

    Registry resolveRegistry(Choice choice, KubernetesCluster cluster) {
        if (choice.registry().isPresent()) {
            String r = checkRegistry(choice.registry().get(), "--registry");
            return new Registry(r, r, "--registry");
        }
        if (choice.registryFromFile().isPresent()) {
            String r = checkRegistry(choice.registryFromFile().get(), choice.registryFileLocation() + " registry:");
            return new Registry(r, r, choice.registryFileLocation());
        }
        Optional<Map<String, String>> data = cluster.configMapData(REGISTRY_HOSTING_NAMESPACE, REGISTRY_HOSTING_NAME);
        String where = "ConfigMap " + REGISTRY_HOSTING_NAMESPACE + "/" + REGISTRY_HOSTING_NAME;
        if (data.isPresent() && data.get().get(REGISTRY_HOSTING_KEY) != null) {
            Object doc;
            try {
                doc = new Load(LoadSettings.builder().build()).loadFromString(data.get().get(REGISTRY_HOSTING_KEY));
            } catch (RuntimeException e) {
                throw Devk8sException.usage(where + ": " + REGISTRY_HOSTING_KEY + " is not YAML; fix it or pass "
                        + "--registry HOST[:PORT]");
            }
            if (doc instanceof Map<?, ?> map && map.get("host") instanceof String host && !host.isBlank()) {
                String push = checkRegistry(host.strip(), where + " host");
                Object runtime = map.get("hostFromContainerRuntime");
                String pull = runtime instanceof String s && !s.isBlank() ? checkRegistry(s.strip(),
                        where + " hostFromContainerRuntime") : push;
                return new Registry(push, pull, where);
            }
            throw Devk8sException.usage(where + ": " + REGISTRY_HOSTING_KEY + " has no host:; fix it or pass "
                    + "--registry HOST[:PORT]");
        }
        throw Devk8sException.usage("no registry to push to: pass --registry HOST[:PORT] (e.g. --registry "
                + "localhost:5001), set registry: in devk8s.yaml, or let the cluster publish " + where
                + " (KEP-1755, as kind's and k3d's local registry setups do)");
    }

    static String checkRegistry(String value, String what) {
        String v = value.strip();
        if (!REGISTRY.matcher(v).matches()) {
            throw Devk8sException.usage(what + " '" + value + "': expected HOST[:PORT][/PATH] without a scheme, e.g. "
                    + "localhost:5001 or registry.example.com/team");
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------- targets

    /** A daemon opened on first use and closed with the target. */
    private abstract static class Base implements ClusterTarget {
        private final Supplier<DockerDaemon> daemons;
        private DockerDaemon daemon;

        Base(Supplier<DockerDaemon> daemons) {
            this.daemons = daemons;
        }

        @Override
        public synchronized DockerDaemon daemon() {
            if (daemon == null) {
                daemon = daemons.get();
            }
            return daemon;
        }

        @Override
        public synchronized void close() {
            if (daemon != null) {
                daemon.close();
                daemon = null;
            }
        }
    }

    /** Minikube's daemon, or the host's daemon a desktop cluster shares: nothing to deliver. */
    private static final class Simple extends Base {
        private final TargetKind kind;
        private final String description;
        private final java.util.function.Function<String, String> hint;

        Simple(TargetKind kind, String description, Supplier<DockerDaemon> daemons,
               java.util.function.Function<String, String> hint) {
            super(daemons);
            this.kind = kind;
            this.description = description;
            this.hint = hint;
        }

        @Override
        public TargetKind kind() {
            return kind;
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public String deliver(String app, String image, boolean built) {
            return image;
        }

        @Override
        public String pullFailureHint(String image) {
            return hint.apply(image);
        }
    }

    /** Loads into the nodes of a local cluster, unless every node already lists the image and nothing was built. */
    private abstract class Loader extends Base {
        final String name;
        final KubernetesCluster cluster;

        Loader(String name, KubernetesCluster cluster) {
            super(hostDaemon);
            this.name = name;
            this.cluster = cluster;
        }

        abstract String tool();

        abstract void load(String app, String image);

        @Override
        public String plan(String image) {
            return tool() + " load into cluster " + name + " (skipped when every node lists it)";
        }

        @Override
        public String deliver(String app, String image, boolean built) {
            if (!built) {
                List<String> missing = cluster.nodesWithoutImage(image);
                if (missing.isEmpty()) {
                    console.info(app + ": image " + image + " is on every node of " + tool() + " cluster " + name);
                    return image;
                }
                console.debug(app + ": " + image + " is missing on " + String.join(", ", missing));
            }
            long start = System.nanoTime();
            load(app, image);
            console.success(app + ": loaded " + image + " into " + tool() + " cluster " + name + " in "
                    + since(start));
            return image;
        }

        @Override
        public void deliverUnbuilt(String app, String image) {
            deliver(app, image, false); // loaded unless every node lists it
        }

        @Override
        public String pullFailureHint(String image) {
            return image + " was loaded into " + tool() + " cluster " + name + ", but a node does not have it: keep "
                    + "imagePullPolicy IfNotPresent or Never in the manifests, and check the nodes with `kubectl get "
                    + "nodes -o jsonpath='{.items[*].status.images[*].names}'`";
        }

        void failed(String command, ProcessRunner.Result r) {
            String last = r.output().strip().lines().reduce((a, b) -> b).orElse("");
            throw Devk8sException.failure("`" + command + "` failed with exit code " + r.exitCode()
                    + (last.isEmpty() ? "" : ": " + last.replaceFirst("^ERROR: ", "")));
        }
    }

    private final class Kind extends Loader {
        Kind(String name, KubernetesCluster cluster) {
            super(name, cluster);
        }

        @Override
        public TargetKind kind() {
            return TargetKind.KIND;
        }

        @Override
        String tool() {
            return "kind";
        }

        @Override
        public String describe() {
            return "kind cluster " + name + ": build in the host's Docker daemon (" + daemon().settings().host()
                    + "), then kind load";
        }

        @Override
        void load(String app, String image) {
            kind.binary();
            if (daemon().usesContainerdImageStore()) {
                console.info(app + ": the Docker daemon uses the containerd image store: loading " + image
                        + " through an image archive");
                loadArchive(app, image);
                return;
            }
            console.info(app + ": kind load docker-image --name " + name + " " + image);
            ProcessRunner.Result r = kind.loadDockerImage(name, image, line -> console.debug("  " + line));
            if (r.ok()) {
                return;
            }
            if (KindCli.isContainerdStoreFailure(r.output())) {
                console.info(app + ": kind could not import the daemon's archive (containerd image store); loading "
                        + image + " through an image archive");
                loadArchive(app, image);
                return;
            }
            failed("kind load docker-image --name " + name + " " + image, r);
        }

        private void loadArchive(String app, String image) {
            Path archive = null;
            try {
                archive = Files.createTempFile("devk8s-image-", ".tar");
                daemon().save(image, archive);
                ProcessRunner.Result r = kind.loadImageArchive(name, archive, line -> console.debug("  " + line));
                if (!r.ok()) {
                    failed("kind load image-archive --name " + name + " " + archive, r);
                }
            } catch (IOException e) {
                throw Devk8sException.failure("could not write a temporary image archive: " + e.getMessage(), e);
            } finally {
                if (archive != null) {
                    try {
                        Files.deleteIfExists(archive);
                    } catch (IOException ignored) {
                        // a temp file left behind is harmless
                    }
                }
            }
        }
    }

    private final class K3d extends Loader {
        K3d(String name, KubernetesCluster cluster) {
            super(name, cluster);
        }

        @Override
        public TargetKind kind() {
            return TargetKind.K3D;
        }

        @Override
        String tool() {
            return "k3d";
        }

        @Override
        public String describe() {
            return "k3d cluster " + name + ": build in the host's Docker daemon (" + daemon().settings().host()
                    + "), then k3d image import";
        }

        @Override
        void load(String app, String image) {
            k3d.binary();
            console.info(app + ": k3d image import -c " + name + " " + image);
            ProcessRunner.Result r = k3d.imageImport(name, image, line -> console.debug("  " + line));
            if (!r.ok()) {
                failed("k3d image import -c " + name + " " + image, r);
            }
        }
    }

    /** Pushes to a registry and deploys by digest. */
    private final class Push extends Base {
        private final Registry registry;

        Push(Registry registry) {
            super(hostDaemon);
            this.registry = registry;
        }

        @Override
        public TargetKind kind() {
            return TargetKind.REGISTRY;
        }

        @Override
        public String describe() {
            return "registry " + registry.push() + " (from " + registry.source() + "): build in the host's Docker "
                    + "daemon (" + daemon().settings().host() + "), push, deploy by digest";
        }

        @Override
        public String imageName(String repositoryAndTag) {
            return hasRegistry(repositoryAndTag) ? repositoryAndTag : registry.push() + "/" + repositoryAndTag;
        }

        @Override
        public String plan(String image) {
            return "push to " + RegistryCredentials.registryOf(image) + ", deploy as "
                    + pullName(image) + "@sha256:...";
        }

        /** Push credentials per registry host, looked up once, before the first build. */
        private final java.util.Map<String, RegistryCredentials.Found> found = new java.util.HashMap<>();

        private RegistryCredentials.Found credentialsFor(String host) {
            RegistryCredentials.Found creds = found.get(host);
            if (creds == null) {
                creds = credentials.lookup(host);
                found.put(host, creds);
            }
            return creds;
        }

        @Override
        public void check(String image) {
            credentialsFor(RegistryCredentials.registryOf(image));
        }

        @Override
        public String deliver(String app, String image, boolean built) {
            String host = RegistryCredentials.registryOf(image);
            RegistryCredentials.Found creds = credentialsFor(host);
            console.debug(app + ": credentials for " + host + ": " + (creds.auth().isAnonymous() ? "none" : "from "
                    + creds.source()));
            String digest;
            long start = System.nanoTime();
            try (Console.Progress progress = console.progress(List.of(app))) {
                progress.update(app, "pushing " + image);
                digest = daemon().push(image, creds.auth(), line -> progress.update(app, line));
            } catch (DockerDaemon.PushException e) {
                if (e.isAuthFailure()) {
                    throw new Devk8sException(ExitCode.PRECONDITION, "registry " + host + " refused the push of "
                            + image + " (" + e.detail() + "); credentials: " + (creds.auth().isAnonymous()
                            ? "none found in " + credentials.configFile() : "from " + creds.source())
                            + "; run `docker login " + host + "` (or fix the credential helper) and deploy again", e);
                }
                if (e.detail().contains("HTTP response to HTTPS client")) {
                    throw new Devk8sException(ExitCode.PRECONDITION, "registry " + host + " speaks plain HTTP and "
                            + "the Docker daemon wants HTTPS: add \"" + host + "\" to insecure-registries in the "
                            + "daemon's daemon.json (localhost registries are allowed as they are), or serve TLS", e);
                }
                throw e;
            }
            String ref = pullName(image) + "@" + digest;
            console.success(app + ": pushed " + image + " (" + digest.substring(0, Math.min(19, digest.length()))
                    + "...) in " + since(start));
            return ref;
        }

        /** {@code name} without its tag, with the pull host in place of the push host. */
        private String pullName(String image) {
            int colon = image.lastIndexOf(':');
            String name = colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
            if (!registry.pull().equals(registry.push()) && name.startsWith(registry.push() + "/")) {
                name = registry.pull() + name.substring(registry.push().length());
            }
            return name;
        }

        @Override
        public String pullFailureHint(String image) {
            return image + " was pushed to " + registry.push() + ", but the node could not pull it: check that the "
                    + "node reaches that registry under the same name (KEP-1755's hostFromContainerRuntime), and "
                    + "that it has pull credentials (imagePullSecrets)";
        }
    }

    private static String since(long startNanos) {
        return String.format(java.util.Locale.ROOT, "%.1fs", (System.nanoTime() - startNanos) / 1e9);
    }

    private static boolean hasRegistry(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost");
    }
}
