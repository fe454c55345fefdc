package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.kubernetes.DeploymentState;
import io.devk8s.adapter.kubernetes.IngressHost;
import io.devk8s.adapter.kubernetes.KubeContext;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.minikube.ClusterStatus;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.minikube.MinikubeProfile;
import io.devk8s.adapter.minikube.ProfileStatus;
import io.devk8s.console.Console;
import io.devk8s.service.StatusReport.Component;
import io.devk8s.service.StatusReport.Context;
import io.devk8s.service.StatusReport.Hosts;
import io.devk8s.service.StatusReport.Profile;
import io.devk8s.service.StatusReport.Url;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code devk8s status}: reads, never writes. Asks minikube for the profile's state and IP, checks the kube
 * context with the local-only guard (a refused context is reported, and its API is never called), then reads the
 * stack from the cluster (its Deployments, the hosts of its Ingresses, Traefik's nodePort) and compares the
 * hosts-file block with the address {@code devk8s up} would write.
 */
public final class StatusService {

    /** @param namespace {@code --namespace}, or empty for the stack's default */
    public record Request(ClusterSelection selection, Optional<String> namespace, Path hostsFile) {
    }

    private final MinikubeCli minikube;
    private final RenderService renderer;
    private final KubeAccess kube;
    private final Function<Path, HostsFile> hostsFiles;
    private final HostsAddress hostsAddress;

    public StatusService(MinikubeCli minikube, RenderService renderer, KubeAccess kube,
            Function<Path, HostsFile> hostsFiles, HostsAddress hostsAddress) {
        this.minikube = minikube;
        this.renderer = renderer;
        this.kube = kube;
        this.hostsFiles = hostsFiles;
        this.hostsAddress = hostsAddress;
    }

    /**
     * One line with the Grafana admin login kept in the Secret {@code grafana.adminSecret} names (see
     * {@link GrafanaAdminSecret}), read through the guarded, pinned context; a line saying why when there is none.
     * For {@code status --show-credentials}: it prints a password, so only on request.
     */
    public String grafanaCredentials(Request request) {
        StackValues defaults = renderer.values(
                new StackOptions(request.namespace().orElse(null), null, List.of(), List.of()));
        String namespace = defaults.namespace();
        String secret = defaults.get("grafana.adminSecret").map(String::valueOf).orElse("").strip();
        if (secret.isEmpty()) {
            return "grafana admin: none (grafana.adminSecret is empty: no admin account, anonymous access only)";
        }
        String where = "Secret " + namespace + "/" + secret;
        try {
            KubernetesCluster cluster = kube.cluster(request.selection());
            return GrafanaAdminSecret.read(cluster, namespace, secret)
                    .map(c -> "grafana admin: user " + c.user() + "  password " + c.password() + "  (" + where + ")")
                    .orElse("grafana admin: no " + where + " with keys " + GrafanaAdminSecret.USER_KEY + " and "
                            + GrafanaAdminSecret.PASSWORD_KEY + ": run `devk8s up` to create it");
        } catch (Devk8sException e) {
            return "grafana admin: cannot read " + where + ": " + e.getMessage();
        }
    }

    public StatusReport status(Request request) {
        ClusterSelection selection = request.selection();
        Optional<KubeContext> selected = selectedContext(selection);
        // only when the client will answer (an unreadable kubeconfig is reported, never asked): it overlaps the
        // client's class loading with the minikube calls
        if (selected.isPresent() && !KubernetesCluster.readsWithoutClient(selected.get())) {
            KubernetesCluster.warmUp();
        }
        String profileName = selection.profile();
        List<String> problems = new ArrayList<>();
        String health = StatusReport.HEALTHY;

        // minikube
        ProfileStatus state = null;
        String stateName;
        String message = null;
        String ip = null;
        String driver = null;
        Optional<MinikubeProfile> info = Optional.empty();
        // a kind, k3d or desktop cluster on this machine: no Minikube profile to ask, the hosts reach it on 127.0.0.1
        Optional<LocalClusters.Local> local = selected.flatMap(LocalClusters::classify);
        if (local.isPresent()) {
            stateName = ProfileStatus.UNKNOWN.name(); // until its API server answers, below
            ip = "127.0.0.1";
            driver = local.get().kind().name().toLowerCase(java.util.Locale.ROOT);
        } else try {
            // both minikube calls at once (a real `minikube status` checks the node, a second or so): the profile
            // (node IP, driver) is needed when the profile runs, and profileInfo() keeps the answer for the call below
            Thread profile = new Thread(() -> {
                try {
                    minikube.profileInfo();
                } catch (RuntimeException ignored) {
                    // asked again below, where a failure is reported
                }
            }, "devk8s-minikube-profile");
            profile.setDaemon(true);
            profile.start();
            ClusterStatus status = minikube.status();
            state = status.state();
            stateName = state.name();
            if (!state.isRunning()) {
                message = status.describe();
                problems.add(ProfilePreflight.problem(profileName, status, ProfilePreflight.Use.STATUS).orElseThrow());
                health = StatusReport.UNAVAILABLE;
            }
        } catch (Devk8sException e) {
            stateName = minikube.isInstalled() ? ProfileStatus.UNKNOWN.name() : "NOT_INSTALLED";
            message = e.getMessage();
            problems.add(e.getMessage());
            health = StatusReport.UNAVAILABLE;
        }
        if (state == ProfileStatus.RUNNING) {
            try {
                // one minikube call for both: the profile list (--light, read from minikube's config) holds the
                // node IP `minikube ip` prints; `minikube ip` only when it does not
                info = minikube.profileInfo();
                ip = info.map(MinikubeProfile::nodeIp).filter(i -> !i.isBlank()).orElseGet(minikube::ip);
                driver = info.map(MinikubeProfile::driver).filter(d -> !d.isEmpty()).orElse(null);
            } catch (Devk8sException e) {
                problems.add(e.getMessage()); // the hosts block then stays unverified
                health = worse(health, StatusReport.DEGRADED);
            }
        }
        Optional<MinikubeProfile> known = info;
        Supplier<Optional<MinikubeProfile>> profileInfo = () -> known.isPresent() ? known : minikube.profileInfo();

        // kube context, through the guard; never an API call for a refused context
        Context context;
        Optional<PinnedContext.Reason> reason = Optional.empty();
        try {
            KubeContext kubeContext = selected.isPresent() ? selected.get() : kube.context(selection); // throws why
            reason = kube.evaluate(kubeContext, selection, profileInfo);
            context = new Context(kubeContext.name(), kubeContext.server(), reason.isPresent(),
                    reason.map(StatusService::describe).orElse(null),
                    reason.isPresent() ? null : ContextGuard.refusal(kubeContext, profileName).getMessage());
        } catch (Devk8sException e) {
            context = new Context(null, null, false, null, e.getMessage());
        }
        if (!context.allowed()) {
            problems.add(context.refusal());
            health = StatusReport.UNAVAILABLE;
        }

        StackValues defaults = renderer.values(
                new StackOptions(request.namespace().orElse(null), null, List.of(), List.of()));
        String namespace = defaults.namespace();

        // the cluster: only when the context is allowed and the profile runs (or the context was named by flag)
        boolean ask = context.allowed() && (state == ProfileStatus.RUNNING || local.isPresent()
                || reason.isPresent() && !reason.get().isMinikube());
        List<DeploymentState> deployments = null;
        List<String> deployed = StackCatalog.COMPONENT_NAMES;
        List<IngressHost> ingressHosts = List.of();
        Optional<Integer> nodePort = Optional.empty();
        List<ObjectRef> missingClusterObjects = List.of();
        if (ask) {
            try {
                KubernetesCluster cluster = kube.cluster(selection);
                // four independent reads go out together (one round trip instead of four); their answers and the
                // first failure are taken in this order, as when they were asked one after another
                CompletableFuture<Optional<String>> annotation = Background.start("devk8s-status-read",
                        () -> cluster.namespaceAnnotation(namespace, StackCatalog.COMPONENTS_ANNOTATION));
                CompletableFuture<List<IngressHost>> hosts = Background.start("devk8s-status-read",
                        () -> cluster.ingressHosts(namespace, StackCatalog.STACK_SELECTOR));
                CompletableFuture<Optional<Integer>> port = Background.start("devk8s-status-read",
                        () -> cluster.nodePort(namespace, StackCatalog.TRAEFIK_SERVICE, StackCatalog.TRAEFIK_PORT));
                // the cluster-scoped objects of the whole stack go out with them (GETs, one round trip less); only
                // those of the components found count, and a failure counts only when they are needed
                List<ObjectRef> stackShared = SharedClusterObjects.expected(namespace, StackCatalog.COMPONENT_NAMES);
                CompletableFuture<Map<ObjectRef, Boolean>> shared = Background.start("devk8s-status-read",
                        () -> cluster.exist(stackShared));
                deployments = cluster.deployments(namespace, StackCatalog.STACK_SELECTOR);
                deployed = Background.join(annotation)
                        .map(v -> List.of(v.split(","))).orElse(StackCatalog.COMPONENT_NAMES);
                ingressHosts = Background.join(hosts);
                nodePort = Background.join(port);
                if (!deployments.isEmpty()) { // a stack that is there: its cluster-scoped objects must be too
                    List<String> present = deployments.stream().map(DeploymentState::name).toList();
                    List<ObjectRef> needed = SharedClusterObjects.expected(namespace,
                            deployed.stream().filter(present::contains).toList());
                    Map<ObjectRef, Boolean> exist = answered(shared);
                    if (!exist.keySet().containsAll(needed)) {
                        exist = cluster.exist(needed); // asked again: its failure is reported
                    }
                    List<ObjectRef> missing = new ArrayList<>();
                    for (ObjectRef ref : needed) {
                        if (!exist.get(ref)) {
                            missing.add(ref);
                        }
                    }
                    missingClusterObjects = missing;
                }
                if (local.isPresent()) {
                    stateName = ProfileStatus.RUNNING.name(); // its API server answered
                }
            } catch (Devk8sException e) {
                deployments = null;
                problems.add(e.getMessage());
                health = worse(health, e.exitCode() == io.devk8s.ExitCode.PRECONDITION
                        ? StatusReport.UNAVAILABLE : StatusReport.DEGRADED);
            }
        }

        List<Component> components = components(deployments, deployed);
        for (Component c : components) {
            if (c.status().equals(Component.NOT_DEPLOYED)) {
                problems.add(c.name() + " is not deployed in namespace " + namespace + ": run `devk8s up`");
                health = worse(health, StatusReport.DEGRADED);
            } else if (c.status().equals(Component.PROGRESSING)) {
                problems.add(c.name() + " is not available (" + c.ready() + "/" + c.desired() + " ready): see `kubectl"
                        + " --context " + context.name() + " -n " + namespace + " describe deployment " + c.name() + "`");
                health = worse(health, StatusReport.DEGRADED);
            }
        }

        for (ObjectRef missing : missingClusterObjects) {
            problems.add(missing + " is missing (the stack in namespace " + namespace + " needs it): run `devk8s up"
                    + (namespace.equals(StackCatalog.DEVK8S) ? "" : " -n " + Quoting.arg(namespace)) + "`");
            health = worse(health, StatusReport.DEGRADED);
        }

        // on a local cluster port 80 reaches Traefik (kind maps it to the node port, the others publish it)
        List<Url> urls = urls(ingressHosts, local.isPresent() ? Optional.empty() : nodePort);

        // the hosts block
        String expected = ip == null ? null : local.isPresent() ? ip : hostsAddress.forNode(ip, driver);
        if (local.isPresent()) { // how the hosts reach Traefik depends on how the cluster was created
            List<String> reach = UpService.reachability(local.get(), nodePort.orElse(UpService.KIND_NODE_PORT));
            String first = reach.get(0);
            int cut = first.indexOf("; a cluster created");
            message = (cut > 0 ? first.substring(0, cut) : first)
                    + (reach.size() > 1 ? " (extraPortMappings: `devk8s up` and `devk8s doctor` print the config)"
                            : cut > 0 ? " (`devk8s doctor` prints how to create it)" : "");
        }
        Profile profile = new Profile(local.map(l -> l.name()).orElse(profileName), stateName, ip, driver, message);
        List<String> wanted = ingressHosts.isEmpty() ? HostsService.hostnames(defaults.domain(), List.of())
                : inStackOrder(ingressHosts).stream().map(IngressHost::host).distinct().toList();
        Hosts hosts = hosts(request.hostsFile(), profileName, expected, wanted);
        String hostsFix = "run `devk8s up` (or `devk8s hosts apply -p " + Quoting.arg(profileName)
                + ("minikube".equals(defaults.domain()) ? "" : " --domain " + defaults.domain()) + "`)";
        switch (hosts.status()) {
            case Hosts.MISSING -> problems.add("hosts: no devk8s block for profile " + profileName + " in "
                    + hosts.file() + ": " + hostsFix);
            case Hosts.STALE -> problems.add("hosts: the block for profile " + profileName + " points at "
                    + String.join(", ", hosts.addresses()) + ", not " + expected + ": " + hostsFix);
            case Hosts.INCOMPLETE -> problems.add("hosts: the block for profile " + profileName + " lacks "
                    + String.join(", ", hosts.missingHosts()) + ": " + hostsFix);
            default -> { }
        }
        if (!hosts.status().equals(Hosts.OK) && !hosts.status().equals(Hosts.UNVERIFIED)) {
            health = worse(health, StatusReport.DEGRADED);
        }
        return new StatusReport(health, profile, context, namespace, components, urls, hosts, problems);
    }

    /** The kube context the selection names; empty when the kubeconfig cannot say (reported with the context). */
    /** The answer of a read that went out ahead; empty when it failed (the caller asks again). */
    private static Map<ObjectRef, Boolean> answered(CompletableFuture<Map<ObjectRef, Boolean>> read) {
        try {
            return Background.join(read);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private Optional<KubeContext> selectedContext(ClusterSelection selection) {
        try {
            return Optional.of(kube.context(selection));
        } catch (Devk8sException e) {
            return Optional.empty();
        }
    }

    /** The stack's components in stack order, then any other Deployment carrying the stack labels. */
    private static List<Component> components(List<DeploymentState> deployments, List<String> expected) {
        List<Component> components = new ArrayList<>();
        for (String name : StackCatalog.COMPONENT_NAMES) {
            if (!expected.contains(name)) {
                continue; // left out with `devk8s up --components`
            }
            if (deployments == null) {
                components.add(new Component(name, Component.UNKNOWN, null, null, false, List.of()));
                continue;
            }
            Optional<DeploymentState> d = deployments.stream().filter(s -> s.name().equals(name)).findFirst();
            components.add(d.map(StatusService::component)
                    .orElseGet(() -> new Component(name, Component.NOT_DEPLOYED, null, null, false, List.of())));
        }
        if (deployments != null) {
            deployments.stream().filter(d -> !StackCatalog.COMPONENT_NAMES.contains(d.name()))
                    .forEach(d -> components.add(component(d)));
        }
        return components;
    }

    private static Component component(DeploymentState d) {
        return new Component(d.name(), d.available() ? Component.AVAILABLE : Component.PROGRESSING, d.ready(),
                d.desired(), d.available(), d.images());
    }

    /** One URL per Ingress host, in stack order, with {@code :nodePort} when Traefik does not listen on 80. */
    static List<Url> urls(List<IngressHost> hosts, Optional<Integer> nodePort) {
        String port = nodePort.filter(p -> p != 80).map(p -> ":" + p).orElse("");
        return inStackOrder(hosts).stream().map(h -> {
            String path = h.urlPath() != null ? h.urlPath() : StackCatalog.uiPath(h.component());
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
            return new Url(h.component() != null ? h.component() : h.ingress(), "http://" + h.host() + port + path);
        }).toList();
    }

    /** The stack's components first, in stack order, then the rest; each Ingress's rules in their order. */
    private static List<IngressHost> inStackOrder(List<IngressHost> hosts) {
        return hosts.stream().sorted(Comparator.comparingInt(h -> StackCatalog.order(h.component()))).toList();
    }

    private Hosts hosts(Path file, String profile, String expected, List<String> wanted) {
        HostsFile hostsFile = hostsFiles.apply(file);
        Optional<HostsFile.Block> block;
        try {
            block = hostsFile.read(profile);
        } catch (Devk8sException | IllegalArgumentException e) {
            return new Hosts(hostsFile.path().toString(), Hosts.MISSING, false, expected, List.of(), wanted);
        }
        if (block.isEmpty()) {
            return new Hosts(hostsFile.path().toString(), Hosts.MISSING, false, expected, List.of(), wanted);
        }
        List<String> addresses = block.get().entries().stream().map(HostsFile.Entry::ip).distinct().toList();
        LinkedHashSet<String> named = new LinkedHashSet<>();
        block.get().entries().forEach(e -> named.addAll(e.hosts()));
        List<String> missing = wanted.stream().filter(h -> !named.contains(h)).toList();
        String status;
        if (expected == null) {
            status = Hosts.UNVERIFIED;
        } else if (!addresses.equals(List.of(expected))) {
            status = Hosts.STALE;
        } else if (!missing.isEmpty()) {
            status = Hosts.INCOMPLETE;
        } else {
            status = Hosts.OK;
        }
        return new Hosts(hostsFile.path().toString(), status, true, expected, addresses, missing);
    }

    static String describe(PinnedContext.Reason reason) {
        return switch (reason) {
            case CONTEXT_NAME -> "named after the profile";
            case MINIKUBE_CA -> "its CA is minikube's";
            case NODE_ENDPOINT -> "its server is the profile's node";
            case ALLOWED_BY_FLAG -> "allowed with --allow-context";
            case LOCAL_CLUSTER -> "a local cluster";
            case ALLOWED_BY_FILE -> "allowed by allowContexts: in devk8s.yaml";
        };
    }

    private static String worse(String a, String b) {
        List<String> order = List.of(StatusReport.HEALTHY, StatusReport.DEGRADED, StatusReport.UNAVAILABLE);
        return order.indexOf(a) >= order.indexOf(b) ? a : b;
    }

    // ------------------------------------------------------------------------------------------------ output

    /** Prints the aligned text view of the report on stdout, its problems on stderr. */
    public void printText(StatusReport report, Console console) {
        new StatusText(console).print(report);
    }
}
