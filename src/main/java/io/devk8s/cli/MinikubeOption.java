package io.devk8s.cli;

import io.devk8s.Environment;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --minikube PATH}: declared once for every command that runs minikube. */
public class MinikubeOption {
    @Option(names = "--minikube", paramLabel = "PATH",
            description = "The minikube binary (default: minikube on PATH).")
    String path;

    /** The flag's raw value, or null. */
    String value() {
        return path;
    }

    /** The binary resolved against the working directory, or empty to look minikube up on PATH. */
    Optional<Path> binary(Environment environment) {
        return Optional.ofNullable(path).filter(p -> !p.isBlank()).map(environment::resolve);
    }
}
