package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.docker.BuildContext;
import io.devk8s.adapter.docker.BuildKitFeatures;
import io.devk8s.adapter.docker.DockerCli;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.kubernetes.ApiResource;
import io.devk8s.adapter.kubernetes.Applied;
import io.devk8s.adapter.kubernetes.ApplyOutcome;
import io.devk8s.adapter.kubernetes.ApplyPlan;
import io.devk8s.adapter.kubernetes.IngressHost;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.LabelSelector;
import io.devk8s.adapter.kubernetes.Manifest;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.kubernetes.Rollout;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.template.EnvSubst;
import io.devk8s.adapter.template.TemplateEngine;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.config.AppConfig;
import io.devk8s.config.BuildCommand;
import io.devk8s.config.ProjectFile;
import io.devk8s.console.Console;
import io.devk8s.service.build.BuildLog;
import io.devk8s.service.build.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code devk8s deploy [APP...]}: for each app of {@code devk8s.yaml}, its host build command, its image built in
 * Minikube's Docker daemon, its manifests rendered ({@code ${VAR}} strictly, then Jinja), applied with server-side
 * apply, what they no longer render pruned, the rollout waited for, the URL printed. Everything that can be checked
 * (project file, app names, the daemon, variables, manifests, kinds, a server-side dry run) is checked for every app
 * before the first build or write; an app whose inputs did not change builds nothing and writes nothing.
 */
public final class DeployService {
    /** The image label carrying the digest of the build command's {@code inputs}. */
    public static final String BUILD_INPUTS_LABEL = "devk8s.io/build-inputs";
    /** The label every object devk8s manages carries. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final List<String> WORKLOAD_KINDS = List.of("Deployment", "StatefulSet", "DaemonSet");
    private static final Set<String> PULL_FAILURES = Set.of("ErrImageNeverPull", "ImagePullBackOff", "ErrImagePull");

    /**
     * What {@code devk8s deploy} was asked to do.
     *
     * @param tag       {@code --tag}, or empty for the version from git
     * @param buildArgs {@code --build-arg K=V}, over the file's {@code buildArgs}
     */
    public record Request(ClusterSelection cluster, List<String> apps, boolean build, Optional<String> tag,
            Map<String, String> buildArgs, WaitPolicy waitPolicy, HostsStep hosts, boolean dryRun) {
        public Request {
            apps = List.copyOf(apps);
            buildArgs = Map.copyOf(buildArgs);
        }
    }

    /** One app, checked and ready to build and apply. */
    private record Prepared(AppConfig app, Map<String, String> vars, String image, BuildContext context,
            String inputDigest, Optional<String> buildInputs, Optional<String> existing, boolean runCommand,
            Map<String, String> buildArgs, List<Manifest> objects, ApplyPlan plan, LabelSelector selector,
            List<ApiResource> prunable, Optional<BuildKitFeatures.Need> buildKit, Optional<Path> dockerCli) {
    }

    private final Console console;
    private final Environment environment;
    private final ProjectScope scope;
    private final MinikubeCli minikube;
    private final Supplier<DockerDaemon> daemons;
    private final Versions versions;
    private final ProcessRunner processes;
    private final RenderService stackRenderer;
    private final KubeAccess kube;
    private final HostsService hosts;
    private final HostsAddress hostsAddress;
    private final Clock clock;
    private final DockerCli dockerCli;

    /**
     * @param daemons connects to the Docker daemon of the profile ({@code minikube docker-env}); asked once per run
     */
    public DeployService(Console console, Environment environment, ProjectScope scope, MinikubeCli minikube,
            Supplier<DockerDaemon> daemons, Versions versions, ProcessRunner processes, RenderService stackRenderer,
            KubeAccess kube, HostsService hosts, HostsAddress hostsAddress, Clock clock) {
        this.console = console;
        this.environment = environment;
        this.scope = scope;
        this.minikube = minikube;
        this.daemons = daemons;
        this.versions = versions;
        this.processes = processes;
        this.stackRenderer = stackRenderer;
        this.kube = kube;
        this.hosts = hosts;
        this.hostsAddress = hostsAddress;
        this.clock = clock;
        this.dockerCli = new DockerCli(processes);
    }

