package io.devk8s;

import io.devk8s.adapter.docker.DockerEngine;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.kubernetes.DebugPods;
import io.devk8s.adapter.kubernetes.KubeConfig;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.kubernetes.PodExec;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.sudo.Sudo;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.console.Console;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.ContextGuard;
import io.devk8s.service.DoctorService;
import io.devk8s.service.DownService;
import io.devk8s.service.HostsAddress;
import io.devk8s.service.HostsService;
import io.devk8s.service.KubeAccess;
import io.devk8s.service.RenderService;
import io.devk8s.service.ShellService;
import io.devk8s.service.StatusService;
import io.devk8s.service.TeardownService;
import io.devk8s.service.TrainingRun;
import io.devk8s.service.UpService;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The composition root: builds each service with the adapters it needs, and each adapter lazily, on first use,
 * so that a command pays only for the outside systems it talks to (no fabric8 or docker-java classes load for
 * {@code --help} or {@code render}); closes what it built. It holds no rule of its own: the context pinning
 * lives in {@link KubeAccess}, the hosts address in {@link HostsAddress}.
 */
public class Services implements AutoCloseable {
    private final Environment environment;
    private final Console console;
    private ProcessRunner processRunner;
    private final Map<String, MinikubeCli> minikubes = new HashMap<>();
    private final Map<String, KubernetesCluster> clusters = new LinkedHashMap<>();
    private KubeAccess kubeAccess;
    private DockerEngine dockerEngine;
    private final ProcessRunner.Terminal terminal;

    public Services(Environment environment, Console console) {
        this(environment, console, null);
    }

    /** @param terminal where processes that need the terminal (sudo) run; null: this process's terminal */
    public Services(Environment environment, Console console, ProcessRunner.Terminal terminal) {
        this.environment = environment;
        this.console = console;
        this.terminal = terminal;
    }

    public Environment environment() {
        return environment;
    }

    public Console console() {
        return console;
    }

    // ------------------------------------------------------------------------------------------- services

    /** {@code devk8s up} on the selected profile, rendering from {@code templatesDir} (null: bundled only). */
    public UpService upService(ClusterSelection selection, Path templatesDir) {
        return new UpService(console, minikube(selection), renderService(templatesDir), hostsService(),
                new HostsAddress(), kubeAccess());
    }

    /** {@code devk8s deploy}: apps of the project in {@code scope}, built in the profile's Docker daemon. */
    public io.devk8s.service.DeployService deployService(ClusterSelection selection,
            io.devk8s.service.ProjectScope scope) {
        return deployService(selection, scope, console);
    }

    private io.devk8s.service.DeployService deployService(ClusterSelection selection,
            io.devk8s.service.ProjectScope scope, Console console) {
        MinikubeCli minikube = minikube(selection);
        return new io.devk8s.service.DeployService(console, environment, scope, minikube, clusterTargets(minikube, console),
                new io.devk8s.service.build.Versions(new io.devk8s.adapter.git.GitCli(processRunner())),
                processRunner(), renderService(null), kubeAccess(), hostsService(), new HostsAddress(),
                java.time.Clock.systemUTC());
    }

    /** {@code devk8s dev}: deploys through {@link #deployService}, the rounds with a quieter console. */
    public io.devk8s.service.dev.DevService devService(ClusterSelection selection) {
        return new io.devk8s.service.dev.DevService(console,
                (scope, quiet) -> deployService(selection, scope, quiet ? console.quieter() : console),
                logsService(), teardownService());
    }

    /** {@code devk8s init}: the app's entry in devk8s.yaml and copies of the bundled default app templates. */
    public io.devk8s.service.InitService initService() {
        return new io.devk8s.service.InitService(console, TemplateSource.bundled());
    }

    /**
     * Where images are built and how they reach the cluster: Minikube's daemon, or the host's daemon ({@code
     * DOCKER_HOST}) with {@code kind}/{@code k3d} loads or a registry push.
     */
    public io.devk8s.service.target.ClusterTargets clusterTargets(MinikubeCli minikube) {
        return clusterTargets(minikube, console);
    }

    private io.devk8s.service.target.ClusterTargets clusterTargets(MinikubeCli minikube, Console console) {
        return new io.devk8s.service.target.ClusterTargets(console,
                () -> io.devk8s.adapter.docker.DockerDaemon.ofMinikube(minikube, environment),
                () -> io.devk8s.adapter.docker.DockerDaemon.ofHost(environment),
                new io.devk8s.adapter.kind.KindCli(processRunner()), new io.devk8s.adapter.k3d.K3dCli(processRunner()),
                new io.devk8s.adapter.docker.RegistryCredentials(environment, processRunner()));
    }

