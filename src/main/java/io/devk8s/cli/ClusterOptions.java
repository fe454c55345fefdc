package io.devk8s.cli;

import io.devk8s.Environment;
import io.devk8s.service.ClusterSelection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help;
import picocli.CommandLine.Option;

/** The flags every command that talks to the cluster shares: which profile, which context, which minikube. */
public class ClusterOptions {

    @Option(names = {"-p", "--profile"}, paramLabel = "NAME",
            description = "Minikube profile (default: $MINIKUBE_PROFILE, else minikube).")
    String profile;

    @Option(names = "--context", paramLabel = "NAME",
            description = "Kube context to use (default: the kubeconfig's current context). "
                    + "It must belong to the Minikube profile.")
    String context;

    @Option(names = "--allow-context", paramLabel = "NAME", showDefaultValue = Help.Visibility.NEVER,
            description = "Act on this context even though it is not the Minikube profile's (repeatable).")
    List<String> allowContexts = new ArrayList<>();

    @Option(names = "--minikube", paramLabel = "PATH",
            description = "The minikube binary (default: minikube on PATH).")
    String minikube;

    /** The selection these flags make, with defaults from the environment. */
    public ClusterSelection selection(Environment environment) {
        return ClusterSelection.of(environment, profile, context, allowContexts, minikube);
    }
}
