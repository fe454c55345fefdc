package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.Services;
import io.devk8s.adapter.kubernetes.Applied;
import io.devk8s.adapter.kubernetes.ApplyPlan;
import io.devk8s.adapter.kubernetes.ApplyOutcome;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.LabelSelector;
import io.devk8s.adapter.kubernetes.Manifest;
import io.devk8s.adapter.kubernetes.NodePortRangeException;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.kubernetes.PinnedContext;
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

/**
 * {@code devk8s up}: from a running (or, with {@code --start}, stopped or missing) Minikube profile to the
 * stack answering on its hostnames. Everything that can be checked without changing the cluster is checked
 * first (templates, manifests, node port range, kube context), so a bad input never leaves a half-applied
 * stack; then apply, prune, hosts file and the wait for every Deployment.
 */
public final class UpService {

    /** What {@code devk8s up} was asked to do. */
    public record Request(ClusterSelection cluster, boolean start, List<String> minikubeArgs, StackOptions stack,
            Path templatesDir, Integer nodePort, boolean waitReady, Duration timeout, boolean hosts,
            Optional<String> hostsFile, boolean noSudo, boolean force, boolean dryRun) {
        public Request {
            minikubeArgs = List.copyOf(minikubeArgs);
        }
    }

    private final Services services;
    private final Console console;

    public UpService(Services services) {
        this.services = services;
        this.console = services.console();
    }

