package io.devk8s.cli;

import io.devk8s.Services;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "show", header = "Print the devk8s block of a profile (exit 0 also when there is none).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s hosts show",
            "  devk8s hosts show --profile dev -o json"
        })
public class HostsShowCommand extends BaseCommand {
    @Mixin
    HostsFileOption.ToRead hostsFile;

    @Mixin
    HostsOptions hosts;

    @Mixin
    OutputOptions output;

    @Override
    protected int run(Services services) throws Exception {
        var service = services.hostsService();
        var file = hostsFile.path(services);
        String profile = hosts.profile(services);
        if (output.format() == io.devk8s.console.OutputFormat.text) {
            return service.show(file, profile); // the block as it stands in the file
        }
        output.print(console(), service.block(file, profile), () -> { });
        return io.devk8s.ExitCode.OK;
    }
}
