package io.devk8s.service;

import io.devk8s.ExitCode;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.kubernetes.DeleteResult;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.LabelSelector;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.kubernetes.ResourceKind;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.console.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code devk8s down}: removes what the stack created, found by its labels ({@link StackCatalog#STACK_SELECTOR})
 * across every kind the API server serves ({@link StackKinds#teardown}: the built-in kinds in a fixed order, then
 * CronJobs, NetworkPolicies, custom resources and the rest): namespaced ones in the stack namespace, plus the
 * cluster-scoped ones. The objects are listed once; exactly that plan is deleted (and printed with --dry-run). PersistentVolumeClaims (the data of Prometheus and Grafana) stay with {@code keepData}, and
 * so does the namespace; otherwise the namespace goes last, but only when devk8s created it (its {@code devk8s.io/created-by}
 * annotation; an adopted namespace never goes) and it holds nothing someone else put there (any kind discovery lists). Then it waits until the objects are gone (bounded), reports what still
 * carries the labels, and removes the profile's hosts block.
 *
 * <p>The local-only guard runs first: a context that is not the Minikube profile's is refused before any API call.
 */
public final class DownService {
    private static final int LISTED = 10;

    /**
     * @param namespace {@code --namespace}, or empty for the stack's default
     * @param hosts     the hosts step: remove the profile's block (not with {@code --no-hosts})
     * @param timeout   how long to wait for the objects to disappear
     */
    public record Request(ClusterSelection selection, Optional<String> namespace, boolean keepData, boolean dryRun,
                          HostsStep hosts, Duration timeout) {
    }

    private final Console console;
    private final MinikubeCli minikube;
    private final RenderService renderer;
    private final KubeAccess kube;
    private final Function<Path, HostsFile> hostsFiles;
    private final HostsService hostsService;

    public DownService(Console console, MinikubeCli minikube, RenderService renderer, KubeAccess kube,
                       Function<Path, HostsFile> hostsFiles, HostsService hostsService) {
        this.console = console;
        this.minikube = minikube;
        this.renderer = renderer;
        this.kube = kube;
        this.hostsFiles = hostsFiles;
        this.hostsService = hostsService;
    }

    public int down(Request request) throws IOException, InterruptedException {
        KubernetesCluster.warmUp(); // overlaps the client's class loading with the minikube calls
        ClusterSelection selection = request.selection();
        String profile = selection.profile();
        String namespace = renderer.values(
                new StackOptions(request.namespace().orElse(null), null, List.of(), List.of())).namespace();
        String selector = StackCatalog.stackSelector(namespace);
        PinnedContext pinned = kube.pin(selection);
        ContextNotice.announceIfShared(console, pinned);
        if (pinned.reason().isMinikube()) {
            ProfilePreflight.require(profile, minikube.status(), ProfilePreflight.Use.DOWN);
        }
        KubernetesCluster cluster = kube.cluster(pinned);

        List<ObjectRef> planned = new ArrayList<>(cluster.list(namespace, LabelSelector.parse(selector),
                StackKinds.teardown(cluster.servedKinds(), request.keepData())));
        String sharedNote = shareIngressClass(cluster, namespace, planned);
        List<ObjectRef> labelledNamespace = request.keepData() ? List.of()
                : cluster.list(null, selector, List.of(ResourceKind.NAMESPACE)).stream()
                        .filter(ref -> ref.name().equals(namespace)).toList();
        // only a namespace devk8s created goes, and only when it holds nothing else (any kind the server lists)
        boolean adopted = !labelledNamespace.isEmpty() && !cluster.namespaceCreatedByDevk8s(namespace);
        List<ObjectRef> namespaceRef = adopted ? List.of() : labelledNamespace;
        List<ObjectRef> foreign = namespaceRef.isEmpty() ? List.of()
                : cluster.unmanagedObjects(namespace, selector);
        boolean deleteNamespace = !namespaceRef.isEmpty() && foreign.isEmpty();
        HostsFile hostsFile = hostsFiles.apply(request.hosts().file());
        // the hosts step's pre-flight (type, markers, writability) before the first delete
        boolean hostsBlock = request.hosts().enabled() && hostsService.preflight(hostsRequest(request, profile),
                HostsService.Step.REMOVE, true).block().isPresent();
        String where = "namespace " + namespace + " and cluster-wide (context " + pinned.contextName() + ")";

        if (adopted) {
            console.info("namespace " + namespace + " stays: it existed before devk8s used it, so devk8s does not"
                    + " delete it");
        }
        if (!foreign.isEmpty()) {
            console.warn("namespace " + namespace + " stays: it holds " + count(foreign.size(), "object")
                    + " devk8s did not create (" + names(foreign) + ")");
        }
        if (sharedNote != null) {
            console.warn(sharedNote);
        }
        if (request.dryRun()) {
            console.info("dry run: nothing is deleted or written");
            planned.forEach(ref -> console.data("would delete " + ref));
            if (deleteNamespace) {
                console.data("would delete " + namespaceRef.get(0));
            }
            if (hostsBlock) {
                console.data("would remove the devk8s block for profile " + profile + " from " + hostsFile.path());
            }
            int objects = planned.size() + (deleteNamespace ? 1 : 0);
            console.info(objects == 0 && !hostsBlock ? "nothing to delete in " + where
                    : "would delete " + count(objects, "object") + " in " + where
                            + (hostsBlock ? ", and remove the hosts block" : ""));
            return ExitCode.OK;
        }
        if (planned.isEmpty() && !deleteNamespace && !hostsBlock) {
            console.info("nothing to delete: no devk8s objects in " + where
                    + (request.hosts().enabled() ? ", no hosts block for profile " + profile : ""));
            return ExitCode.OK;
        }

        long deadline = System.nanoTime() + request.timeout().toNanos();
        int deleted = 0;
        List<ObjectRef> leftovers = new ArrayList<>();
        if (!planned.isEmpty() || deleteNamespace) {
            console.info("deleting " + count(planned.size() + (deleteNamespace ? 1 : 0), "object") + " in " + where
                    + ", waiting up to " + request.timeout().toSeconds() + "s for them to go");
            // exactly the objects of the printed plan: one that appeared since is not deleted unseen
            DeleteResult result = cluster.delete(planned, atLeastAMoment(request.timeout()));
            deleted += result.deleted().size();
            leftovers.addAll(result.remaining());
            if (deleteNamespace) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                DeleteResult namespaceResult = cluster.delete(namespaceRef, atLeastAMoment(left));
                deleted += namespaceResult.deleted().size();
                leftovers.addAll(namespaceResult.remaining());
            }
        }

        String hosts = "";
        int hostsCode = ExitCode.OK;
        if (hostsBlock) {
            hostsCode = hostsService.remove(hostsRequest(request, profile));
            hosts = hostsFile.read(profile).isPresent() ? ", hosts block still present" : ", hosts block removed";
        } else if (!request.hosts().enabled()) {
            hosts = ", hosts block kept (--no-hosts)";
        }
        String kept = request.keepData() ? "; kept the PersistentVolumeClaims and namespace " + namespace
                : !foreign.isEmpty() || adopted ? "; kept namespace " + namespace : "";
        if (!leftovers.isEmpty()) {
            console.error(count(leftovers.size(), "object") + " still carr" + (leftovers.size() == 1 ? "ies" : "y")
                    + " the devk8s labels after " + request.timeout().toSeconds() + "s: " + names(leftovers)
                    + "; check with `kubectl --context " + pinned.contextName() + " -n " + namespace
                    + " get all,ingress,configmap,pvc -l " + selector + "`");
            console.info("stack partly removed (" + count(deleted, "object") + ")" + kept + hosts);
            return ExitCode.FAILURE;
        }
        if (hostsCode != ExitCode.OK) {
            console.error("stack removed (" + count(deleted, "object") + ")" + kept + hosts
                    + ": the hosts step was not done (see above)");
            return ExitCode.FAILURE;
        }
        console.success("stack removed (" + count(deleted, "object") + ")" + kept + hosts);
        return ExitCode.OK;
    }

    private static HostsService.Request hostsRequest(Request request, String profile) {
        return new HostsService.Request(request.hosts().file(), profile, "minikube", Optional.empty(), List.of(),
                request.hosts().noSudo(), false);
    }

    /** A zero wait still checks once whether the objects went. */
    private static Duration atLeastAMoment(Duration wait) {
        return wait.isZero() || wait.isNegative() ? Duration.ofMillis(1) : wait;
    }

    /**
     * The shared IngressClass stays while another stack remains (its next {@code up} takes it over); the last
     * stack's {@code down} also deletes one a stack that is gone left behind. Returns the line that says so, or null.
     */
    private static String shareIngressClass(KubernetesCluster cluster, String namespace, List<ObjectRef> planned) {
        ObjectRef ingressClass = SharedClusterObjects.INGRESS_CLASS;
        List<String> others = SharedClusterObjects.otherStacks(cluster, namespace);
        if (planned.contains(ingressClass) && !others.isEmpty()) {
            planned.remove(ingressClass);
            return ingressClass + " stays: the stack in namespace " + others.get(0) + " uses it too";
        }
        if (!planned.contains(ingressClass) && others.isEmpty() && SharedClusterObjects.ingressClassHolder(cluster,
                namespace) instanceof SharedClusterObjects.Holder.Orphan) {
            planned.add(ingressClass); // left by a stack that is gone; this is the last stack
        }
        return null;
    }

    private static String names(List<ObjectRef> refs) {
        List<String> shown = refs.stream().limit(LISTED).map(ObjectRef::toString).toList();
        return String.join(", ", shown) + (refs.size() > LISTED ? ", and " + (refs.size() - LISTED) + " more" : "");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
