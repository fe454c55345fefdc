package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.ClusterSelection;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The flags every {@code devk8s hosts} subcommand takes. */
public class HostsOptions {
    @Option(names = "--hosts-file", paramLabel = "PATH",
            description = "The hosts file to edit (default: /etc/hosts; on Windows "
                    + "C:\\Windows\\System32\\drivers\\etc\\hosts).")
    String hostsFile;

    @Option(names = {"-p", "--profile"}, paramLabel = "P",
            description = "The minikube profile the block belongs to (default: $MINIKUBE_PROFILE, else minikube).")
    String profile;

    java.nio.file.Path hostsFile(Services services) {
        return services.hostsService().hostsFile(Optional.ofNullable(hostsFile));
    }

    String profile(Services services) {
        // the same resolution as every cluster command: flag, else $MINIKUBE_PROFILE, else minikube
        return ClusterSelection.of(services.environment(), profile, null, java.util.List.of(), null).profile();
    }
}
