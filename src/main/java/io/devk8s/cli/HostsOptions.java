package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.ClusterSelection;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The profile flag every {@code devk8s hosts} subcommand takes; each declares its own {@code --hosts-file},
 * described as the file it reads ({@code show}) or changes ({@code apply}, {@code remove}).
 */
public class HostsOptions {
    /** The default named in every --hosts-file description. */
    static final String DEFAULT_FILE = "(default: /etc/hosts; on Windows C:\\Windows\\System32\\drivers\\etc\\hosts)";

    @Option(names = {"-p", "--profile"}, paramLabel = "P",
            description = "The minikube profile the block belongs to (default: $MINIKUBE_PROFILE, else minikube).")
    String profile;

    static Path hostsFile(Services services, String flag) {
        return services.hostsService().hostsFile(Optional.ofNullable(flag));
    }

    String profile(Services services) {
        // the same resolution as every cluster command: flag, else $MINIKUBE_PROFILE, else minikube
        return ClusterSelection.of(services.environment(), profile, null, List.of(), null).profile();
    }
}