    public StatusService statusService(ClusterSelection selection) {
        return new StatusService(minikube(selection), renderService(null), kubeAccess(), this::hostsFile,
                new HostsAddress());
    }

    public DownService downService(ClusterSelection selection) {
        return new DownService(console, minikube(selection), renderService(null), kubeAccess(), this::hostsFile,
                hostsService());
    }

    /** {@code devk8s teardown}: a project's objects by label. */
    public TeardownService teardownService() {
        return new TeardownService(console, kubeAccess(), hostsService());
    }

    public DoctorService doctorService(ClusterSelection selection) {
        return new DoctorService(processRunner(), minikube(selection), kubeAccess(), this::hostsFile);
    }

    /** {@code devk8s logs}. */
    public io.devk8s.service.logs.LogsService logsService() {
        return new io.devk8s.service.logs.LogsService(console, kubeAccess());
    }

    /** {@code devk8s shell}: the debug pod, exec into it, and (interactive only) the local terminal in raw mode. */
    public ShellService shellService() {
        io.devk8s.service.DebugImageBuilder images = new io.devk8s.service.DebugImageBuilder(console,
                new io.devk8s.service.BuildSteps(console, environment, processRunner(),
                        new io.devk8s.service.build.Versions(new io.devk8s.adapter.git.GitCli(processRunner()))),
                selection -> io.devk8s.adapter.docker.DockerDaemon.ofMinikube(minikube(selection), environment),
                () -> renderService(null).values(io.devk8s.service.StackOptions.defaults()).domain(),
                java.time.Clock.systemUTC());
        return new ShellService(console, kubeAccess(), DebugPods::new,
                cluster -> new PodExec(cluster)::run, ShellTerminals::open, images);
    }

    public TrainingRun trainingRun() {
        return new TrainingRun(renderService(null));
    }

    /** Renders the stack from {@link #templateSource(Path)}, with {@code ${NAME}} from this environment. */
    public RenderService renderService(Path templatesDir) {
        return new RenderService(templateSource(templatesDir), environment);
    }

    public HostsService hostsService() {
        return hostsService(java.util.Optional.empty());
    }

    /**
     * The hosts service; when no --ip is given, the address comes from {@link HostsAddress} with this minikube
     * binary (or the one on PATH).
     */
    public HostsService hostsService(java.util.Optional<Path> minikubeBinary) {
        HostsAddress address = new HostsAddress();
        String binary = minikubeBinary.map(Path::toString).orElse(null);
        return new HostsService(environment, console, this::hostsFile, new Sudo(processRunner()),
                profile -> address.lookup(minikube(ClusterSelection.of(environment, profile, null, List.of(), binary)),
                        java.util.Optional.empty()));
    }

    /** The kube contexts of this environment, pinned through the guard, and the API of each pinned one. */
    public synchronized KubeAccess kubeAccess() {
        if (kubeAccess == null) {
            kubeAccess = new KubeAccess(
                    selection -> KubeConfig.load(environment).context(selection.context().orElse(null)),
                    new ContextGuard(MinikubeCli.minikubeHome(environment)), this::minikube, this::kubernetes);
        }
        return kubeAccess;
    }

    // ------------------------------------------------------------------------------------------- adapters

    /** Runs external tools with this environment's PATH and variables. */
    public synchronized ProcessRunner processRunner() {
        if (processRunner == null) {
            processRunner = new ProcessRunner(environment, terminal);
        }
        return processRunner;
    }

    /** The minikube CLI for the selection's profile and binary. */
    public synchronized MinikubeCli minikube(ClusterSelection selection) {
        String key = selection.profile() + "\u0000" + selection.minikubeBinary().map(Path::toString).orElse("");
        return minikubes.computeIfAbsent(key, k -> new MinikubeCli(processRunner(), selection.profile(),
                selection.minikubeBinary().orElse(null)));
    }

    /** Templates: the bundled ones, shadowed file by file by {@code overrideDir} when it is not null. */
    public TemplateSource templateSource(Path overrideDir) {
        return new TemplateSource(overrideDir);
    }

    public HostsFile hostsFile(Path path) {
        return new HostsFile(path);
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