    public int deploy(Request request) throws Exception {
        // 1. the project file and the apps: no cluster, no daemon needed
        ProjectFile project = scope.requireProject(null);
        List<AppConfig> apps = scope.apps(request.apps());
        if (apps.isEmpty()) {
            throw Devk8sException.usage(project.file() + " defines no apps: add one under apps:");
        }
        String domain = stackRenderer.values(StackOptions.defaults()).domain();
        HostsService.Request hostsRequest = null;
        if (request.hosts().enabled() && !request.dryRun()) {
            hostsRequest = new HostsService.Request(request.hosts().file(), minikube.profile(), domain,
                    Optional.empty(), List.of(), request.hosts().noSudo(), false);
            hosts.preflight(hostsRequest, HostsService.Step.APPLY, true);
        }

        // 2. the cluster and the daemon, reached at the same time (minikube docker-env and the TLS handshake run
        //    while the kube context is pinned)
        CompletableFuture<DockerDaemon> pending = CompletableFuture.supplyAsync(daemons, runnable -> {
            Thread t = new Thread(runnable, "devk8s-docker-connect");
            t.setDaemon(true);
            t.start();
        });
        PinnedContext pinned;
        KubernetesCluster cluster;
        String namespace;
        try {
            pinned = kube.pin(request.cluster());
            console.info("context: " + pinned.contextName() + " (" + pinned.server() + ")");
            cluster = kube.cluster(pinned);
            namespace = scope.namespace(pinned);
        } catch (RuntimeException | Error e) {
            pending.thenAccept(d -> d.close());
            throw e;
        }
        List<Prepared> prepared = new ArrayList<>();
        try (DockerDaemon daemon = awaitDaemon(pending, request)) {
            if (daemon != null) {
                console.info("docker: " + daemon.settings().host() + " (Docker " + daemon.info().serverVersion()
                        + ", " + daemon.info().targetOs() + "/" + daemon.info().targetArch() + ")");
            }

            // 3. every app checked before the first build or write
            String date = Versions.date(clock.instant());
            for (AppConfig app : apps) {
                prepared.add(prepare(project, app, request, daemon, cluster, namespace, domain, date));
            }
            if (request.dryRun()) {
                return dryRun(prepared, cluster, namespace);
            }

            // 4. build, apply, prune and wait, app by app
            for (Prepared p : prepared) {
                boolean built = build(p, request, daemon);
                apply(p, cluster, namespace);
                if (request.waitPolicy().enabled()) {
                    waitFor(p, cluster, namespace, request.waitPolicy().timeout(), built, daemon);
                }
            }
        }

        // 5. the hosts block: every Ingress host devk8s manages in the cluster
        int hostsCode = ExitCode.OK;
        if (hostsRequest != null) {
            List<String> managed = cluster.ingressHosts(null, MANAGED_BY + "=devk8s").stream()
                    .map(IngressHost::host).distinct().toList();
            String address = hostsAddress.lookup(minikube, minikube.profileInfo());
            hostsCode = hosts.apply(new HostsService.Request(hostsRequest.hostsFile(), hostsRequest.profile(), domain,
                    Optional.of(address), managed, request.hosts().noSudo(), false));
        }
        for (Prepared p : prepared) {
            printUrls(p, cluster, namespace, domain);
        }
        if (hostsCode != ExitCode.OK) {
            console.error("deployed, but the hosts step was not done (see above): the URLs resolve once the hosts "
                    + "block is written");
            return ExitCode.FAILURE;
        }
        return ExitCode.OK;
    }

    // ------------------------------------------------------------------------------------------- checks

