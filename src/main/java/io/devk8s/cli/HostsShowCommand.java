package io.devk8s.cli;

import io.devk8s.Services;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "show", header = "Print the devk8s block of a profile (exit 0 also when there is none).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s hosts show",
            "  devk8s hosts show --profile dev -o json"
        })
public class HostsShowCommand extends BaseCommand {
    enum Format { text, json }

    @Option(names = "--hosts-file", paramLabel = "PATH", description = "The hosts file to read: a regular file or a symbolic link to one "
            + HostsOptions.DEFAULT_FILE + ".")
    String hostsFile;

    @Mixin
    HostsOptions hosts;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (the block as in the file) or json.")
    Format output;

    @Override
    protected int run(Services services) throws Exception {
        return services.hostsService().show(HostsOptions.hostsFile(services, hostsFile), hosts.profile(services),
                output == Format.json);
    }
}
