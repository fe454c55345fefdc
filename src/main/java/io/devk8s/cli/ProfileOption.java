package io.devk8s.cli;

import picocli.CommandLine.Option;

/** {@code -p/--profile}: declared once for every command that works on a Minikube profile. */
public class ProfileOption {
    @Option(names = {"-p", "--profile"}, paramLabel = "NAME",
            description = "Minikube profile (default: $MINIKUBE_PROFILE, else minikube).")
    String name;

    /** The flag's value, or null to fall back to {@code $MINIKUBE_PROFILE}, then {@code minikube}. */
    String value() {
        return name;
    }
}
