package io.devk8s.cli;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.service.ClusterSelection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags every command that talks to the cluster shares: which profile, which context, which minikube. */
public class ClusterOptions {

    @Mixin
    ProfileOption profile = new ProfileOption();

    @Option(names = "--context", paramLabel = "NAME",
            description = "Kube context to use (default: the kubeconfig's current context). "
                    + "It must belong to the Minikube profile.")
    String context;

    @Option(names = "--allow-context", paramLabel = "NAME", showDefaultValue = Help.Visibility.NEVER,
            description = "Act on this context even though it is not the Minikube profile's (repeatable).")
    List<String> allowContexts = new ArrayList<>();

    @Mixin
    MinikubeOption minikube = new MinikubeOption();

    @Option(names = "--kubeconfig", paramLabel = "PATH",
            description = "The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config), as kubectl takes it.")
    String kubeconfig;

    /**
     * The environment the command runs in: with {@code --kubeconfig}, {@code KUBECONFIG} names that one file, so
     * the context guard, the API client and minikube all read the same kubeconfig through the one lookup.
     */
    public Environment environment(Environment base) {
        if (kubeconfig == null) {
            return base;
        }
        if (kubeconfig.isBlank() || kubeconfig.contains(java.io.File.pathSeparator)) {
            throw Devk8sException.usage("--kubeconfig '" + Inputs.shorten(kubeconfig) + "': give one file, e.g. "
                    + "--kubeconfig ~/.kube/config (set KUBECONFIG for a list of files)");
        }
        return base.with("KUBECONFIG", base.resolve(kubeconfig).toString());
    }

    /** The selection these flags make, with defaults from the environment. */
    public ClusterSelection selection(Environment environment) {
        return ClusterSelection.of(environment, profile.value(), context, allowContexts, minikube.value());
    }
}
