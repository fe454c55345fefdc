package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.docker.BuildContext;
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
import io.devk8s.adapter.kubernetes.PruneCandidates;
import io.devk8s.adapter.kubernetes.Rollout;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.template.EnvSubst;
import io.devk8s.config.AppConfig;
import io.devk8s.config.BuildCommand;
import io.devk8s.config.ProjectFile;
import io.devk8s.console.Console;
import io.devk8s.service.build.Versions;
import io.devk8s.adapter.docker.BuildKitFeatures;
import io.devk8s.adapter.docker.DockerCli;
import io.devk8s.service.target.ClusterTarget;
import io.devk8s.service.target.ClusterTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code devk8s deploy [APP...]}: for each app of {@code devk8s.yaml}, its host build command, its image built in
 * Minikube's Docker daemon, its manifests rendered ({@code ${VAR}} strictly, then Jinja), applied with server-side
 * apply, what they no longer render pruned, the rollout waited for, the URL printed. Everything that can be checked
 * (project file, app names, the daemon, variables, manifests, kinds, a server-side dry run) is checked for every app
 * before the first build or write; an app whose inputs did not change builds nothing and writes nothing.
 */
public final class DeployService {
    /** The image label carrying the digest of the build command's {@code inputs}. */
    public static final String BUILD_INPUTS_LABEL = BuildSteps.BUILD_INPUTS_LABEL;
    /** The label every object devk8s manages carries. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /**
     * On every object of an app: every kind its manifests rendered ({@code apiVersion/Kind}, comma-separated). The
     * next deploy's prune lists those kinds and the ones it renders, and so also finds an object whose kind the
     * manifests no longer render at all (a CronJob that was removed), without listing every kind it could be.
     */
    public static final String KINDS_ANNOTATION = "devk8s.io/app-kinds";
    static final List<String> WORKLOAD_KINDS = List.of("Deployment", "StatefulSet", "DaemonSet");
    private static final Set<String> PULL_FAILURES = Set.of("ErrImageNeverPull", "ImagePullBackOff", "ErrImagePull");

    /**
     * What {@code devk8s deploy} was asked to do.
     *
     * @param tag       {@code --tag}, or empty for the version from git
     * @param buildArgs {@code --build-arg K=V}, over the file's {@code buildArgs}
     */
    public record Request(ClusterSelection cluster, List<String> apps, boolean build, Optional<String> tag,
            Map<String, String> buildArgs, WaitPolicy waitPolicy, HostsStep hosts, boolean dryRun,
            Optional<String> target, Optional<String> registry) {
        public Request {
            apps = List.copyOf(apps);
            buildArgs = Map.copyOf(buildArgs);
        }

        /** The target from the context ({@code --target} and {@code --registry} not given). */
        public Request(ClusterSelection cluster, List<String> apps, boolean build, Optional<String> tag,
                Map<String, String> buildArgs, WaitPolicy waitPolicy, HostsStep hosts, boolean dryRun) {
            this(cluster, apps, build, tag, buildArgs, waitPolicy, hosts, dryRun, Optional.empty(), Optional.empty());
        }
    }

    /** One app, checked and ready to build and apply. */
    private record Prepared(AppConfig app, Map<String, String> vars, String image, BuildContext context,
            String inputDigest, Optional<String> buildInputs, Optional<String> existing, boolean runCommand,
            Map<String, String> buildArgs, List<Manifest> objects, ApplyPlan plan, LabelSelector selector,
            PruneCandidates candidates, Optional<BuildKitFeatures.Need> buildKit, Optional<Path> dockerCli) {
    }

    private final Console console;
    private final Environment environment;
    private final ProjectScope scope;
    private final MinikubeCli minikube;
    private final ClusterTargets targets;
    private final Versions versions;
    private final ProcessRunner processes;
    private final RenderService stackRenderer;
    private final KubeAccess kube;
    private final HostsService hosts;
    private final HostsAddress hostsAddress;
    private final Clock clock;
    private final BuildSteps steps;
    private final DockerCli dockerCli;
    /** The apps whose deploy built an image or changed an object ({@link #changed}). */
    private final Set<String> changed = new LinkedHashSet<>();
    /** The images devk8s built in the daemon, as listed at the start of the deploy ({@code null}: no build). */
    private CompletableFuture<DockerDaemon.BuiltImages> images;
    /** Whether this deploy built or tagged an image since {@link #images} were listed. */
    private boolean imagesChanged;

