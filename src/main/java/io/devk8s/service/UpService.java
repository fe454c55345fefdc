package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.Applied;
import io.devk8s.adapter.kubernetes.ApplyPlan;
import io.devk8s.adapter.kubernetes.ApplyOutcome;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.LabelSelector;
import io.devk8s.adapter.kubernetes.Manifest;
import io.devk8s.adapter.kubernetes.NodePortRangeException;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.kubernetes.PruneCandidates;
import io.devk8s.adapter.kubernetes.Rollout;
import io.devk8s.adapter.minikube.ClusterStatus;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.minikube.MinikubeProfile;
import io.devk8s.adapter.minikube.ProfileStatus;
import io.devk8s.console.Console;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code devk8s up}: from a running (or, with {@code --start}, stopped or missing) Minikube profile to the
 * stack answering on its hostnames. Everything that can be checked without changing the cluster is checked
 * first (templates, manifests, node port range, kube context), so a bad input never leaves a half-applied
 * stack; then apply, prune, hosts file and the wait for every Deployment.
 */
public final class UpService {

    /**
     * What {@code devk8s up} was asked to do.
     *
     * @param start    {@code --start} and the {@code --minikube-arg}s
     * @param nodePort {@code --node-port}, or null for the one in the values
     */
    public record Request(ClusterSelection cluster, Start start, StackOptions stack, Integer nodePort,
            WaitPolicy waitPolicy, HostsStep hosts, boolean force, boolean dryRun) {
    }

    /** {@code --start}: start (or create) the profile when it does not run, with these extra arguments. */
    public record Start(boolean enabled, List<String> minikubeArgs) {
        public Start {
            minikubeArgs = List.copyOf(minikubeArgs);
        }
    }

    private final Console console;
    private final MinikubeCli minikube;
    private final RenderService renderer;
    private final HostsService hosts;
    private final HostsAddress hostsAddress;
    private final KubeAccess kube;

    public UpService(Console console, MinikubeCli minikube, RenderService renderer, HostsService hosts,
            HostsAddress hostsAddress, KubeAccess kube) {
        this.console = console;
        this.minikube = minikube;
        this.renderer = renderer;
        this.hosts = hosts;
        this.hostsAddress = hostsAddress;
        this.kube = kube;
    }