    /**
     * The daemon images are built in, connected in the background. A build needs it (failures stop here);
     * {@code --dry-run} and {@code --no-build} only read from it, so when it cannot be reached they go on without it
     * (null) after one note line.
     */
    private DockerDaemon awaitDaemon(CompletableFuture<DockerDaemon> pending, Request request) {
        try {
            return pending.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof Devk8sException d && (!request.build() || request.dryRun())) {
                console.info("note: no Docker daemon to ask (" + d.getMessage() + "); TARGETOS/TARGETARCH are "
                        + "assumed to be " + HOST_PLATFORM.targetOs() + "/" + HOST_PLATFORM.targetArch()
                        + (request.build() ? ", and whether an image is unchanged is not known"
                                : ", and that the image exists is not checked"));
                return null;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** What a build is assumed to target when no daemon can be asked: linux on this machine's architecture. */
    static final DockerDaemon.Info HOST_PLATFORM = new DockerDaemon.Info("", "", "", "", "linux",
            System.getProperty("os.arch"));

    private Prepared prepare(ProjectFile project, AppConfig app, Request request, DockerDaemon daemon,
            KubernetesCluster cluster, String namespace, String domain, String date) {
        Map<String, String> base = new LinkedHashMap<>();
        base.put("APP", app.name());
        base.put("NAME", app.name());
        base.put("PROJECT", project.project());
        base.put("NAMESPACE", namespace);
        base.put("DOMAIN", domain);
        base.put("DATE", date);
        DockerDaemon.Info platform = daemon == null ? HOST_PLATFORM : daemon.info();
        base.put("TARGETOS", platform.targetOs());
        base.put("TARGETARCH", platform.targetArch());
        EnvSubst baseSubst = subst(base, app);

        // build arguments: the file's, ${VAR} expanded, then --build-arg
        Map<String, String> buildArgs = new TreeMap<>();
        app.buildArgs().forEach((k, v) -> buildArgs.put(k, baseSubst.apply(app.location() + " buildArgs." + k, v)));
        buildArgs.putAll(request.buildArgs());

        Path dockerfile = app.context().resolve(app.dockerfile());
        if (request.build() && !Files.isRegularFile(dockerfile)) {
            throw Devk8sException.usage(app.location() + ": app " + app.name() + ": no Dockerfile at " + dockerfile
                    + "; set dockerfile: (relative to context:) or use --no-build");
        }
        Optional<String> buildInputs = app.build().map(b -> inputsDigest(b));
        // the context is listed for a build, and for --no-build when the version comes from it (no --tag and no
        // build command): the same VERSION a build would have given, without building
        boolean scan = request.build() || (request.tag().isEmpty() && buildInputs.isEmpty());
        BuildContext context = scan ? BuildContext.scan(app.context(), app.dockerfile()) : null;
        String contextDigest = context == null ? sha256(app.name()) : context.inputDigest(buildArgs, app.target());
        if (!request.build()) {
            context = null;
        }

        // the version: from the command's inputs when there is a build command (its output is in the context and
        // changes with DATE), else from the context
        String versionDigest = buildInputs.map(i -> sha256(i + "\0" + dockerfileText(dockerfile) + "\0" + buildArgs
                + "\0" + app.target())).orElse(contextDigest);
        String version = request.tag().orElseGet(() -> versions.version(app.context(), versionDigest));
        String tag = app.tag().orElse(version);
        String image = app.repository() + ":" + tag;
        Map<String, String> vars = new LinkedHashMap<>(base);
        vars.put("VERSION", version);
        vars.put("IMAGE", image);

        // the command is skipped when an image built from the same inputs exists and the context still matches it
        Optional<String> existing = Optional.empty();
        boolean runCommand = false;
        Optional<BuildKitFeatures.Need> buildKit = Optional.empty();
        Optional<Path> cli = Optional.empty();
        if (request.build()) {
            if (daemon != null) {
                existing = daemon.findIdByLabel(DockerDaemon.INPUT_DIGEST_LABEL, contextDigest);
                if (buildInputs.isPresent()) {
                    Optional<String> fromInputs = daemon.findIdByLabel(BUILD_INPUTS_LABEL, buildInputs.get());
                    runCommand = fromInputs.isEmpty() || existing.isEmpty()
                            || !fromInputs.get().equals(existing.get());
                    if (runCommand) {
                        existing = Optional.empty();
                    }
                }
            } else {
                runCommand = buildInputs.isPresent();
            }
            // the command's words and env are substituted now, so an undefined ${VAR} stops here
            app.build().ifPresent(b -> commandEnv(b, subst(vars, app), app));
            // a Dockerfile that needs BuildKit is built with the docker CLI: it must be on PATH and have BuildKit
            buildKit = BuildKitFeatures.firstNeed(dockerfileText(dockerfile));
            if (buildKit.isPresent() && existing.isEmpty()) {
                String why = buildKit.get().at(dockerfile);
                Path docker = dockerCli.find().orElseThrow(() -> Devk8sException.precondition(why + " needs BuildKit, "
                        + "which the Docker API builder devk8s uses does not have, and no docker CLI is on PATH to "
                        + "build it with: install the docker CLI (with the buildx plugin), or build without that "
                        + "feature"));
                if (!request.dryRun()) {
                    dockerCli.requireBuildKit(docker, why);
                }
                cli = Optional.of(docker);
            }
        } else if (daemon != null && !request.dryRun() && daemon.labels(image).isEmpty()) {
            throw Devk8sException.precondition("app " + app.name() + ": image " + image + " is not in the Docker "
                    + "daemon at " + daemon.settings().host() + ": deploy without --no-build to build it, or pass "
                    + "--tag with the tag of an image the daemon has");
        }

        // the manifests: ${VAR} strict, then Jinja; labelled; parsed; kinds served; dry run on the server
        if (app.manifests().isEmpty()) {
            throw Devk8sException.usage(app.location() + ": app " + app.name() + " has no manifests: list its files "
                    + "under manifests: (e.g. manifests: [deployment/*.yaml])");
        }
        TemplateEngine engine = new TemplateEngine(new TemplateSource(project.dir()), subst(vars, app));
        Map<String, Object> jinja = new LinkedHashMap<>(app.env());
        jinja.putAll(vars);
        Map<String, String> labels = Map.of(ProjectScope.PROJECT_LABEL, project.project(), ProjectScope.APP_LABEL,
                app.name(), MANAGED_BY, "devk8s");
        List<Manifest> objects = new ArrayList<>();
        for (Path file : app.manifests()) {
            String rel = project.dir().relativize(file).toString().replace('\\', '/');
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw Devk8sException.usage(file + ": cannot read: " + e.getMessage());
            }
            String rendered = engine.renderText(rel, text, jinja);
            for (Manifest m : cluster.manifests(rendered, file + " (rendered)", 1)) {
                objects.add(m.withLabels(labels));
            }
        }
        if (objects.isEmpty()) {
            throw Devk8sException.usage(app.location() + ": the manifests of " + app.name() + " render no objects");
        }
        ApplyPlan plan = cluster.plan(objects, false);
        LabelSelector selector = LabelSelector.parse(ProjectScope.PROJECT_LABEL + "=" + project.project() + ","
                + ProjectScope.APP_LABEL + "=" + app.name() + "," + MANAGED_BY + "=devk8s");
        List<ApiResource> prunable = StackKinds.prunable(cluster.kindsOf(objects));
        return new Prepared(app, vars, image, context, contextDigest, buildInputs, existing, runCommand, buildArgs,
                objects, plan, selector, prunable, buildKit, cli);
    }

    /** {@code ${VAR}}: devk8s's variables, then the app's {@code env:}, then the environment. */
    private EnvSubst subst(Map<String, String> vars, AppConfig app) {
        return new EnvSubst(name -> Optional.ofNullable(vars.get(name))
                .or(() -> Optional.ofNullable(app.env().get(name)))
                .or(() -> environment.get(name)));
    }

    private Map<String, String> commandEnv(BuildCommand b, EnvSubst s, AppConfig app) {
        Map<String, String> env = new TreeMap<>();
        b.env().forEach((k, v) -> env.put(k, s.apply(app.location() + " build.env." + k, v)));
        return env;
    }

    private int dryRun(List<Prepared> prepared, KubernetesCluster cluster, String namespace) {
        console.info("dry run: nothing is built or changed (kinds checked against the API server, objects dry-run "
                + "on it)");
        for (Prepared p : prepared) {
            String what = p.context() == null ? "no build (--no-build)"
                    : p.existing().isPresent() ? "unchanged (image with this input digest exists)"
                    : (p.runCommand() ? "run `" + p.app().build().orElseThrow().command() + "`, then " : "")
                            + "build " + p.app().context() + p.dockerCli().map(d -> " with " + d + " (BuildKit: "
                            + p.buildKit().orElseThrow().describe() + ")").orElse("");
            console.data("image  " + p.image() + "  " + what);
            p.objects().forEach(o -> console.data("apply  " + o.ref()));
            Set<ObjectRef> keep = keep(p);
            cluster.prune(p.selector(), keep, p.prunable(), namespace, true)
                    .forEach(ref -> console.data("prune  " + ref));
        }
        return ExitCode.OK;
    }

    // ------------------------------------------------------------------------------------------- writes

    /** Runs the build command and builds the image unless nothing changed; true when an image was built or tagged. */
    private boolean build(Prepared p, Request request, DockerDaemon daemon) {
        AppConfig app = p.app();
        if (!request.build()) {
            console.info(app.name() + ": image " + p.image() + " (--no-build)");
            return false;
        }
        String contextDigest = p.inputDigest();
        BuildContext context = p.context();
        Optional<String> existing = p.existing();
        if (p.runCommand()) {
            BuildCommand b = app.build().orElseThrow();
            runCommand(app, b, commandEnv(b, subst(p.vars(), app), app), p.vars());
            context = BuildContext.scan(app.context(), app.dockerfile());
            contextDigest = context.inputDigest(p.buildArgs(), app.target());
            existing = daemon.findIdByLabel(DockerDaemon.INPUT_DIGEST_LABEL, contextDigest);
        } else if (app.build().isPresent()) {
            console.info(app.name() + ": build command skipped (its inputs are unchanged)");
        }
        if (existing.isPresent()) {
            Map<String, String> labels = daemon.labels(p.image()).orElse(Map.of());
            if (!contextDigest.equals(labels.get(DockerDaemon.INPUT_DIGEST_LABEL))) {
                daemon.tag(existing.get(), p.image());
                console.info(app.name() + ": image " + p.image() + " unchanged (tagged)");
                return true;
            }
            console.info(app.name() + ": image " + p.image() + " unchanged");
            return false;
        }
        console.info(app.name() + ": building " + p.image() + " in " + daemon.settings().host()
                + (p.dockerCli().isPresent() ? " with the docker CLI (BuildKit: " + p.buildKit().orElseThrow().describe()
                        + ")" : "") + " ...");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(DockerDaemon.INPUT_DIGEST_LABEL, contextDigest);
        p.buildInputs().ifPresent(d -> labels.put(BUILD_INPUTS_LABEL, d));
        labels.put("app", app.name());
        DockerDaemon.BuildRequest buildRequest = new DockerDaemon.BuildRequest(List.of(p.image()), p.buildArgs(),
                app.target(), labels);
        long start = System.nanoTime();
        BuildLog log = new BuildLog();
        // on a terminal one line shows the step that runs; with --verbose or off a terminal the whole output
        boolean full = console.isVerbose() || !console.isInteractive();
        try (Console.StatusLine status = console.statusLine()) {
            java.util.function.Consumer<String> output = line -> {
                log.accept(line).ifPresent(step -> status.update(app.name() + ": building " + p.image() + ": " + step));
                if (full) {
                    console.info("  " + line);
                }
            };
            try {
                if (p.dockerCli().isPresent()) {
                    dockerCli.build(p.dockerCli().get(), daemon.settings(), app.context(), app.dockerfile(),
                            buildRequest, output);
                } else {
                    daemon.build(context, buildRequest, output);
                }
            } catch (Devk8sException e) {
                status.close();
                if (!full) {
                    log.failureReport().forEach(l -> console.info("  " + l));
                }
                throw e;
            }
        }
        console.success(app.name() + ": built " + p.image() + " in "
                + UpService.format(Duration.ofNanos(System.nanoTime() - start)));
        return true;
    }

    private void runCommand(AppConfig app, BuildCommand b, Map<String, String> env, Map<String, String> vars) {
        Path sh = processes.which("sh").orElseThrow(() -> Devk8sException.precondition(
                "no sh on PATH to run the build command of " + app.name()));
        ProcessRunner.Invocation inv = ProcessRunner.Invocation.of(sh, "-c", b.command())
                .withWorkDir(b.dir()).withTimeout(Duration.ofMinutes(30));
        for (var e : vars.entrySet()) {
            inv = inv.withEnv(e.getKey(), e.getValue());
        }
        for (var e : env.entrySet()) {
            inv = inv.withEnv(e.getKey(), e.getValue());
        }
        console.info(app.name() + ": " + b.command());
        ProcessRunner.Result result = processes.stream(inv, line -> console.debug("  " + line));
        if (!result.ok()) {
            if (!console.isVerbose()) {
                result.output().lines().skip(Math.max(0, result.output().lines().count() - 20))
                        .forEach(l -> console.info("  " + l));
            }
            throw Devk8sException.failure("the build command of " + app.name() + " (" + app.location()
                    + ") failed with exit code " + result.exitCode() + ": " + b.command());
        }
    }

    private void apply(Prepared p, KubernetesCluster cluster, String namespace) {
        Map<ApplyOutcome, Integer> counts = new EnumMap<>(ApplyOutcome.class);
        cluster.apply(p.plan(), (Applied applied) -> {
            counts.merge(applied.outcome(), 1, Integer::sum);
            String padded = String.format("%-10s", applied.outcome().word());
            console.info("  " + (applied.outcome() == ApplyOutcome.UNCHANGED ? padded : console.green(padded)) + " "
                    + applied.object());
        });
        List<ObjectRef> pruned = cluster.prune(p.selector(), keep(p), p.prunable(), namespace, false);
        pruned.forEach(ref -> console.info("  " + console.yellow("pruned") + "     " + ref));
        List<String> parts = new ArrayList<>();
        counts.forEach((o, n) -> parts.add(n + " " + o.word()));
        if (!pruned.isEmpty()) {
            parts.add(pruned.size() + " pruned");
        }
        console.success(p.app().name() + ": applied " + p.objects().size() + " objects: " + String.join(", ", parts));
    }

    private static Set<ObjectRef> keep(Prepared p) {
        Set<ObjectRef> keep = new LinkedHashSet<>();
        p.objects().forEach(o -> keep.add(o.ref()));
        return keep;
    }

    private void waitFor(Prepared p, KubernetesCluster cluster, String namespace, Duration timeout, boolean built,
            DockerDaemon daemon) {
        List<ObjectRef> workloads = p.objects().stream().filter(o -> WORKLOAD_KINDS.contains(o.kind()))
                .map(Manifest::ref).toList();
        if (workloads.isEmpty()) {
            return;
        }
        List<String> keys = workloads.stream().map(ObjectRef::name).toList();
        Rollout.Result result;
        try (Console.Progress progress = console.progress(keys)) {
            result = cluster.waitFor(namespace, workloads, timeout,
                    pr -> progress.update(pr.deployment(), pr.phase().word() + " " + pr.ready() + "/" + pr.desired()));
        }
        if (result.ready()) {
            console.success(p.app().name() + ": rolled out in " + UpService.format(result.elapsed()));
            return;
        }
        result.diagnoses().forEach(d -> console.error(d.oneLine()));
        Optional<Rollout.Diagnosis> pull = result.diagnoses().stream()
                .filter(d -> PULL_FAILURES.contains(d.reason())).findFirst();
        if (pull.isPresent() && built) {
            throw Devk8sException.failure(p.app().name() + ": " + pull.get().reason() + " on " + p.image()
                    + ", which was just built in the Docker daemon at " + daemon.settings().host()
                    + ": the cluster's node uses another daemon; check that the kube context is profile "
                    + minikube.profile() + "'s (`minikube -p " + minikube.profile() + " update-context`)");
        }
        throw Devk8sException.failure(p.app().name() + ": " + (result.timedOut() ? "timed out after "
                + UpService.format(timeout) : "rollout failed") + (result.diagnoses().isEmpty() ? ""
                : " (" + result.diagnoses().get(0).deployment() + ": " + result.diagnoses().get(0).reason()
                + ", see above)"));
    }

    private void printUrls(Prepared p, KubernetesCluster cluster, String namespace, String domain) {
        LinkedHashSet<String> hostsOfApp = new LinkedHashSet<>();
        for (IngressHost h : cluster.ingressHosts(namespace, p.selector().toString())) {
            hostsOfApp.add(h.host());
        }
        hostsOfApp.forEach(h -> console.data(String.format("%-11s http://%s/", p.app().name(), h)));
        console.data(String.format("%-11s http://jaeger.%s/search?service=%s", "traces", domain, p.app().name()));
    }

    // ------------------------------------------------------------------------------------------- digests

    /** SHA-256 over the files the command's {@code inputs} globs match under its dir (path and content), sorted. */
    static String inputsDigest(BuildCommand b) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : b.inputs()) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            if (glob.startsWith("**/")) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
            }
        }
        MessageDigest md = sha();
        try (Stream<Path> walk = Files.walk(b.dir())) {
            List<Path> files = walk.filter(Files::isRegularFile)
                    .filter(f -> !b.dir().relativize(f).toString().startsWith(".git"))
                    .filter(f -> matchers.stream().anyMatch(m -> m.matches(b.dir().relativize(f))))
                    .sorted().toList();
            byte[] buffer = new byte[65536];
            for (Path f : files) {
                md.update(b.dir().relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                try (InputStream in = Files.newInputStream(f)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        md.update(buffer, 0, n);
                    }
                }
                md.update((byte) 0);
            }
        } catch (IOException e) {
            throw Devk8sException.failure("cannot read the build inputs under " + b.dir() + ": " + e.getMessage(), e);
        }
        b.inputs().forEach(g -> md.update(g.getBytes(StandardCharsets.UTF_8)));
        md.update(b.command().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    private static String dockerfileText(Path dockerfile) {
        try {
            return Files.isRegularFile(dockerfile) ? Files.readString(dockerfile) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(sha().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
