package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.ClusterSelection;
import picocli.CommandLine.Mixin;

/** The flags every {@code devk8s hosts} subcommand takes. */
public class HostsOptions {
    @Mixin
    HostsFileOption hostsFile = new HostsFileOption();

    @Mixin
    ProfileOption profile = new ProfileOption();

    java.nio.file.Path hostsFile(Services services) {
        return hostsFile.path(services);
    }

    String profile(Services services) {
        // the same resolution as every cluster command: flag, else $MINIKUBE_PROFILE, else minikube
        return ClusterSelection.of(services.environment(), profile.value(), null, java.util.List.of(), null).profile();
    }
}