    public int up(Request request) throws Exception {
        KubernetesCluster.warmUp(); // overlaps the client's class loading with rendering and minikube
        String profile = request.cluster().profile();

        // 0. a local kind, k3d or desktop cluster (from the kubeconfig alone) gets Traefik as it can publish it
        Optional<LocalClusters.Local> local = localCluster(request);
        if (local.isPresent()) {
            request = forLocalCluster(request, local.get());
        }
        // minikube's two answers are asked for now, each a process of its own, while the stack renders; a failure
        // surfaces where the answer is used, so checks keep their order
        CompletableFuture<ClusterStatus> statusAhead = null;
        CompletableFuture<Optional<MinikubeProfile>> infoAhead = null;
        if (local.isEmpty()) {
            statusAhead = Background.start("devk8s-minikube-status", minikube::status);
            infoAhead = Background.start("devk8s-minikube-profile", minikube::profileInfo);
        }

        // 1. everything that needs no cluster: render the stack (template and value errors stop here)
        RenderedStack stack = render(request);
        int nodePort = stack.values().traefikNodePort();

        // the hosts step's pre-flight too (type, markers, writability): a bad hosts file must not surface after
        // the stack is applied
        HostsService.Request hostsRequest = null;
        if (request.hosts().enabled()) {
            hostsRequest = new HostsService.Request(request.hosts().file(), profile,
                    stack.values().domain(), Optional.empty(), extraHosts(stack), request.hosts().noSudo(), false);
            hosts.preflight(hostsRequest, HostsService.Step.APPLY, true);
        }
        if (!request.start().minikubeArgs().isEmpty() && !request.start().enabled()) {
            console.warn("--minikube-arg is only used with --start");
        }

        // 2. the profile: running, or started on request (a kind, k3d or desktop cluster has none)
        MinikubeProfile info = null;
        if (local.isEmpty()) {
            boolean started = ensureRunning(request, Background.join(statusAhead), infoAhead);
            info = (started ? minikube.profileInfo() : Background.join(infoAhead)).orElse(null);
            checkNodePortRange(profile, info, nodePort, request.nodePort() != null);
        }

        // 3. the kube context: pinned once, refused unless it is the profile's
        PinnedContext pinned = kube.pin(request.cluster());
        console.info(ContextNotice.line(pinned));
        KubernetesCluster cluster = kube.cluster(pinned);

        // 4. every manifest parses, its kind is served (discovery), and the server accepts it in a dry run,
        //    before anything is written
        List<Manifest> objects = new ArrayList<>();
        for (RenderedDocument doc : stack.documents()) {
            // lines are those of the template's rendered output (`devk8s render stack` shows it)
            objects.addAll(cluster.manifests(doc.yaml(), doc.source() + " (rendered)", doc.line()));
        }
        String namespace = stack.values().namespace();
        LabelSelector selector = LabelSelector.parse(StackCatalog.stackSelector(namespace));
        // the prune's kinds (the IngressClass's among them, whether this stack holds it or not)
        var prunable = StackKinds.prunable(cluster.kindsOf(objects));
        // what the prune looks at is read first (the apply adds only objects the prune keeps, so it decides the
        // same afterwards); those lists hold most live objects, those with the stack's labels: the plan reads only
        // the others
        PruneCandidates candidates = cluster.pruneCandidates(selector, prunable, null);
        List<String> shared = shareIngressClass(cluster, namespace, objects, candidates);
        Set<ObjectRef> keep = new LinkedHashSet<>();
        objects.forEach(o -> keep.add(o.ref()));
        ApplyPlan plan;
        try {
            plan = cluster.plan(objects, request.force(), candidates);
        } catch (NodePortRangeException e) {
            throw e.forProfile(profile);
        }

        if (request.dryRun()) {
            return dryRun(cluster, stack, keep, candidates, shared);
        }

        // 5. apply in order, then prune what this stack version no longer renders
        Map<ApplyOutcome, Integer> counts = new EnumMap<>(ApplyOutcome.class);
        try {
            cluster.apply(plan, applied -> {
                counts.merge(applied.outcome(), 1, Integer::sum);
                report(applied);
            });
        } catch (NodePortRangeException e) {
            throw e.forProfile(profile);
        }
        shared.forEach(line -> console.info("  " + String.format("%-10s", "shared") + " " + line));
        List<ObjectRef> pruned = cluster.prune(candidates, keep, false);
        pruned.forEach(ref -> console.info("  " + console.yellow("pruned") + "     " + ref));
        console.success("applied " + objects.size() + " objects: " + summary(counts, pruned.size()));
        grafanaAdmin(cluster, stack);

        // 6. hosts file, before the wait: the names resolve as soon as the pods are ready
        int hostsCode = ExitCode.OK;
        String address = null;
        if (hostsRequest != null) {
            address = local.isPresent() ? "127.0.0.1" : hostsAddress(info);
            hostsCode = hosts.apply(new HostsService.Request(hostsRequest.hostsFile(), profile, hostsRequest.domain(),
                    Optional.of(address), hostsRequest.extraHosts(), request.hosts().noSudo(), false));
        }

        // 7. wait for every Deployment of the stack
        if (request.waitPolicy().enabled()) {
            waitForStack(cluster, stack, request.waitPolicy().timeout());
        }
        printUrls(stack, local.isPresent() ? 80 : nodePort, request.waitPolicy().enabled());
        local.ifPresent(l -> reachability(l, nodePort).forEach(console::info));
        if (address != null && HostsAddress.TUNNEL_ADDRESS.equals(address)) {
            console.info("note: run `minikube tunnel -p " + profile + "` in another terminal to reach the stack");
        }
        if (hostsCode != ExitCode.OK) {
            console.error("the stack is applied, but the hosts step was not done (see above): the URLs resolve "
                    + "once the hosts block is written");
            return ExitCode.FAILURE;
        }
        return ExitCode.OK;
    }

