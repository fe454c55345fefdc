package io.devk8s;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the process sees of its surroundings: environment variables and the working directory.
 * Adapters read the environment only through this, so tests can run the CLI in-process with their
 * own PATH, KUBECONFIG, MINIKUBE_PROFILE, DOCKER_HOST, ...
 */
public record Environment(Map<String, String> variables, Path workDir) {

    public Environment {
        variables = Map.copyOf(variables);
        workDir = workDir.toAbsolutePath().normalize();
    }

    public static Environment system() {
        return new Environment(System.getenv(), Path.of(""));
    }

    public Optional<String> get(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public Path home() {
        return get("HOME").map(Path::of).orElseGet(() -> Path.of(System.getProperty("user.home")));
    }

    /** Resolves a user-given path against the working directory. */
    public Path resolve(String path) {
        if (path.startsWith("~/")) {
            return home().resolve(path.substring(2));
        }
        return workDir.resolve(path).normalize();
    }

    public Environment with(String name, String value) {
        var copy = new java.util.HashMap<>(variables);
        copy.put(name, value);
        return new Environment(copy, workDir);
    }
}
