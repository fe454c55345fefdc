package io.devk8s;

import io.devk8s.adapter.docker.DockerEngine;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.kubernetes.KubeConfig;
import io.devk8s.adapter.kubernetes.KubeContext;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.sudo.Sudo;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.console.Console;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.ContextGuard;
import io.devk8s.service.HostsService;
import io.devk8s.service.RenderService;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The composition root: builds each adapter lazily, on first use, so that a command pays only for the
 * outside systems it talks to (no fabric8 or docker-java classes load for {@code --help} or
 * {@code render}), and closes what it built.
 */
public class Services implements AutoCloseable {
    private final Environment environment;
    private final Console console;
    private ProcessRunner processRunner;
    private final Map<String, MinikubeCli> minikubes = new HashMap<>();
    private final Map<ClusterSelection, PinnedContext> pinnedContexts = new HashMap<>();
    private final Map<String, KubernetesCluster> clusters = new LinkedHashMap<>();
    private DockerEngine dockerEngine;

    public Services(Environment environment, Console console) {
        this.environment = environment;
        this.console = console;
    }

    public Environment environment() {
        return environment;
    }

    public Console console() {
        return console;
    }

    /** Runs external tools with this environment's PATH and variables. */
    public synchronized ProcessRunner processRunner() {
        if (processRunner == null) {
            processRunner = new ProcessRunner(environment);
        }
        return processRunner;
    }

    /** The minikube CLI for the selection's profile and binary. */
    public synchronized MinikubeCli minikube(ClusterSelection selection) {
        String key = selection.profile() + "\u0000" + selection.minikubeBinary().map(Path::toString).orElse("");
        return minikubes.computeIfAbsent(key, k -> new MinikubeCli(processRunner(), selection.profile(),
                selection.minikubeBinary().orElse(null)));
    }

    /** The kube context the selection names (or the current one), unchecked. */
    public KubeContext kubeContext(ClusterSelection selection) {
        return KubeConfig.load(environment).context(selection.context().orElse(null));
    }

    public ContextGuard contextGuard() {
        return new ContextGuard(MinikubeCli.minikubeHome(environment));
    }

    /**
     * The kube context every API call of this command uses: resolved once, and only when it is the Minikube
     * profile's (or explicitly allowed); otherwise a one-line refusal, exit 3.
     */
    public synchronized PinnedContext pinnedContext(ClusterSelection selection) {
        PinnedContext pinned = pinnedContexts.get(selection);
        if (pinned == null) {
            KubeContext context = kubeContext(selection);
            MinikubeCli minikube = minikube(selection);
            pinned = contextGuard().check(context, selection.profile(), selection.allowedContexts(),
                    minikube::profileInfo);
            pinnedContexts.put(selection, pinned);
        }
        return pinned;
    }

    /** Templates: the bundled ones, shadowed file by file by {@code overrideDir} when it is not null. */
    public TemplateSource templateSource(Path overrideDir) {
        return new TemplateSource(overrideDir);
    }

    /** Renders the stack from {@link #templateSource(Path)}, with {@code ${NAME}} from this environment. */
    public RenderService renderService(Path templatesDir) {
        return new RenderService(templateSource(templatesDir), environment);
    }

    public HostsFile hostsFile(Path path) {
        return new HostsFile(path);
    }

    public HostsService hostsService() {
        return hostsService(java.util.Optional.empty());
    }

    /** The hosts service; when no --ip is given, the address comes from this minikube binary (or the one on PATH). */
    public HostsService hostsService(java.util.Optional<Path> minikubeBinary) {
        return new HostsService(environment, console, this::hostsFile, new Sudo(environment),
                profile -> clusterIp(profile, minikubeBinary.orElse(null)));
    }

    /**
     * The address the hosts block points at when no --ip is given: {@code minikube ip -p PROFILE}, or
     * 127.0.0.1 where the host cannot reach the node (docker driver on macOS/Windows, via minikube tunnel).
     */
    protected String clusterIp(String profile, Path minikubeBinary) {
        MinikubeCli minikube = minikube(ClusterSelection.of(environment, profile, null, List.of(),
                minikubeBinary == null ? null : minikubeBinary.toString()));
        String ip = minikube.ip();
        return minikube.profileInfo()
                .map(info -> MinikubeCli.hostsAddress(info.driver(), System.getProperty("os.name"), ip))
                .orElse(ip);
    }

    /**
     * The Kubernetes API of a context that passed the guard, read from the same kubeconfig files; its fix hints
     * name the pinned Minikube profile. Built on first call per context; the HTTP client only on first request.
     */
    public synchronized KubernetesCluster kubernetes(PinnedContext pinned) {
        return clusters.computeIfAbsent(pinned.contextName(),
                c -> new KubernetesCluster(c, pinned.profile(), pinned.kubeconfigFiles()));
    }

    /**
     * The Docker engine the environment points at ({@code DOCKER_HOST}, else the local socket). For
     * Minikube's engine use {@link DockerEngine#fromMinikube} with the output of {@code minikube docker-env}.
     */
    public DockerEngine dockerEngine() {
        if (dockerEngine == null) {
            dockerEngine = DockerEngine.fromEnvironment(environment);
        }
        return dockerEngine;
    }

    @Override
    public void close() {
        if (!clusters.isEmpty()) { // touching KubernetesCluster here would load fabric8 for every command
            clusters.values().forEach(KubernetesCluster::close);
            clusters.clear();
        }
        if (dockerEngine != null) {
            dockerEngine.close();
            dockerEngine = null;
        }
    }
}