    /**
     * Leaves the shared IngressClass out of the apply when another stack (or someone else) holds it, and says
     * so; see {@link SharedClusterObjects}. When the prune's lists hold it, it carries this stack's labels: this
     * stack holds it, and it is not read again.
     */
    private List<String> shareIngressClass(KubernetesCluster cluster, String namespace, List<Manifest> objects,
            PruneCandidates candidates) {
        if (objects.stream().noneMatch(o -> o.ref().equals(SharedClusterObjects.INGRESS_CLASS))
                || candidates.holds(SharedClusterObjects.INGRESS_CLASS_GROUP, SharedClusterObjects.INGRESS_CLASS)) {
            return List.of();
        }
        SharedClusterObjects.Holder holder = SharedClusterObjects.ingressClassHolder(cluster, namespace);
        String line;
        if (holder instanceof SharedClusterObjects.Holder.Other other) {
            line = SharedClusterObjects.INGRESS_CLASS + " (owned by the stack in namespace " + other.namespace()
                    + "; left as it is)";
        } else if (holder instanceof SharedClusterObjects.Holder.Foreign) {
            line = SharedClusterObjects.INGRESS_CLASS + " (exists and devk8s did not create it; left as it is)";
        } else {
            return List.of();
        }
        objects.removeIf(o -> o.ref().equals(SharedClusterObjects.INGRESS_CLASS));
        return List.of(line);
    }

    /** The local kind, k3d or desktop cluster the selected context is, from the kubeconfig; empty when none. */
    private Optional<LocalClusters.Local> localCluster(Request request) {
        try {
            return LocalClusters.classify(kube.context(request.cluster()));
        } catch (Devk8sException e) {
            return Optional.empty(); // the guard reports an unreadable kubeconfig when it pins the context
        }
    }

    /** The node port kind's extraPortMappings publish as host port 80 (in Kubernetes' default node port range). */
    public static final int KIND_NODE_PORT = 30080;

    /**
     * Traefik for a local cluster: on kind a NodePort in the default range ({@value #KIND_NODE_PORT}, or
     * {@code --node-port}) that the cluster maps to host port 80; on k3d and the desktop clusters a LoadBalancer,
     * which they publish on the host.
     */
    private static Request forLocalCluster(Request request, LocalClusters.Local local) {
        List<String> sets = new ArrayList<>(request.stack().sets());
        if (local.kind() == LocalClusters.Kind.KIND) {
            sets.add("traefik.serviceType=NodePort");
            if (request.nodePort() == null) {
                sets.add("traefik.nodePort=" + KIND_NODE_PORT);
            }
        } else {
            sets.add("traefik.serviceType=LoadBalancer");
        }
        StackOptions options = request.stack();
        return new Request(request.cluster(), request.start(), new StackOptions(options.namespace(), options.domain(),
                sets, options.components()), request.nodePort(), request.waitPolicy(), request.hosts(),
                request.force(), request.dryRun());
    }

    /** How the host reaches the stack on a local cluster: the cluster setup that publishes port 80. */
    public static List<String> reachability(LocalClusters.Local local, int nodePort) {
        return switch (local.kind()) {
            case KIND -> List.of("the URLs need kind cluster " + local.name() + " to map host port 80 to node port "
                            + nodePort + "; a cluster created without it is recreated with this config "
                            + "(`kind create cluster --name " + local.name() + " --config kind.yaml`):",
                    "  kind: Cluster",
                    "  apiVersion: kind.x-k8s.io/v1alpha4",
                    "  nodes:",
                    "    - role: control-plane",
                    "      extraPortMappings:",
                    "        - containerPort: " + nodePort,
                    "          hostPort: 80",
                    "          protocol: TCP");
            case K3D -> List.of("the URLs need k3d cluster " + local.name() + " to publish port 80 on its load "
                    + "balancer, without k3s's own Traefik; a cluster created otherwise is recreated with: "
                    + "k3d cluster create " + local.name() + " -p \"80:80@loadbalancer\" --k3s-arg "
                    + "\"--disable=traefik@server:0\"");
            case DESKTOP -> List.of("the URLs reach Traefik's LoadBalancer Service, which " + local.name()
                    + " publishes on the host's port 80");
        };
    }

