package io.devk8s.adapter.kind;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The {@code kind} command line: loads images from the host's Docker daemon into a kind cluster's nodes
 * ({@code kind load docker-image --name CLUSTER IMAGE}), or from an archive {@code docker save} wrote
 * ({@code kind load image-archive --name CLUSTER FILE}), which is the way in when the daemon uses containerd's
 * image store.
 */
public final class KindCli {
    public static final String INSTALL_URL = "https://kind.sigs.k8s.io/docs/user/quick-start/#installation";
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(10);
    private final ProcessRunner processes;

    public KindCli(ProcessRunner processes) {
        this.processes = processes;
    }

    /** The kind binary on PATH, or a one-line precondition failure with the install link (exit 3). */
    public Path binary() {
        return processes.which("kind").orElseThrow(() -> Devk8sException.precondition("kind is not on PATH: "
                + "install it (" + INSTALL_URL + ") or deploy with --target registry"));
    }

    /** {@code kind load docker-image --name CLUSTER IMAGE}; each output line goes to {@code lines}. */
    public ProcessRunner.Result loadDockerImage(String cluster, String image, Consumer<String> lines) {
        return processes.stream(ProcessRunner.Invocation.of(binary(), "load", "docker-image", "--name", cluster, image)
                .withTimeout(LOAD_TIMEOUT), lines);
    }

    /** {@code kind load image-archive --name CLUSTER ARCHIVE}; each output line goes to {@code lines}. */
    public ProcessRunner.Result loadImageArchive(String cluster, Path archive, Consumer<String> lines) {
        return processes.stream(ProcessRunner.Invocation.of(binary(), "load", "image-archive", "--name", cluster,
                archive.toString()).withTimeout(LOAD_TIMEOUT), lines);
    }

    /**
     * Whether a failed {@code kind load docker-image} is the containerd image store's known failure: the node's
     * {@code ctr import} cannot find a layer of the archive the daemon saved ({@code ctr: content digest ...: not
     * found}).
     */
    public static boolean isContainerdStoreFailure(String output) {
        String o = output.toLowerCase(Locale.ROOT);
        return o.contains("content digest") && o.contains("not found");
    }
}
