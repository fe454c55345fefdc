package io.devk8s.adapter.k3d;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** The {@code k3d} command line: imports images from the host's Docker daemon into a k3d cluster's nodes. */
public final class K3dCli {
    public static final String INSTALL_URL = "https://k3d.io/#installation";
    private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(10);
    private final ProcessRunner processes;

    public K3dCli(ProcessRunner processes) {
        this.processes = processes;
    }

    /** The k3d binary on PATH, or a one-line precondition failure with the install link (exit 3). */
    public Path binary() {
        return processes.which("k3d").orElseThrow(() -> Devk8sException.precondition("k3d is not on PATH: "
                + "install it (" + INSTALL_URL + ") or deploy with --target registry"));
    }

    /** {@code k3d image import -c CLUSTER IMAGE}; each output line goes to {@code lines}. */
    public ProcessRunner.Result imageImport(String cluster, String image, Consumer<String> lines) {
        return processes.stream(ProcessRunner.Invocation.of(binary(), "image", "import", "-c", cluster, image)
                .withTimeout(IMPORT_TIMEOUT), lines);
    }
}
