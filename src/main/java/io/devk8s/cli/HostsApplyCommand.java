package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.HostsService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply",
        header = "Write (or update in place) the profile's block: traefik-ui, prometheus, grafana and jaeger "
                + "under the domain, plus extra hosts.",
        description = "A re-run with nothing to change does not touch the file.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s hosts apply                      the address of minikube ip -p PROFILE",
            "  devk8s hosts apply --ip 192.168.49.2 --domain test --host web.test",
            "  devk8s hosts apply --ip 192.168.49.2 --dry-run   show the change only",
            "  devk8s hosts apply --ip 192.168.49.2 --no-sudo   print the sudo command"
        })
public class HostsApplyCommand extends BaseCommand {
    @Mixin
    HostsFileOption.ToChange hostsFile;

    @Mixin
    HostsOptions hosts;

    @Option(names = "--ip", paramLabel = "IP", description = "The address to point the names at (IPv4 or IPv6; "
            + "default: minikube ip -p PROFILE, or 127.0.0.1 where the host cannot reach the node).")
    String ip;

    @Option(names = {"-d", "--domain"}, paramLabel = "D", defaultValue = "minikube",
            description = "The domain of the stack's host names.")
    String domain;

    @Option(names = "--host", paramLabel = "NAME", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "An extra host name for the same address "
            + "(repeatable).")
    List<String> extraHosts = new ArrayList<>();

    @Mixin
    NoSudoOption noSudo;

    @Mixin
    MinikubeOption minikube;

    @Option(names = "--dry-run", description = "Print the change to the block; write nothing.")
    boolean dryRun;

    @Override
    protected int run(Services services) throws Exception {
        HostsService service = services.hostsService(minikube.binary(services.environment()));
        return service.apply(new HostsService.Request(hostsFile.path(services), hosts.profile(services), domain,
                Optional.ofNullable(ip), extraHosts, noSudo.value(), dryRun));
    }
}
