package io.devk8s.cli;

import java.util.Optional;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code -n/--namespace}: declared once for every command that works in a namespace (the stack's or a project's). */
public class NamespaceOption {
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", showDefaultValue = Visibility.NEVER,
            description = "The namespace (default: for the stack, its values' namespace, devk8s; for a project, "
                    + "devk8s.yaml's namespace, else the kube context's).")
    String namespace;

    Optional<String> value() {
        return Optional.ofNullable(namespace);
    }
}
