package io.devk8s.adapter.docker;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code docker} CLI, used only for what the daemon's API builder cannot do: a Dockerfile that needs BuildKit
 * (see {@link BuildKitFeatures}). It is pointed at the same daemon devk8s talks to ({@code DOCKER_HOST},
 * {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH} of {@code minikube docker-env}) with
 * {@code DOCKER_BUILDKIT=1}, and reads the context folder itself (its own {@code .dockerignore} handling, which
 * devk8s's matches).
 */
public final class DockerCli {
    /** docker CLIs from 23.0 on build with BuildKit only through the buildx plugin; older ones have it built in. */
    static final int FIRST_VERSION_NEEDING_BUILDX = 23;

    private final ProcessRunner processes;

    public DockerCli(ProcessRunner processes) {
        this.processes = processes;
    }

    /** The {@code docker} on the PATH, if any. */
    public Optional<Path> find() {
        return processes.which("docker");
    }

    /**
     * Checks that {@code docker} can build with BuildKit: the buildx plugin answers, or the CLI is older than 23.0
     * (BuildKit built in). Otherwise one line (exit 3) naming the CLI and the fix.
     *
     * @param why what needs BuildKit, for the message, e.g. {@code Dockerfile line 4: RUN --mount=... (a cache mount)}
     */
    public void requireBuildKit(Path docker, String why) {
        ProcessRunner.Invocation buildx = ProcessRunner.Invocation.of(docker, "buildx", "version")
                .withTimeout(Duration.ofSeconds(20));
        if (processes.run(buildx).ok()) {
            return;
        }
        ProcessRunner.Result v = processes.run(ProcessRunner.Invocation.of(docker, "version", "--format",
                "{{.Client.Version}}").withTimeout(Duration.ofSeconds(20)));
        String version = v.stdout().strip();
        if (major(version) > 0 && major(version) < FIRST_VERSION_NEEDING_BUILDX) {
            return;
        }
        throw Devk8sException.precondition(why + " needs BuildKit, and the docker CLI at " + docker
                + (version.isEmpty() ? "" : " (" + version + ")") + " has no buildx plugin to build with it: "
                + "install the buildx plugin (package docker-buildx-plugin or docker-buildx), or build without "
                + "that feature");
    }

    static int major(String version) {
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * {@code docker build} of {@code contextDir} in the daemon of {@code daemon}, with BuildKit and plain progress.
     * Every line of its output goes to {@code output}. A failing build fails (exit 1) with the last line the
     * build printed.
     */
    public void build(Path docker, DockerEngine.Settings daemon, Path contextDir, String dockerfile,
            DockerDaemon.BuildRequest request, Consumer<String> output) {
        ProcessRunner.Invocation inv = ProcessRunner.Invocation.of(docker, arguments(contextDir, dockerfile, request))
                .withTimeout(Duration.ofMinutes(30))
                .withEnv("DOCKER_BUILDKIT", "1")
                .withEnv("BUILDKIT_PROGRESS", "plain")
                .withEnv(DockerEngine.DOCKER_HOST, daemon.host())
                .withEnv(DockerEngine.DOCKER_TLS_VERIFY, daemon.tlsVerify() ? "1" : null)
                .withEnv(DockerEngine.DOCKER_CERT_PATH, daemon.certPath().map(Path::toString).orElse(null))
                .withEnv("DOCKER_CONTEXT", null);
        ProcessRunner.Result result = processes.stream(inv, output);
        if (!result.ok()) {
            String last = result.output().lines().map(String::strip).filter(l -> !l.isEmpty())
                    .reduce((a, b) -> b).orElse("exit code " + result.exitCode());
            throw new Devk8sException(ExitCode.FAILURE, "docker build of " + String.join(", ", request.tags())
                    + " failed: " + last);
        }
    }

    /** The arguments of {@code docker build}: tags, build arguments, target, labels, the Dockerfile, the context. */
    static List<String> arguments(Path contextDir, String dockerfile, DockerDaemon.BuildRequest request) {
        List<String> args = new ArrayList<>(List.of("build", "--progress", "plain"));
        request.tags().forEach(t -> args.addAll(List.of("--tag", t)));
        request.buildArgs().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> args.addAll(List.of("--build-arg", e.getKey() + "=" + e.getValue())));
        if (!request.target().isEmpty()) {
            args.addAll(List.of("--target", request.target()));
        }
        request.labels().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> args.addAll(List.of("--label", e.getKey() + "=" + e.getValue())));
        args.addAll(List.of("--file", contextDir.resolve(dockerfile).toString(), contextDir.toString()));
        return args;
    }
}
