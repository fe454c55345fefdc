package io.devk8s;

import io.devk8s.adapter.docker.DockerEngine;
import io.devk8s.console.Console;

/**
 * The composition root: builds each adapter lazily, on first use, so that a command pays only for the
 * outside systems it talks to (no fabric8 or docker-java classes load for {@code --help} or
 * {@code render}), and closes what it built.
 */
public class Services implements AutoCloseable {
    private final Environment environment;
    private final Console console;
    private DockerEngine dockerEngine;

    public Services(Environment environment, Console console) {
        this.environment = environment;
        this.console = console;
    }

    public Environment environment() {
        return environment;
    }

    public Console console() {
        return console;
    }

    /**
     * The Docker engine the environment points at ({@code DOCKER_HOST}, else the local socket). For
     * Minikube's engine use {@link DockerEngine#fromMinikube} with the output of {@code minikube docker-env}.
     */
    public DockerEngine dockerEngine() {
        if (dockerEngine == null) {
            dockerEngine = DockerEngine.fromEnvironment(environment);
        }
        return dockerEngine;
    }

    @Override
    public void close() {
        if (dockerEngine != null) {
            dockerEngine.close();
            dockerEngine = null;
        }
    }
}
