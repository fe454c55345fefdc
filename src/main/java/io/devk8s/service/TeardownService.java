package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.kubernetes.ApiResource;
import io.devk8s.adapter.kubernetes.IngressHost;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.LabelSelector;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.console.Console;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code devk8s teardown}: deletes a project's objects by label, the way {@code kubectl delete --selector} did, but
 * over every namespaced kind the API server serves with list and delete (custom resources included), not a fixed
 * list of kinds.
 *
 * <ul>
 *   <li><b>Selector.</b> {@code --selector} (full label-selector syntax, parsed before anything else), else the
 *       empty selector with {@code all}, else the project's {@code appgroup=<project>}; without any of them it is a
 *       usage error. An empty selector is refused unless {@code all}.</li>
 *   <li><b>What never goes.</b> Namespaces, cluster-scoped objects, Events (and the other kinds controllers derive),
 *       the devk8s stack's own objects ({@code app.kubernetes.io/part-of=devk8s}) unless the selector names that
 *       label, PersistentVolumeClaims with {@code keepData}, and with an empty selector ({@code --all}) the
 *       ConfigMap {@code kube-root-ca.crt} and ServiceAccount {@code default} Kubernetes puts in every namespace.
 *       {@code kube-system}, {@code kube-public} and {@code kube-node-lease} are skipped with
 *       {@code --all-namespaces}, and {@code --all} in one of them is refused.</li>
 *   <li><b>Order.</b> Workloads first with foreground propagation (CronJobs, Deployments, StatefulSets, DaemonSets,
 *       Jobs, ReplicaSets, Pods), so no controller recreates what goes next; then everything else. One
 *       {@code deletecollection} request per kind and namespace where the server allows it, one DELETE per object
 *       where it does not (Services).</li>
 *   <li><b>Hosts.</b> Ingresses that go take their hosts out of the profile's hosts block, unless an Ingress devk8s
 *       still manages (labelled {@code app.kubernetes.io/managed-by=devk8s} or with an {@code appgroup}) serves
 *       the same host; the hosts step is checked before the first delete.</li>
 * </ul>
 * The context guard runs first: a context that is not the Minikube profile's is refused before any API call.
 */
public final class TeardownService {
    /** Namespaces {@code --all-namespaces} never enters and {@code --all} refuses. */
    public static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");
    /** The label of the devk8s stack's own objects: never torn down unless the selector names it. */
    static final String STACK_PART_OF = "app.kubernetes.io/part-of";
    private static final String MANAGED_BY_DEVK8S = "app.kubernetes.io/managed-by=devk8s";
    /** Workloads, in the order they go (owners before what they own). */
    private static final List<String> WORKLOADS = List.of("batch/CronJob", "apps/Deployment", "apps/StatefulSet",
            "apps/DaemonSet", "batch/Job", "apps/ReplicaSet", "/Pod");
    private static final int LISTED = 10;

    /**
     * @param selector      {@code --selector}, or empty for the project's
     * @param all           {@code --all}: an empty selector is allowed
     * @param allNamespaces {@code --all-namespaces}
     * @param timeout       how long {@code waitUntilGone} waits for the objects to go
     */
    public record Request(ClusterSelection selection, ProjectScope scope, Optional<String> selector, boolean all,
            boolean allNamespaces, boolean keepData, boolean dryRun, boolean waitUntilGone, Duration timeout, HostsStep hosts) {
    }

    private final Console console;
    private final KubeAccess kube;
    private final HostsService hostsService;

    public TeardownService(Console console, KubeAccess kube, HostsService hostsService) {
        this.console = console;
        this.kube = kube;
        this.hostsService = hostsService;
    }

