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

    private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** The namespace given, checked as Kubernetes checks names (a DNS label) before anything reaches a cluster. */
    Optional<String> value() {
        if (namespace != null && !DNS_LABEL.matcher(namespace).matches()) {
            throw io.devk8s.Devk8sException.usage("--namespace " + Inputs.shorten("'" + namespace + "'")
                    + " is not a valid namespace name: use at most 63 lower-case letters, digits and '-', starting and "
                    + "ending with a letter or digit, e.g. -n demo");
        }
        return Optional.ofNullable(namespace);
    }
}
