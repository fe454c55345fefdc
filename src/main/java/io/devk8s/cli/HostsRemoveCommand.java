package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.HostsService;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "remove", header = "Remove the profile's block; everything else in the file stays as it was.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s hosts remove",
            "  devk8s hosts remove --profile dev --hosts-file ./hosts"
        })
public class HostsRemoveCommand extends BaseCommand {
    @Mixin
    HostsFileOption.ToChange hostsFile;

    @Mixin
    HostsOptions hosts;

    @Mixin
    NoSudoOption noSudo;

    @Option(names = "--dry-run", description = "Print the lines that would go; write nothing.")
    boolean dryRun;

    @Override
    protected int run(Services services) throws Exception {
        return services.hostsService().remove(new HostsService.Request(hostsFile.path(services),
                hosts.profile(services), "minikube", Optional.empty(), List.of(), noSudo.value(), dryRun));
    }
}