    public int teardown(Request request) throws IOException, InterruptedException {
        LabelSelector selector = selector(request);
        KubernetesCluster.warmUp();
        PinnedContext pinned = kube.pin(request.selection(), request.scope().allowedContexts());
        ContextNotice.announceIfShared(console, pinned);
        String namespace = request.allNamespaces() ? null : request.scope().namespace(pinned);
        if (request.all() && selector.isEverything() && namespace != null && SYSTEM_NAMESPACES.contains(namespace)) {
            throw Devk8sException.usage("--all in namespace " + namespace + " is refused: it belongs to Kubernetes;"
                    + " pass --selector SEL to delete labelled objects there");
        }
        LabelSelector effective = selector.requirements().stream().anyMatch(r -> r.key().equals(STACK_PART_OF))
                ? selector : LabelSelector.parse((selector.isEverything() ? "" : selector + ",") + STACK_PART_OF
                        + "!=devk8s");
        KubernetesCluster cluster = kube.cluster(pinned);

        // the plan: every object that goes, per kind, in delete order
        Map<ApiResource, List<ObjectRef>> plan = new LinkedHashMap<>();
        for (ApiResource kind : kinds(cluster.servedKinds(), request.keepData())) {
            List<ObjectRef> refs = cluster.list(namespace, effective, List.of(kind)).stream()
                    .filter(ref -> ref.namespace() != null && !(request.allNamespaces()
                            && SYSTEM_NAMESPACES.contains(ref.namespace())))
                    .filter(ref -> !selector.isEverything() || !createdByKubernetes(kind, ref))
                    .toList();
            if (!refs.isEmpty()) {
                plan.put(kind, refs);
            }
        }
        String where = (namespace == null ? "all namespaces" : "namespace " + namespace) + " (context "
                + pinned.contextName() + ", selector " + (selector.isEverything() ? "everything, --all"
                : selector.toString()) + ")";
        int total = plan.values().stream().mapToInt(List::size).sum();

        // the hosts step is checked before the first delete
        List<String> dropped = List.of();
        HostsService.Preflight hosts = null;
        List<ObjectRef> ingresses = plan.entrySet().stream().filter(e -> isKind(e.getKey(), "networking.k8s.io",
                "Ingress")).flatMap(e -> e.getValue().stream()).toList();
        if (request.hosts().enabled() && !ingresses.isEmpty()) {
            hosts = hostsService.preflight(hostsRequest(request, "minikube", Optional.empty(), List.of(),
                    request.dryRun()), HostsService.Step.REMOVE, true);
            if (hosts.block().isPresent()) {
                Set<ObjectRef> goingIngresses = new LinkedHashSet<>(ingresses);
                dropped = cluster.ingressHosts(namespace, effective.toString()).stream()
                        .filter(h -> goingIngresses.contains(ObjectRef.namespaced("Ingress", h.namespace(),
                                h.ingress())))
                        .map(IngressHost::host).distinct().toList();
            }
        }

        if (request.dryRun()) {
            console.info("dry run: nothing is deleted or written");
            plan.values().forEach(refs -> refs.forEach(ref -> console.data("would delete " + ref)));
            printCounts(plan, "would delete");
            console.info(total == 0 ? "nothing to delete in " + where
                    : "would delete " + count(total, "object") + " in " + where);
            return ExitCode.OK;
        }
        if (total == 0) {
            console.info("nothing to delete in " + where);
            return ExitCode.OK;
        }
        console.info("deleting " + count(total, "object") + " in " + where);
        for (Map.Entry<ApiResource, List<ObjectRef>> e : plan.entrySet()) {
            ApiResource kind = e.getKey();
            boolean workload = WORKLOADS.contains(kind.group() + "/" + kind.kind());
            Map<String, List<ObjectRef>> byNamespace = new LinkedHashMap<>();
            e.getValue().forEach(ref -> byNamespace.computeIfAbsent(ref.namespace(), n -> new ArrayList<>()).add(ref));
            for (Map.Entry<String, List<ObjectRef>> ns : byNamespace.entrySet()) {
                // an empty selector (--all) deletes the listed objects one by one: never a whole collection
                cluster.deleteCollection(kind, ns.getKey(), selector.isEverything() ? selector : effective,
                        ns.getValue(), workload);
            }
        }
        printCounts(plan, "deleted");

        List<ObjectRef> leftovers = request.waitUntilGone() ? waitUntilGone(cluster, namespace, effective, plan,
                request.timeout()) : List.of();
        int hostsCode = ExitCode.OK;
        if (hosts != null && hosts.block().isPresent() && !dropped.isEmpty()) {
            hostsCode = dropHosts(request, cluster, hosts.block().get(), dropped);
        }
        if (!leftovers.isEmpty()) {
            console.error(count(leftovers.size(), "object") + " still there after " + request.timeout().toSeconds()
                    + "s: " + names(leftovers) + "; check with `kubectl --context " + pinned.contextName()
                    + (namespace == null ? " -A" : " -n " + namespace) + " get all -l '" + effective + "'`");
            return ExitCode.FAILURE;
        }
        if (hostsCode != ExitCode.OK) {
            console.error("deleted " + count(total, "object") + ": the hosts step was not done (see above)");
            return ExitCode.FAILURE;
        }
        console.success("deleted " + count(total, "object") + " in " + where
                + (request.waitUntilGone() ? "" : " (not waiting for them to go)"));
        return ExitCode.OK;
    }

    /** The selector of the run, checked before any cluster or file is touched. */
    private static LabelSelector selector(Request request) {
        // --all alone is the empty selector: it needs neither a project file nor --selector ''
        String text = request.selector().or(() -> request.all() ? Optional.of("")
                : request.scope().projectSelector()).orElseThrow(() ->
                Devk8sException.usage("no devk8s.yaml here or in any folder above, so no project selector: pass "
                        + "--selector SEL (e.g. --selector appgroup=myproject), -f PATH, or --all for every object"));
        LabelSelector selector = LabelSelector.parse(text);
        if (selector.isEverything() && !request.all()) {
            throw Devk8sException.usage("--selector is empty, which would select every object: pass a selector "
                    + "(e.g. --selector appgroup=myproject), or --all if you really mean everything");
        }
        return selector;
    }

