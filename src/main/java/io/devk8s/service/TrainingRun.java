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
import java.util.List;
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

    /** The one object of the sandbox's API server: the stack's Traefik, rolled out. */
    static final String TRAINING_DEPLOYMENT = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{"
            + "\"name\":\"traefik\",\"namespace\":\"devk8s\",\"generation\":1,\"labels\":{"
            + "\"" + StackCatalog.PART_OF_LABEL + "\":\"" + StackCatalog.DEVK8S + "\","
            + "\"" + StackCatalog.MANAGED_BY_LABEL + "\":\"" + StackCatalog.DEVK8S + "\"}},"
            + "\"spec\":{\"replicas\":1,\"template\":{\"spec\":{\"containers\":[{\"name\":\"traefik\","
            + "\"image\":\"docker.io/traefik:v3\"}]}}},\"status\":{\"observedGeneration\":1,\"replicas\":1,"
            + "\"readyReplicas\":1,\"availableReplicas\":1,\"updatedReplicas\":1,\"conditions\":[{\"type\":\"Available\","
            + "\"status\":\"True\"}]}}";

    /** What the sandbox's {@code minikube} prints: a running profile, as {@code minikube} v1.37 prints it. */
    static final String MINIKUBE_SCRIPT = String.join("\n",
            "#!/bin/sh",
            "# devk8s's training run: a running profile named minikube, and nothing else",
            "case \" $* \" in",
            "  *\" status \"*) printf '%s\\n' '{\"Name\":\"minikube\",\"Host\":\"Running\",\"Kubelet\":\"Running\","
                    + "\"APIServer\":\"Running\",\"Kubeconfig\":\"Configured\",\"Worker\":false}' ;;",
            "  *\" profile list \"*) printf '%s\\n' '{\"invalid\":[],\"valid\":[{\"Name\":\"minikube\",\"Status\":\"\","
                    + "\"Config\":{\"Name\":\"minikube\",\"Driver\":\"docker\",\"KubernetesConfig\":{\"ExtraOptions\":null},"
                    + "\"Nodes\":[{\"Name\":\"\",\"IP\":\"127.0.0.1\",\"Port\":8443,\"ControlPlane\":true,\"Worker\":true}]},"
                    + "\"Active\":true}]}' ;;",
            "  *) exit 1 ;;",
            "esac",
            "");

    /** Writes {@link #MINIKUBE_SCRIPT} as an executable; false where there is no /bin/sh or no POSIX permissions. */
    private static boolean writeMinikube(Path file) throws IOException {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return false;
        }
        try {
            Files.writeString(file, MINIKUBE_SCRIPT);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return true;
        } catch (UnsupportedOperationException e) {
            Files.deleteIfExists(file);
            return false;
        }
    }

    /**
     * Runs {@code body} in a sandbox where a command like {@code status} finds a kubeconfig whose only context
     * points at an {@link EmptyApiServer} on this machine's loopback address (nothing leaves the machine), an empty
     * hosts file named {@code hosts} in the working folder, and as {@code minikube} on PATH a script that reports a
     * running profile ({@link #MINIKUBE_SCRIPT}; without {@code /bin/sh}, the system's {@code false}, which fails
     * every call at once). The folder is a new temporary one, removed afterwards.
     */
    public static <T> T inStatusSandbox(Function<Environment, T> body) {
        Path dir = null;
        try (EmptyApiServer api = EmptyApiServer.start(List.of(TRAINING_DEPLOYMENT))) {
            dir = Files.createTempDirectory("devk8s-training");
            Path bin = Files.createDirectory(dir.resolve("bin"));
            if (!writeMinikube(bin.resolve("minikube"))) {
                Optional<Path> fail = new ProcessRunner(Environment.system()).which("false");
                if (fail.isPresent()) {
                    Files.createSymbolicLink(bin.resolve("minikube"), fail.get());
                }
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
