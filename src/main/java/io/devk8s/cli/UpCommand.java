package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.UpService;
import io.devk8s.service.WaitPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "up",
        header = "Start the dev stack (Traefik, Prometheus, Grafana, Jaeger) on Minikube.",
        description = {
            "Renders the stack, checks the Minikube profile, its node port range and the kube context (only the "
                + "profile's context is touched, unless --allow-context), applies everything with server-side "
                + "apply (field manager devk8s), prunes what an earlier stack version left, writes the hostnames "
                + "into the hosts file and waits until every component is available. Running it again changes "
                + "nothing that is already right.",
            "",
            "The stack is declarative: what the templates (and --components) no longer render is pruned, so "
                + "`devk8s up --components traefik,grafana` after a full `up` removes Prometheus and Jaeger.",
            "",
            "On a kind or k3d context (kind-NAME, k3d-NAME on this machine) no Minikube profile is needed: Traefik "
                + "becomes a NodePort on 30080 (kind) or a LoadBalancer (k3d), the hosts block points at 127.0.0.1, "
                + "and `up` prints how the cluster must publish port 80.",
            "",
            "Grafana's admin login is kept in the Secret grafana.adminSecret names (grafana-admin): `up` creates it "
                + "with a random password when it is missing and never changes it; `devk8s status "
                + "--show-credentials` prints it.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s up                        the stack on the running 'minikube' profile",
            "  devk8s up --start                start or create the profile, node ports 80+",
            "  devk8s up --node-port 30080      default node ports; URLs carry :30080",
            "  devk8s up --no-hosts --no-wait   apply only; no hosts file, no waiting",
            "  devk8s up --dry-run              show what would be applied and pruned",
            "  devk8s up --context kind-dev     a kind cluster: Traefik on node port 30080",
            "  devk8s up --context k3d-dev      a k3d cluster: Traefik as a LoadBalancer",
            "",
            "Exit codes: 0 ok, 1 apply, rollout or hosts step failed, 2 bad flags, templates or hosts file,",
            "3 minikube or context missing."
        })
public class UpCommand extends BaseCommand {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--start", description = "Start the Minikube profile when it is stopped or missing.")
    boolean start;

    @Option(names = "--minikube-arg", paramLabel = "ARG", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Extra argument for `minikube start` (repeatable), e.g. --minikube-arg=--cpus=4.")
    List<String> minikubeArgs = new ArrayList<>();

    @Mixin
    StackFlags stack;

    @Option(names = "--node-port", paramLabel = "N",
            description = "Traefik's node port instead of 80 (for a profile started without the wider range).")
    Integer nodePort;

    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Wait until every component is available (default); --no-wait returns after the apply.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait, e.g. 90s or 5m.")
    Duration timeout;

    @Mixin
    HostsStepOptions hosts = new HostsStepOptions();

    @Option(names = "--force", description = "Apply every object even when it looks unchanged (reverts manual edits).")
    boolean force;

    @Option(names = "--dry-run", description = "Check everything and print what would be applied and pruned; change nothing.")
    boolean dryRun;

    @Override
    protected int run(Services services) throws Exception {
        ClusterSelection selection = cluster.selection(services.environment());
        var request = new UpService.Request(selection, new UpService.Start(start, minikubeArgs), stack.options(),
                nodePort, new WaitPolicy(wait, timeout), hosts.step(services), force, dryRun);
        return services.upService(selection, stack.templatesDir(services.environment())).up(request);
    }
}
