package io.devk8s.cli;

import java.util.Optional;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code -n/--namespace}: declared once for every command that works on the stack's namespace. */
public class NamespaceOption {
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", showDefaultValue = Visibility.NEVER,
            description = "The stack's namespace (default: namespace in the stack values, devk8s).")
    String namespace;

    Optional<String> value() {
        return Optional.ofNullable(namespace);
    }
}
