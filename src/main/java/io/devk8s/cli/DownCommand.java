package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.DownService;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "down",
        header = "Remove the stack from the cluster and its block from the hosts file.",
        description = {
            "Checks the kube context first: one that is not the Minikube profile's is refused before any API call "
                + "(pass --allow-context NAME if you really mean it). Then deletes every object carrying the stack's "
                + "labels (part-of and managed-by devk8s, instance the namespace), kind by kind "
                + "(workloads, Services, Ingresses, ConfigMaps, Secrets, RBAC, PersistentVolumeClaims, "
                + "IngressClass), in the stack namespace and cluster-wide; the namespace itself goes last, unless "
                + "it holds objects devk8s did not create. Waits until they are gone, names any that are left, and "
                + "removes the profile's hosts block (through sudo when the file is not writable).",
            "",
            "Nothing without the labels is touched. Running it again when everything is gone does nothing."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s down                    remove the stack and the hosts block",
            "  devk8s down --keep-data        keep the stack's volumes and its namespace",
            "  devk8s down --dry-run          list what would be deleted, change nothing",
            "  devk8s down --profile dev --no-hosts",
            "",
            "Exit codes: 0 removed (or nothing to remove), 1 objects left after --timeout or hosts step not done,",
            "2 bad flag or hosts file, 3 context refused, profile stopped or missing, or no minikube."
        })
public class DownCommand extends BaseCommand {

    @Option(names = "--keep-data", description = "Keep the PersistentVolumeClaims (the stack's data) and the "
            + "namespace.")
    boolean keepData;

    @Mixin
    NamespaceOption namespace;

    @Option(names = "--dry-run", description = "List what would be deleted; delete and write nothing.")
    boolean dryRun;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    HostsStepOptions hosts = new HostsStepOptions();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long to wait for the objects to disappear, e.g. 90s, 2m or 1m30s.")
    Duration timeout;

    @Override
    protected int run(Services services) throws Exception {
        ClusterSelection selection = cluster.selection(services.environment());
        DownService.Request request = new DownService.Request(selection, namespace.value(), keepData,
                dryRun, hosts.step(services), timeout);
        return services.downService(selection).down(request);
    }
}