    public int up(Request request) throws Exception {
        KubernetesCluster.warmUp(); // overlaps the client's class loading with rendering and minikube
        String profile = request.cluster().profile();
        MinikubeCli minikube = services.minikube(request.cluster());

        // 1. everything that needs no cluster: render the stack (template and value errors stop here)
        RenderedStack stack = render(request);
        int nodePort = stack.values().traefikNodePort();

        // the hosts request too: a bad --hosts-file must not surface after the stack is applied
        HostsService hosts = services.hostsService();
        HostsService.Request hostsRequest = null;
        if (request.hosts()) {
            hostsRequest = new HostsService.Request(hosts.hostsFile(request.hostsFile()), profile,
                    stack.values().domain(), Optional.empty(), extraHosts(stack), request.noSudo(), false);
            HostsService.validate(hostsRequest);
        }
        if (!request.minikubeArgs().isEmpty() && !request.start()) {
            console.warn("--minikube-arg is only used with --start");
        }

        // 2. the profile: running, or started on request
        ensureRunning(minikube, request);
        MinikubeProfile info = minikube.profileInfo().orElse(null);
        checkNodePortRange(profile, info, nodePort, request.nodePort() != null);

        // 3. the kube context: pinned once, refused unless it is the profile's
        PinnedContext pinned = services.pinnedContext(request.cluster());
        console.info("context: " + pinned.contextName() + " (" + pinned.server() + ")");
        KubernetesCluster cluster = services.kubernetes(pinned);

        // 4. every manifest parses, its kind is served (discovery), and the server accepts it in a dry run,
        //    before anything is written
        List<Manifest> objects = new ArrayList<>();
        for (RenderedDocument doc : stack.documents()) {
            // lines are those of the template's rendered output (`devk8s render stack` shows it)
            objects.addAll(cluster.manifests(doc.yaml(), doc.source() + " (rendered)", doc.line()));
        }
        Set<ObjectRef> keep = new LinkedHashSet<>();
        objects.forEach(o -> keep.add(o.ref()));
        LabelSelector selector = LabelSelector.parse(KubernetesCluster.stackSelector(stack.values().namespace()));
        ApplyPlan plan;
        try {
            plan = cluster.plan(objects, request.force());
        } catch (NodePortRangeException e) {
            throw e.forProfile(profile);
        }
        var prunable = StackKinds.prunable(cluster.kindsOf(objects));

        if (request.dryRun()) {
            return dryRun(cluster, stack, keep, selector, prunable);
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
        List<ObjectRef> pruned = cluster.prune(selector, keep, prunable, null, false);
        pruned.forEach(ref -> console.info("  " + console.yellow("pruned") + "     " + ref));
        console.success("applied " + objects.size() + " objects: " + summary(counts, pruned.size()));

        // 6. hosts file, before the wait: the names resolve as soon as the pods are ready
        int hostsCode = ExitCode.OK;
        String address = null;
        if (hostsRequest != null) {
            address = hostsAddress(minikube, info);
            hostsCode = hosts.apply(new HostsService.Request(hostsRequest.hostsFile(), profile, hostsRequest.domain(),
                    Optional.of(address), hostsRequest.extraHosts(), request.noSudo(), false));
        }

        // 7. wait for every Deployment of the stack
        if (request.waitReady()) {
            waitForStack(cluster, stack, request.timeout());
        }
        printUrls(stack, nodePort, request.waitReady());
        if (address != null && "127.0.0.1".equals(address)) {
            console.info("note: run `minikube tunnel -p " + profile + "` in another terminal to reach the stack");
        }
        return hostsCode;
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
        return services.renderService(request.templatesDir()).renderStack(options);
    }

    private void ensureRunning(MinikubeCli minikube, Request request) {
        String profile = minikube.profile();
        ClusterStatus status = minikube.status();
        if (status.state() == ProfileStatus.RUNNING) {
            return;
        }
        if (request.dryRun()) {
            throw Devk8sException.precondition("dry run: minikube profile '" + profile + "' is "
                    + status.state().name().toLowerCase(Locale.ROOT) + ", so there is no cluster to compare with; "
                    + (request.start() ? "`devk8s up --start` would start it" : "start it with `devk8s up --start`"));
        }
        if (!request.start()) {
            String what = status.state() == ProfileStatus.MISSING ? "does not exist" : "is " + status.state().name().toLowerCase(Locale.ROOT);
            throw Devk8sException.precondition("minikube profile '" + profile + "' " + what
                    + ": run `devk8s up --start` to start it (or `" + MinikubeCli.startCommand(profile) + "`)");
        }
        console.info("starting minikube profile " + profile + " (" + status.state().name().toLowerCase(Locale.ROOT) + ") ...");
        minikube.start(request.minikubeArgs(), line -> console.info("  minikube: " + line));
        ClusterStatus after = minikube.status();
        if (after.state() != ProfileStatus.RUNNING) {
            throw Devk8sException.failure("minikube profile '" + profile + "' is still " + after.describe()
                    + " after `minikube start`; run `minikube status -p " + profile + "` to see why");
        }
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

    private int dryRun(KubernetesCluster cluster, RenderedStack stack, Set<ObjectRef> keep, LabelSelector selector,
            List<io.devk8s.adapter.kubernetes.ApiResource> prunable) {
        console.info("dry run: nothing is changed (kinds checked against the API server, objects dry-run on it)");
        keep.forEach(ref -> console.data("apply  " + ref));
        cluster.prune(selector, keep, prunable, null, true).forEach(ref -> console.data("prune  " + ref));
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

    private String hostsAddress(MinikubeCli minikube, MinikubeProfile info) {
        // the node IP from `profile list` (already asked); `minikube ip` only when it is not there
        String ip = info != null && info.nodeIp() != null && !info.nodeIp().isBlank() ? info.nodeIp() : minikube.ip();
        if (info != null && !minikube.nodeIpReachableFromHost(info)) {
            console.warn("the " + info.driver() + " driver on this OS does not expose the node IP " + ip
                    + " to the host: the hosts block points at 127.0.0.1, reached through `minikube tunnel -p "
                    + minikube.profile() + "`");
            return "127.0.0.1";
        }
        return ip;
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
        for (String component : stack.components()) {
            String path = component.equals("traefik") ? "/dashboard/" : "/";
            String host = (component.equals("traefik") ? "traefik-ui" : component) + "." + domain;
            if (stack.hostnames().contains(host)) {
                console.data(String.format("%-11s http://%s%s%s", component, host, port, path));
            }
        }
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s") : d.toMillis() < 10_000
                ? String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0) : s + "s";
    }
}