    private RenderedStack render(Request request) {
        StackOptions options = request.stack();
        if (request.nodePort() != null) {
            if (request.nodePort() < 1 || request.nodePort() > 65535) {
                throw Devk8sException.usage("--node-port " + request.nodePort() + ": must be a port number (1-65535), e.g. 30080");
            }
            List<String> sets = new ArrayList<>(options.sets());
            sets.add("traefik.nodePort=" + request.nodePort());
            options = new StackOptions(options.namespace(), options.domain(), sets, options.components());
        }
        return renderer.renderStack(options);
    }

    /** Starts the profile when it does not run and {@code --start} asks for it; whether it was started. */
    private boolean ensureRunning(Request request, ClusterStatus status,
            CompletableFuture<Optional<MinikubeProfile>> infoAhead) {
        String profile = minikube.profile();
        if (status.state() == ProfileStatus.RUNNING) {
            return false;
        }
        if (request.dryRun()) {
            String problem = ProfilePreflight.problem(profile, status, ProfilePreflight.Use.UP_DRY_RUN).orElseThrow();
            throw Devk8sException.precondition(request.start().enabled()
                    ? problem.replace("start it with `devk8s up --start`", "`devk8s up --start` would start it")
                    : problem);
        }
        if (!request.start().enabled()) {
            ProfilePreflight.require(profile, status, ProfilePreflight.Use.UP);
        }
        console.info("starting minikube profile " + profile + " (" + status.state().name().toLowerCase(Locale.ROOT) + ") ...");
        infoAhead.exceptionally(e -> Optional.empty()).join(); // its answer describes the profile before the start
        minikube.start(request.start().minikubeArgs(), line -> console.info("  minikube: " + line));
        ClusterStatus after = minikube.status();
        if (after.state() != ProfileStatus.RUNNING) {
            throw Devk8sException.failure("minikube profile '" + profile + "' is still " + after.describe()
                    + " after `minikube start`; run `minikube status -p " + profile + "` to see why");
        }
        return true;
    }

    private static void checkNodePortRange(String profile, MinikubeProfile info, int nodePort, boolean explicit) {
        if (info == null) {
            return;
        }
        MinikubeProfile.PortRange range = info.nodePortRange();
        if (range.includes(nodePort)) {
            return;
        }
        String alternative = NodePortRangeException.suggestedNodePort(range.from(), range.to()) + "";
        throw Devk8sException.precondition("Traefik's nodePort " + nodePort + " is outside profile '" + profile
                + "''s node port range " + range.from() + "-" + range.to() + ": restart it with `"
                + NodePortRangeException.startCommand(profile, nodePort, range.to()) + "`"
                + (explicit ? "" : ", or use `devk8s up --node-port " + alternative + "` (URLs then carry the port)"));
    }

    private int dryRun(KubernetesCluster cluster, RenderedStack stack, Set<ObjectRef> keep, PruneCandidates candidates,
            List<String> shared) {
        console.info("dry run: nothing is changed (kinds checked against the API server, objects dry-run on it)");
        keep.forEach(ref -> console.data("apply  " + ref));
        shared.forEach(line -> console.data("share  " + line));
        cluster.prune(candidates, keep, true).forEach(ref -> console.data("prune  " + ref));
        console.data("hosts  " + String.join(" ", HostsService.hostnames(stack.values().domain(), extraHosts(stack))));
        return ExitCode.OK;
    }

    private void report(Applied applied) {
        String word = applied.outcome().word();
        String padded = String.format("%-10s", word);
        String painted = switch (applied.outcome()) {
            case CREATED -> console.green(padded);
            case CONFIGURED -> console.yellow(padded);
            case UNCHANGED -> padded;
        };
        console.info("  " + painted + " " + applied.object());
    }

    /**
     * Creates the Secret of the Grafana admin login ({@code grafana.adminSecret}) with a random password when it
     * does not exist yet; see {@link GrafanaAdminSecret}.
     */
    private void grafanaAdmin(KubernetesCluster cluster, RenderedStack stack) {
        String name = stack.values().get("grafana.adminSecret").map(String::valueOf).orElse("").strip();
        if (!stack.components().contains("grafana") || name.isEmpty()) {
            return;
        }
        String namespace = stack.values().namespace();
        if (new GrafanaAdminSecret().ensure(cluster, namespace, name)) {
            console.info("  " + console.green(String.format("%-10s", "created")) + " Secret " + namespace + "/" + name
                    + " (Grafana admin, random password; `devk8s status --show-credentials` prints it)");
        }
    }