    /**
     * @param targets chooses where images are built and how they reach the cluster; asked once per run
     */
    public DeployService(Console console, Environment environment, ProjectScope scope, MinikubeCli minikube,
            ClusterTargets targets, Versions versions, ProcessRunner processes, RenderService stackRenderer,
            KubeAccess kube, HostsService hosts, HostsAddress hostsAddress, Clock clock) {
        this.console = console;
        this.environment = environment;
        this.scope = scope;
        this.minikube = minikube;
        this.targets = targets;
        this.versions = versions;
        this.processes = processes;
        this.stackRenderer = stackRenderer;
        this.kube = kube;
        this.hosts = hosts;
        this.hostsAddress = hostsAddress;
        this.clock = clock;
        this.steps = new BuildSteps(console, environment, processes, versions);
        this.dockerCli = new DockerCli(processes);
    }

    public int deploy(Request request) throws Exception {
        images = null;
        imagesChanged = false;
        // 1. the project file and the apps: no cluster, no daemon needed
        ProjectFile project = scope.requireProject(null);
        ClusterTargets.Choice choice = new ClusterTargets.Choice(request.target(), request.registry(),
                project.registry(), project.file().toString());
        ClusterTargets.check(choice);
        List<AppConfig> apps = scope.apps(request.apps());
        if (apps.isEmpty()) {
            throw Devk8sException.usage(project.file() + " defines no apps: add one under apps:");
        }
        KubernetesCluster.warmUp(); // the client's classes load while the daemon is connected
        for (AppConfig app : apps) { // git, the context's listing and the inputs' digest, meanwhile too
            steps.readAhead(app, request.build(), request.tag());
        }
        StackValues stack = stackRenderer.values(StackOptions.defaults());
        String domain = stack.domain();
        HostsService.Request hostsRequest = null;
        if (request.hosts().enabled() && !request.dryRun()) {
            hostsRequest = new HostsService.Request(request.hosts().file(), minikube.profile(), domain,
                    Optional.empty(), List.of(), request.hosts().noSudo(), false);
            hosts.preflight(hostsRequest, HostsService.Step.APPLY, true);
        }

        // 2. the cluster and the daemon
        PinnedContext pinned = kube.pin(request.cluster(), Set.copyOf(project.allowContexts()));
        console.info(ContextNotice.line(pinned));
        KubernetesCluster cluster = kube.cluster(pinned);
        String namespace = scope.namespace(pinned);
        cluster.useNamespace(namespace); // manifests without a namespace go to the project's, as with kubectl -n
        cluster.connectAhead(); // connected while the daemon is asked and the context digested
        List<Prepared> prepared = new ArrayList<>();
        try (ClusterTarget target = targets.choose(choice, pinned, cluster)) {
            DockerDaemon daemon = daemonOf(target, request);
            // the images devk8s built there, listed while the apps are prepared; a build needs them
            images = daemon == null || !request.build() ? null
                    : Background.start("devk8s-image-list", daemon::builtImages);
            if (daemon != null) { // describe() names the daemon, so it needs one
                console.info("target: " + target.describe());
                console.info("docker: " + daemon.settings().host() + " (Docker " + daemon.info().serverVersion()
                        + ", " + daemon.info().targetOs() + "/" + daemon.info().targetArch() + ")");
            }

            // 3. every app checked before the first build or write
            String date = Versions.date(clock.instant());
            for (AppConfig app : apps) {
                prepared.add(prepare(project, app, request, target, daemon, cluster, namespace, stack, date));
            }
            if (request.dryRun()) {
                return dryRun(prepared, cluster, namespace, target);
            }

            // 4. build, deliver (load or push), apply, prune and wait, app by app
            for (int i = 0; i < prepared.size(); i++) {
                Prepared p = prepared.get(i);
                boolean built = build(p, request, daemon);
                if (request.build()) {
                    String ref = target.deliver(p.app().name(), p.image(), built);
                    if (!ref.equals(p.image())) { // pushed: the manifests carry the digest, so a re-push rolls out
                        p = rerender(project, p, ref, cluster, namespace);
                        prepared.set(i, p);
                    }
                } else {
                    target.deliverUnbuilt(p.app().name(), p.image()); // kind, k3d: loaded when a node lacks it
                }
                if (apply(p, cluster, p.candidates()) | built) {
                    changed.add(p.app().name());
                }
                if (request.waitPolicy().enabled()) {
                    waitFor(p, cluster, namespace, request.waitPolicy().timeout(), built, target);
                }
            }
        }

        // 5. the hosts block: every Ingress host devk8s manages in the cluster
        int hostsCode = ExitCode.OK;
        Optional<String> localAddress = pinned.reason().isMinikube() ? Optional.empty()
                : LocalClusters.isLocal(pinned) ? Optional.of("127.0.0.1") : Optional.of("");
        if (hostsRequest != null && localAddress.filter(String::isEmpty).isPresent()) {
            console.info("hosts: not written for " + pinned.contextName() + ", which is not a local cluster (its "
                    + "Ingress hosts need its own DNS)");
            hostsRequest = null;
        }
        if (hostsRequest != null) {
            List<String> managed = cluster.ingressHosts(null, MANAGED_BY + "=devk8s").stream()
                    .map(IngressHost::host).distinct().toList();
            String address = localAddress.isPresent() ? localAddress.get()
                    : hostsAddress.lookup(minikube, minikube.profileInfo());
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
     * The daemon images are built in. A build needs it (failures stop here); {@code --dry-run} and
     * {@code --no-build} only read from it, so when it cannot be reached they go on without it (null) after one
     * note line.
     */
    private DockerDaemon daemonOf(ClusterTarget target, Request request) {
        try {
            return target.daemon();
        } catch (Devk8sException e) {
            if (request.build() && !request.dryRun()) {
                throw e;
            }
            console.info("note: no Docker daemon to ask (" + e.getMessage() + "); TARGETOS/TARGETARCH are "
                    + "assumed to be " + BuildSteps.HOST_PLATFORM.targetOs() + "/"
                    + BuildSteps.HOST_PLATFORM.targetArch()
                    + (request.build() ? ", and whether an image is unchanged is not known"
                            : ", and that the image exists is not checked"));
            return null;
        }
    }

    private Prepared prepare(ProjectFile project, AppConfig app, Request request, ClusterTarget target,
            DockerDaemon daemon, KubernetesCluster cluster, String namespace, StackValues stack, String date) {
        BuildSteps.AppBuild build = steps.prepare(project, app, namespace, stack.domain(), date,
                daemon == null ? null : daemon.info(), request.build(), request.tag(), request.buildArgs());
        Map<String, String> vars = new LinkedHashMap<>(build.vars());
        vars.putAll(AppTemplates.variables(app, stack.namespace()));
        String image = target.imageName(build.image());
        vars.put("IMAGE", image);
        if (request.build()) { // the command's words and env are substituted now: an undefined ${VAR} stops here
            app.build().ifPresent(b -> steps.commandEnv(app, vars));
            target.check(image); // e.g. the push credentials, before the first build
        }

        // the manifests (the app's files, or the default templates of its kind): ${VAR} strict, then Jinja;
        // labelled; parsed; kinds served; what the prune looks at, listed before the build (so the command has the
        // CPUs to itself), the plan taking the live objects from those lists; dry run on the server (while the
        // daemon lists its images)
        List<Manifest> objects = render(project, app, vars, cluster);
        LabelSelector selector = selectorOf(project, app);
        PruneCandidates candidates = candidates(cluster, selector, objects, namespace);
        ApplyPlan plan = cluster.plan(objects, false, candidates);

        // the command is skipped when an image built from the same inputs exists and the context still matches it
        Optional<String> existing = Optional.empty();
        boolean runCommand = false;
        Optional<BuildKitFeatures.Need> buildKit = Optional.empty();
        Optional<Path> cli = Optional.empty();
        if (request.build()) {
            BuildSteps.Skip skip = steps.skip(images == null ? null : Background.join(images),
                    () -> Optional.of(build.contextDigest()), build.buildInputs());
            existing = skip.existing();
            runCommand = skip.runCommand();
            // a Dockerfile that needs BuildKit is built with the docker CLI: it must be on PATH and have BuildKit
            Path dockerfile = app.context().resolve(app.dockerfile());
            buildKit = BuildKitFeatures.firstNeed(BuildSteps.dockerfileText(dockerfile));
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
            throw Devk8sException.precondition("app " + app.name() + ": image " + image + " is not in the "
                    + "Docker daemon at " + daemon.settings().host() + ": deploy without --no-build to build it, or "
                    + "pass --tag with the tag of an image the daemon has");
        }

        // the context's digest when it decides (a command that runs changes the context: hashed after it)
        String inputDigest = runCommand ? null : build.contextDigest();
        return new Prepared(app, vars, image, build.context(), inputDigest, build.buildInputs(), existing,
                runCommand, build.buildArgs(), objects, plan, selector, candidates, buildKit, cli);
    }

    /** The app's manifests rendered again with {@code ${IMAGE}} = {@code ref} (a pushed digest), and checked again. */
    private Prepared rerender(ProjectFile project, Prepared p, String ref, KubernetesCluster cluster,
            String namespace) {
        Map<String, String> vars = new LinkedHashMap<>(p.vars());
        vars.put("IMAGE", ref);
        List<Manifest> objects = render(project, p.app(), vars, cluster);
        PruneCandidates candidates = candidates(cluster, p.selector(), objects, namespace);
        return new Prepared(p.app(), vars, p.image(), p.context(), p.inputDigest(), p.buildInputs(), p.existing(),
                p.runCommand(), p.buildArgs(), objects, cluster.plan(objects, false, candidates), p.selector(),
                candidates, p.buildKit(), p.dockerCli());
    }

    /**
     * The app's objects (carrying {@code selector}) a prune looks at: of the kinds {@code objects} render, and of
     * those the app's live objects name in {@value #KINDS_ANNOTATION}. When none names any (a first deploy, or
     * objects an earlier devk8s applied), of every kind always pruned as well.
     */
    private static PruneCandidates candidates(KubernetesCluster cluster, LabelSelector selector,
            List<Manifest> objects, String namespace) {
        List<ApiResource> rendered = StackKinds.prunableOf(cluster.kindsOf(objects));
        PruneCandidates listed = cluster.pruneCandidates(selector, rendered, namespace);
        Set<String> recorded = listed.annotationValues(KINDS_ANNOTATION);
        if (recorded.isEmpty()) {
            return cluster.pruneCandidates(listed, StackKinds.prunable(rendered), namespace);
        }
        List<ApiResource> kinds = new ArrayList<>(rendered);
        for (String value : recorded) {
            for (String kind : value.split(",")) {
                int slash = kind.lastIndexOf('/');
                if (slash > 0) { // a kind the server no longer serves has no objects left to prune
                    cluster.kindOf(kind.substring(0, slash).strip(), kind.substring(slash + 1).strip())
                            .ifPresent(kinds::add);
                }
            }
        }
        return cluster.pruneCandidates(listed, StackKinds.prunableOf(kinds), namespace);
    }

    /** The labels of every object of {@code app}: what its prune selects. */
    private static LabelSelector selectorOf(ProjectFile project, AppConfig app) {
        return LabelSelector.parse(ProjectScope.PROJECT_LABEL + "=" + project.project() + ","
                + ProjectScope.APP_LABEL + "=" + app.name() + "," + MANAGED_BY + "=devk8s");
    }

    /** {@code ${VAR}} strictly, then Jinja, over the app's manifests (or its kind's defaults); labelled and parsed. */
    private List<Manifest> render(ProjectFile project, AppConfig app, Map<String, String> vars,
            KubernetesCluster cluster) {
        Map<String, Object> jinja = new LinkedHashMap<>(app.env());
        jinja.putAll(vars);
        Map<String, String> labels = Map.of(ProjectScope.PROJECT_LABEL, project.project(), ProjectScope.APP_LABEL,
                app.name(), MANAGED_BY, "devk8s");
        List<Manifest> objects = new ArrayList<>();
        for (AppTemplates.Rendered rendered : AppTemplates.render(project, app, subst(vars, app), jinja)) {
            for (Manifest m : cluster.manifests(rendered.text(), rendered.source() + " (rendered)", 1)) {
                objects.add(m.withLabels(labels));
            }
        }
        if (objects.isEmpty()) {
            throw Devk8sException.usage(app.location() + ": the manifests of " + app.name() + " render no objects");
        }
        String kinds = StackKinds.prunableOf(cluster.kindsOf(objects)).stream()
                .map(k -> k.apiVersion() + "/" + k.kind()).sorted().collect(java.util.stream.Collectors.joining(","));
        if (!kinds.isEmpty()) {
            objects.forEach(m -> m.withAnnotation(KINDS_ANNOTATION, kinds));
        }
        return objects;
    }

    /** {@code ${VAR}}: devk8s's variables, then the app's {@code env:}, then the environment. */
    private EnvSubst subst(Map<String, String> vars, AppConfig app) {
        return steps.subst(vars, app);
    }

    private int dryRun(List<Prepared> prepared, KubernetesCluster cluster, String namespace, ClusterTarget target) {
        console.info("dry run: nothing is built or changed (kinds checked against the API server, objects dry-run "
                + "on it)");
        for (Prepared p : prepared) {
            String what = p.context() == null ? "no build (--no-build)"
                    : p.existing().isPresent() ? "unchanged (image with this input digest exists)"
                    : (p.runCommand() ? "run `" + p.app().build().orElseThrow().command() + "`, then " : "")
                            + "build " + p.app().context() + p.dockerCli().map(d -> " with " + d + " (BuildKit: "
                            + p.buildKit().orElseThrow().describe() + ")").orElse("");
            console.data("image  " + p.image() + "  " + what);
            if (p.context() != null && !target.plan(p.image()).isEmpty()) {
                console.data("then   " + target.plan(p.image()));
            }
            p.objects().forEach(o -> console.data("apply  " + o.ref()));
            Set<ObjectRef> keep = keep(p);
            cluster.prune(p.candidates(), keep, true)
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
            steps.runCommand(app, p.vars());
            context = BuildContext.scan(app.context(), app.dockerfile());
            contextDigest = context.inputDigest(p.buildArgs(), app.target());
            // the images listed before, unless this deploy has built or tagged one since
            existing = imagesChanged ? daemon.findIdByLabel(DockerDaemon.INPUT_DIGEST_LABEL, contextDigest)
                    : Background.join(images).newestId(DockerDaemon.INPUT_DIGEST_LABEL, contextDigest);
        } else if (app.build().isPresent()) {
            console.info(app.name() + ": build command skipped (its inputs are unchanged)");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        p.buildInputs().ifPresent(d -> labels.put(BUILD_INPUTS_LABEL, d));
        labels.put("app", app.name());
        boolean built = steps.image(daemon, app.name(), p.image(), context, contextDigest, existing, p.buildArgs(),
                app.target(), labels, p.dockerCli().map(cli -> new BuildSteps.CliBuild(dockerCli, cli,
                        app.context(), app.dockerfile(), p.buildKit().orElseThrow().describe())));
        imagesChanged |= built;
        return built;
    }

    /**
     * Whether the last {@link #deploy} of {@code app} built an image or created, changed or pruned an object (false:
     * the image with its input digest was there and every object was unchanged).
     */
    public boolean changed(String app) {
        return changed.contains(app);
    }

    /**
     * Applies and prunes those of {@code candidates} (read before the apply) that the manifests no longer hold;
     * whether any object was created, changed or pruned.
     */
    private boolean apply(Prepared p, KubernetesCluster cluster, PruneCandidates candidates) {
        Map<ApplyOutcome, Integer> counts = new EnumMap<>(ApplyOutcome.class);
        cluster.apply(p.plan(), (Applied applied) -> {
            counts.merge(applied.outcome(), 1, Integer::sum);
            String padded = String.format("%-10s", applied.outcome().word());
            console.info("  " + (applied.outcome() == ApplyOutcome.UNCHANGED ? padded : console.green(padded)) + " "
                    + applied.object());
        });
        List<ObjectRef> pruned = cluster.prune(candidates, keep(p), false);
        pruned.forEach(ref -> console.info("  " + console.yellow("pruned") + "     " + ref));
        List<String> parts = new ArrayList<>();
        counts.forEach((o, n) -> parts.add(n + " " + o.word()));
        if (!pruned.isEmpty()) {
            parts.add(pruned.size() + " pruned");
        }
        console.success(p.app().name() + ": applied " + p.objects().size() + " objects: " + String.join(", ", parts));
        return !pruned.isEmpty() || counts.keySet().stream().anyMatch(o -> o != ApplyOutcome.UNCHANGED);
    }

    private static Set<ObjectRef> keep(Prepared p) {
        Set<ObjectRef> keep = new LinkedHashSet<>();
        p.objects().forEach(o -> keep.add(o.ref()));
        return keep;
    }

    private void waitFor(Prepared p, KubernetesCluster cluster, String namespace, Duration timeout, boolean built,
            ClusterTarget target) {
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
            throw Devk8sException.failure(p.app().name() + ": " + pull.get().reason() + " on "
                    + target.pullFailureHint(p.image()));
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

    /** SHA-256 over the files the command's {@code inputs} globs match under its dir: {@link BuildSteps#inputsDigest}. */
    static String inputsDigest(BuildCommand b) {
        return BuildSteps.inputsDigest(b);
    }
}
