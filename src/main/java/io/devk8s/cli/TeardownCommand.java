package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.TeardownService;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "teardown",
        header = "Delete a project's objects from the cluster, by label.",
        description = {
            "Deletes, in the project namespace, every object carrying the selector (default appgroup=<project> "
                + "from devk8s.yaml) of every namespaced kind the API server serves with list and delete: "
                + "workloads first (foreground, so nothing is recreated), then Services, Ingresses, ConfigMaps, "
                + "Secrets, ServiceAccounts, Roles, RoleBindings, HPAs, NetworkPolicies, custom resources and the "
                + "rest. Prints a count per kind, waits until everything is gone and names what is left.",
            "",
            "Never deleted: the namespace, cluster-scoped objects, Events, the devk8s stack's own objects (unless "
                + "the selector names app.kubernetes.io/part-of), and PersistentVolumeClaims with --keep-data. "
                + "The hosts of deleted Ingresses leave the hosts block. The kube context must be the Minikube "
                + "profile's (or named with --allow-context)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s teardown               the project of devk8s.yaml (appgroup=<project>)",
            "  devk8s teardown --dry-run     list what would go, delete nothing",
            "  devk8s teardown --keep-data   keep the PersistentVolumeClaims",
            "  devk8s teardown --selector 'appgroup=shop,tier in (api,web)' -n shop",
            "  devk8s teardown --selector appgroup=shop --all-namespaces --no-wait",
            "  devk8s teardown --all -n scratch --dry-run   every object in scratch",
            "",
            "Exit codes: 0 deleted (or nothing to delete), 1 objects left after --timeout or hosts step not done,",
            "2 bad selector or flag, empty selector without --all, no devk8s.yaml and no --selector,",
            "3 context refused or API server unreachable."
        })
public class TeardownCommand extends BaseCommand {

    @Option(names = {"-l", "--selector"}, paramLabel = "SEL",
            description = "Label selector, full Kubernetes syntax (default: appgroup=<project> from devk8s.yaml).")
    String selector;

    @Option(names = "--all", description = "Every object in the namespace when no --selector is given (also "
            + "without devk8s.yaml), and allow an empty --selector (never in kube-system, kube-public or "
            + "kube-node-lease; never the devk8s stack's objects).")
    boolean all;

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace instead of the project's "
            + "(kube-system, kube-public and kube-node-lease are skipped).")
    boolean allNamespaces;

    @Option(names = "--keep-data", description = "Keep the PersistentVolumeClaims.")
    boolean keepData;

    @Option(names = "--dry-run", description = "List what would be deleted; delete and write nothing.")
    boolean dryRun;

    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Wait until every deleted object is gone (default; --no-wait returns at once).")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long to wait for the objects to disappear, e.g. 90s, 2m or 1m30s.")
    Duration timeout;

    @Mixin
    ProjectOptions project;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    HostsStepOptions hosts = new HostsStepOptions();

    @Override
    protected int run(Services services) throws Exception {
        ClusterSelection selection = cluster.selection(services.environment());
        TeardownService.Request request = new TeardownService.Request(selection,
                project.scope(services.environment(), false), Optional.ofNullable(selector), all, allNamespaces,
                keepData, dryRun, await, timeout, hosts.step(services));
        return services.teardownService().teardown(request);
    }
}