    private static String summary(Map<ApplyOutcome, Integer> counts, int pruned) {
        List<String> parts = new ArrayList<>();
        for (ApplyOutcome o : ApplyOutcome.values()) {
            if (counts.getOrDefault(o, 0) > 0) {
                parts.add(counts.get(o) + " " + o.word());
            }
        }
        if (pruned > 0) {
            parts.add(pruned + " pruned");
        }
        return String.join(", ", parts);
    }

    /** The stack's own ingress hosts beyond the four standard names (e.g. from a user's extra template). */
    private static List<String> extraHosts(RenderedStack stack) {
        List<String> standard = HostsService.hostnames(stack.values().domain(), List.of());
        return stack.hostnames().stream().filter(h -> !standard.contains(h)).toList();
    }

    private String hostsAddress(MinikubeProfile info) {
        // the node IP from `profile list` (already asked); `minikube ip` only when it is not there
        String address = hostsAddress.lookup(minikube, Optional.ofNullable(info));
        if (info != null && !hostsAddress.reachesNode(info.driver())) {
            console.warn("the " + info.driver() + " driver on this OS does not expose the node IP "
                    + (info.nodeIp() == null || info.nodeIp().isBlank() ? "" : info.nodeIp() + " ")
                    + "to the host: the hosts block points at " + address + ", reached through `minikube tunnel -p "
                    + minikube.profile() + "`");
        }
        return address;
    }

    private void waitForStack(KubernetesCluster cluster, RenderedStack stack, Duration timeout) {
        String namespace = stack.values().namespace();
        List<String> deployments = stack.documents().stream()
                .filter(d -> d.kind().equals("Deployment"))
                .map(RenderedDocument::name)
                .toList();
        if (deployments.isEmpty()) {
            return;
        }
        console.info("waiting up to " + format(timeout) + " for " + deployments.size() + " deployments"
                + " (--no-wait to skip, --timeout to change)");
        Rollout.Result result;
        try (Console.Progress progress = console.progress(deployments)) {
            result = cluster.waitForDeployments(namespace, deployments, timeout,
                    p -> progress.update(p.deployment(), describe(p)));
        }
        if (result.ready()) {
            console.success("stack ready in " + format(result.elapsed()));
            return;
        }
        result.diagnoses().forEach(d -> console.error(d.oneLine()));
        long ready = result.deployments().stream().filter(Rollout.Progress::isReady).count();
        throw Devk8sException.failure((result.timedOut() ? "timed out after " + format(timeout) : "rollout failed")
                + ": " + ready + " of " + deployments.size() + " deployments ready"
                + (result.diagnoses().isEmpty() ? "" : " (" + result.diagnoses().get(0).deployment() + ": "
                + result.diagnoses().get(0).reason() + ", see above)"));
    }

    private String describe(Rollout.Progress p) {
        String text = p.phase().word() + " " + p.ready() + "/" + p.desired();
        if (p.detail() != null && !p.detail().isBlank() && !p.isReady()) {
            text += " " + p.detail();
        }
        // elapsed time only on a live terminal line: plain output prints a line per change, not per poll
        if (console.isInteractive()) {
            text += "  " + format(p.elapsed());
        }
        return p.isReady() ? console.green(text) : p.phase() == Rollout.Phase.FAILING ? console.red(text) : text;
    }

    private void printUrls(RenderedStack stack, int nodePort, boolean waited) {
        String port = nodePort == 80 ? "" : ":" + nodePort;
        String domain = stack.values().domain();
        if (!waited) {
            console.info("applied without waiting; `devk8s status` shows when the stack is ready");
        }
        for (String name : stack.components()) {
            StackCatalog.component(name).ifPresent(component -> {
                String host = component.host(domain);
                if (stack.hostnames().contains(host)) {
                    console.data(String.format("%-11s http://%s%s%s", name, host, port, component.uiPath()));
                }
            });
        }
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s") : d.toMillis() < 10_000
                ? String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0) : s + "s";
    }
}
