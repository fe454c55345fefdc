package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.ClusterSelection;
import java.util.List;
import picocli.CommandLine.Mixin;

/**
 * The profile flag every {@code devk8s hosts} subcommand takes; each declares its own {@code --hosts-file}
 * ({@link HostsFileOption.ToRead} for {@code show}, {@link HostsFileOption.ToChange} for {@code apply} and
 * {@code remove}).
 */
public class HostsOptions {
    @Mixin
    ProfileOption profile = new ProfileOption();

    String profile(Services services) {
        // the same resolution as every cluster command: flag, else $MINIKUBE_PROFILE, else minikube
        return ClusterSelection.of(services.environment(), profile.value(), null, List.of(), null).profile();
    }
}
