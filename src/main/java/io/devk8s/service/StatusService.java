package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.Services;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.kubernetes.DeploymentState;
import io.devk8s.adapter.kubernetes.IngressHost;
import io.devk8s.adapter.kubernetes.KubeContext;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
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
import java.util.function.Supplier;

/**
 * {@code devk8s status}: reads, never writes. Asks minikube for the profile's state and IP, checks the kube
 * context with the local-only guard (a refused context is reported, and its API is never called), then reads the
 * stack from the cluster (its Deployments, the hosts of its Ingresses, Traefik's nodePort) and compares the
 * hosts-file block with the address {@code devk8s up} would write.
 */
public final class StatusService {
    /** On the stack's Namespace: the components {@code devk8s up} deployed (see templates/stack/namespace.yaml). */
    static final String COMPONENTS_ANNOTATION = "devk8s.io/components";

    /** The Service and port the stack is reached through; a nodePort other than 80 goes into every URL. */
    public static final String TRAEFIK_SERVICE = "traefik";
    public static final String TRAEFIK_PORT = "web";
    /** Where a component's UI lives under its host when its Ingress has no {@value IngressHost#URL_PATH_ANNOTATION}. */
    static final Map<String, String> UI_PATHS = Map.of("traefik", "/dashboard/");

    /** @param namespace {@code --namespace}, or empty for the stack's default */
    public record Request(ClusterSelection selection, Optional<String> namespace, Path hostsFile) {
    }

    private final Services services;

    public StatusService(Services services) {
        this.services = services;
    }

    public StatusReport status(Request request) {
        KubernetesCluster.warmUp(); // overlaps the client's class loading with the minikube calls
        ClusterSelection selection = request.selection();
        String profileName = selection.profile();
        List<String> problems = new ArrayList<>();
        String health = StatusReport.HEALTHY;

        // minikube
        MinikubeCli minikube = services.minikube(selection);
        ProfileStatus state = null;
        String stateName;
        String message = null;
        String ip = null;
        String driver = null;
        Optional<MinikubeProfile> info = Optional.empty();
        try {
            ClusterStatus status = minikube.status();
            state = status.state();
            stateName = state.name();
            if (!state.isRunning()) {
                message = status.describe();
                problems.add(profileProblem(profileName, state, message));
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
                ip = minikube.ip();
                info = minikube.profileInfo();
                driver = info.map(MinikubeProfile::driver).filter(d -> !d.isEmpty()).orElse(null);
            } catch (Devk8sException e) {
                problems.add(e.getMessage()); // the hosts block then stays unverified
                health = worse(health, StatusReport.DEGRADED);
            }
        }
        Profile profile = new Profile(profileName, stateName, ip, driver, message);
        Optional<MinikubeProfile> known = info;
        Supplier<Optional<MinikubeProfile>> profileInfo = () -> known.isPresent() ? known : minikube.profileInfo();

        // kube context, through the guard; never an API call for a refused context
        Context context;
        Optional<PinnedContext.Reason> reason = Optional.empty();
        try {
            KubeContext kube = services.kubeContext(selection);
            reason = services.contextGuard().evaluate(kube, profileName, selection.allowedContexts(), profileInfo);
            context = new Context(kube.name(), kube.server(), reason.isPresent(),
                    reason.map(StatusService::describe).orElse(null),
                    reason.isPresent() ? null : ContextGuard.refusal(kube, profileName).getMessage());
        } catch (Devk8sException e) {
            context = new Context(null, null, false, null, e.getMessage());
        }
        if (!context.allowed()) {
            problems.add(context.refusal());
            health = StatusReport.UNAVAILABLE;
        }

        StackValues defaults = services.renderService(null).values(
                new StackOptions(request.namespace().orElse(null), null, List.of(), List.of()));
        String namespace = defaults.namespace();

        // the cluster: only when the context is allowed and the profile runs (or the context was named by flag)
        boolean ask = context.allowed() && (state == ProfileStatus.RUNNING
                || reason.orElse(null) == PinnedContext.Reason.ALLOWED_BY_FLAG);
        List<DeploymentState> deployments = null;
        List<String> deployed = RenderService.STACK_COMPONENTS;
        List<IngressHost> ingressHosts = List.of();
        Optional<Integer> nodePort = Optional.empty();
        if (ask) {
            try {
                KubernetesCluster cluster = services.kubernetes(services.pinnedContext(selection));
                deployments = cluster.deployments(namespace, KubernetesCluster.STACK_SELECTOR);
                deployed = cluster.namespaceAnnotation(namespace, COMPONENTS_ANNOTATION)
                        .map(v -> List.of(v.split(","))).orElse(RenderService.STACK_COMPONENTS);
                ingressHosts = cluster.ingressHosts(namespace, KubernetesCluster.STACK_SELECTOR);
                nodePort = cluster.nodePort(namespace, TRAEFIK_SERVICE, TRAEFIK_PORT);
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

        List<Url> urls = urls(ingressHosts, nodePort);

        // the hosts block
        String expected = ip == null ? null
                : MinikubeCli.hostsAddress(driver, System.getProperty("os.name"), ip);
        List<String> wanted = ingressHosts.isEmpty() ? HostsService.hostnames(defaults.domain(), List.of())
                : inStackOrder(ingressHosts).stream().map(IngressHost::host).distinct().toList();
        Hosts hosts = hosts(request.hostsFile(), profileName, expected, wanted);
        String hostsFix = "run `devk8s up` (or `devk8s hosts apply -p " + profileName
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

    /** The stack's components in stack order, then any other Deployment carrying the stack labels. */
    private static List<Component> components(List<DeploymentState> deployments, List<String> expected) {
        List<Component> components = new ArrayList<>();
        for (String name : RenderService.STACK_COMPONENTS) {
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
            deployments.stream().filter(d -> !RenderService.STACK_COMPONENTS.contains(d.name()))
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
            String path = h.urlPath() != null ? h.urlPath() : UI_PATHS.getOrDefault(h.component(), "/");
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
            return new Url(h.component() != null ? h.component() : h.ingress(), "http://" + h.host() + port + path);
        }).toList();
    }

    /** The stack's components first, in stack order, then the rest; each Ingress's rules in their order. */
    private static List<IngressHost> inStackOrder(List<IngressHost> hosts) {
        return hosts.stream().sorted(Comparator.comparingInt(h -> {
            int i = RenderService.STACK_COMPONENTS.indexOf(h.component());
            return i < 0 ? Integer.MAX_VALUE : i;
        })).toList();
    }

    private Hosts hosts(Path file, String profile, String expected, List<String> wanted) {
        HostsFile hostsFile = services.hostsFile(file);
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

    private static String profileProblem(String profile, ProfileStatus state, String message) {
        return switch (state) {
            case MISSING -> "minikube profile \"" + profile + "\" does not exist: create it with `devk8s up --start`";
            case STOPPED -> "minikube profile \"" + profile + "\" is stopped: start it with `devk8s up --start` or `"
                    + MinikubeCli.startCommand(profile) + "`";
            case PAUSED -> "minikube profile \"" + profile + "\" is paused: run `minikube unpause -p " + profile + "`";
            default -> "minikube profile \"" + profile + "\" is " + message + ": run `minikube status -p " + profile
                    + "` to see why";
        };
    }

    static String describe(PinnedContext.Reason reason) {
        return switch (reason) {
            case CONTEXT_NAME -> "named after the profile";
            case MINIKUBE_CA -> "its CA is minikube's";
            case NODE_ENDPOINT -> "its server is the profile's node";
            case ALLOWED_BY_FLAG -> "allowed with --allow-context";
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
