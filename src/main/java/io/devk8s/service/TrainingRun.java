package io.devk8s.service;

import io.devk8s.Environment;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.kubernetes.EmptyApiServer;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.process.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What {@code install.sh} runs while the JVM records its start-up archive (AppCDS): the stack rendered and parsed
 * the way {@code up} does it, so the archive holds the template, YAML and Kubernetes client classes that
 * {@code render}, {@code up}, {@code status} and {@code down} load, and the Docker client classes of {@code deploy}.
 * Needs no cluster and makes no network request.
 */
public final class TrainingRun {
    private final RenderService renderer;

    public TrainingRun(RenderService renderer) {
        this.renderer = renderer;
    }

    /** Returns the number of objects rendered and parsed. */
    public int run() {
        RenderedStack stack = renderer.renderStack(StackOptions.defaults());
        RenderService.toYaml(stack.documents());
        DockerDaemon.trainingRun();
        return KubernetesCluster.trainingRun(stack.documents().stream().map(RenderedDocument::yaml).toList());
    }

    /**
     * Runs {@code body} in a sandbox where a command like {@code status} finds a kubeconfig whose only context
     * points at an {@link EmptyApiServer} on this machine's loopback address (nothing leaves the machine), an empty
     * hosts file named {@code hosts} in the working folder, and as {@code minikube} on PATH only the system's
     * {@code false} (every call fails at once). The folder is a new temporary one, removed afterwards.
     */
    public static <T> T inStatusSandbox(Function<Environment, T> body) {
        Path dir = null;
        try (EmptyApiServer api = EmptyApiServer.start()) {
            dir = Files.createTempDirectory("devk8s-training");
            Path bin = Files.createDirectory(dir.resolve("bin"));
            Optional<Path> fail = new ProcessRunner(Environment.system()).which("false");
            if (fail.isPresent()) {
                Files.createSymbolicLink(bin.resolve("minikube"), fail.get());
            }
            Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
            Files.writeString(dir.resolve("kubeconfig"), String.join("\n",
                    "apiVersion: v1",
                    "kind: Config",
                    "current-context: minikube",
                    "clusters:",
                    "- name: minikube",
                    "  cluster: {server: \"" + api.url() + "\"}",
                    "contexts:",
                    "- name: minikube",
                    "  context: {cluster: minikube, user: minikube, namespace: default}",
                    "users:",
                    "- name: minikube",
                    "  user: {token: training}",
                    ""));
            Environment env = new Environment(Map.of("HOME", dir.toString(), "PATH", dir.resolve("bin").toString(),
                    "KUBECONFIG", dir.resolve("kubeconfig").toString()), dir);
            return body.apply(env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException ignored) {
                    // a temporary folder left behind
                }
            }
        }
    }
}