    /**
     * Every namespaced kind the server serves with list and delete, except Events and the other kinds controllers
     * derive, and PersistentVolumeClaims with {@code keepData}: workloads first, then the rest in discovery order.
     */
    static List<ApiResource> kinds(List<ApiResource> served, boolean keepData) {
        // as the server serves them (its verbs: deletecollection or not), built-in kinds it lacks left out
        List<ApiResource> namespaced = StackKinds.teardown(served, keepData).stream().filter(ApiResource::namespaced)
                .flatMap(k -> served.stream().filter(s -> s.group().equals(k.group()) && s.kind().equals(k.kind()))
                        .limit(1))
                .filter(k -> k.namespaced() && k.can("list") && k.can("delete"))
                .distinct().toList();
        List<ApiResource> ordered = new ArrayList<>();
        for (String workload : WORKLOADS) {
            namespaced.stream().filter(k -> (k.group() + "/" + k.kind()).equals(workload)).forEach(ordered::add);
        }
        namespaced.stream().filter(k -> !ordered.contains(k)).forEach(ordered::add);
        return ordered;
    }

    /** What Kubernetes itself puts in every namespace (and would put back at once). */
    private static boolean createdByKubernetes(ApiResource kind, ObjectRef ref) {
        return isKind(kind, "", "ConfigMap") && ref.name().equals("kube-root-ca.crt")
                || isKind(kind, "", "ServiceAccount") && ref.name().equals("default");
    }

    private static boolean isKind(ApiResource kind, String group, String name) {
        return kind.group().equals(group) && kind.kind().equals(name);
    }

    private List<ObjectRef> waitUntilGone(KubernetesCluster cluster, String namespace, LabelSelector selector,
            Map<ApiResource, List<ObjectRef>> plan, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<ApiResource, Set<ObjectRef>> left = new LinkedHashMap<>();
        plan.forEach((k, refs) -> left.put(k, new LinkedHashSet<>(refs)));
        while (true) {
            for (var it = left.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                Set<ObjectRef> still = new LinkedHashSet<>(cluster.list(namespace, selector, List.of(e.getKey())));
                e.getValue().retainAll(still);
                if (e.getValue().isEmpty()) {
                    it.remove();
                }
            }
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left.values().stream().flatMap(Set::stream).toList();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return left.values().stream().flatMap(Set::stream).toList();
            }
        }
    }

    /**
     * Takes the hosts of the deleted Ingresses out of the profile's block, except those an Ingress devk8s still
     * manages serves; the rest of the block (the stack's hosts, hosts added with {@code hosts apply --host}) stays.
     */
    private int dropHosts(Request request, KubernetesCluster cluster, HostsFile.Block block, List<String> dropped)
            throws IOException, InterruptedException {
        Set<String> still = new LinkedHashSet<>();
        cluster.ingressHosts(null, MANAGED_BY_DEVK8S).forEach(h -> still.add(h.host()));
        cluster.ingressHosts(null, ProjectScope.PROJECT_LABEL).forEach(h -> still.add(h.host()));
        Set<String> gone = new LinkedHashSet<>(dropped);
        gone.removeAll(still);
        List<String> names = block.entries().stream().flatMap(e -> e.hosts().stream()).distinct().toList();
        if (names.stream().noneMatch(gone::contains)) {
            return ExitCode.OK;
        }
        String domain = names.stream().flatMap(n -> HostsService.STACK_HOSTS.stream()
                        .filter(label -> n.startsWith(label + ".")).map(label -> n.substring(label.length() + 1)))
                .findFirst().orElse("minikube");
        Set<String> stackHosts = new LinkedHashSet<>(HostsService.hostnames(domain, List.of()));
        List<String> extra = names.stream().filter(n -> !stackHosts.contains(n) && !gone.contains(n)).toList();
        console.info("hosts: dropping " + String.join(", ", gone.stream().filter(names::contains).toList())
                + " (their Ingresses are gone)");
        return hostsService.apply(hostsRequest(request, domain, Optional.of(block.entries().get(0).ip()), extra,
                false));
    }

    private static HostsService.Request hostsRequest(Request request, String domain, Optional<String> ip,
            List<String> extra, boolean dryRun) {
        return new HostsService.Request(request.hosts().file(), request.selection().profile(), domain, ip, extra,
                request.hosts().noSudo(), dryRun);
    }

    private void printCounts(Map<ApiResource, List<ObjectRef>> plan, String verb) {
        plan.forEach((kind, refs) -> console.data(verb + " " + refs.size() + " " + kind.kind()
                + (kind.group().isEmpty() ? "" : " (" + kind.group() + ")")));
    }

    private static String names(List<ObjectRef> refs) {
        List<String> shown = refs.stream().limit(LISTED).map(ObjectRef::toString).toList();
        return String.join(", ", shown) + (refs.size() > LISTED ? ", and " + (refs.size() - LISTED) + " more" : "");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
