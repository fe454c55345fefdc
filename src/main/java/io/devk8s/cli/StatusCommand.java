package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.console.OutputFormat;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.StatusReport;
import io.devk8s.service.StatusService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status",
        header = "Show the profile, the kube context, the stack's components, its URLs and the hosts block.",
        description = {
            "Reads only. Asks minikube for the profile's state and IP, checks the kube context with the local-only "
                + "guard (a context that is not the profile's is shown as refused, and its API is not called "
                + "unless --allow-context names it), then reads from the cluster each stack Deployment (ready/"
                + "desired replicas, images), the hosts of the stack's Ingresses and Traefik's nodePort (URLs get "
                + ":PORT when it is not 80). Finally compares the profile's hosts-file block with the address "
                + "devk8s up would write (the node IP, or 127.0.0.1 for the docker driver on macOS and Windows).",
            "",
            "With -o json or -o yaml, stdout holds only the document: health, profile, context, namespace, "
                + "components, urls, hosts and problems."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s status                       the default profile and namespace",
            "  devk8s status -o json | jq -r '.urls[].url'",
            "  devk8s status --profile dev --namespace tools",
            "  devk8s status --show-credentials    also the Grafana admin user and password",
            "",
            "Exit codes: 0 healthy; 1 degraded (a component missing or not available, the",
            "hosts block missing, stale or incomplete); 3 unavailable (minikube not",
            "installed, the profile missing or not running, the context refused, the API",
            "unreachable)."
        })
public class StatusCommand extends BaseCommand {

    @Mixin
    OutputOptions output;

    @Mixin
    NamespaceOption namespace;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    HostsFileOption.Any hostsFile;

    @Option(names = "--show-credentials",
            description = "Also print the Grafana admin login (user and password) from its Secret, which "
                    + "devk8s up creates with a random password. Text output only.")
    boolean showCredentials;

    @Override
    protected int run(Services services) {
        if (showCredentials && output.format() != OutputFormat.text) {
            throw io.devk8s.Devk8sException.usage("--show-credentials: works with the text output only; drop -o "
                    + output.format() + " (or read the Secret: kubectl -n devk8s get secret grafana-admin -o yaml)");
        }
        ClusterSelection selection = cluster.selection(services.environment());
        StatusService status = services.statusService(selection);
        StatusService.Request request = new StatusService.Request(selection, namespace.value(),
                hostsFile.path(services));
        StatusReport report = status.status(request);
        output.print(console(), report, () -> status.printText(report, console()));
        if (showCredentials) {
            console().data(status.grafanaCredentials(request));
        }
        return report.exitCode();
    }
}
