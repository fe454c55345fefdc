package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.docker.BuildContext;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.config.AppConfig;
import io.devk8s.config.ProjectFile;
import io.devk8s.config.ShellConfig;
import io.devk8s.console.Console;
import io.devk8s.service.build.Versions;
import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds {@code devk8s shell}'s debug image from the {@code shell:} section of devk8s.yaml in Minikube's Docker
 * daemon: the tools' apps' build commands first (skipped when their {@code inputs} are unchanged, as for
 * {@code deploy}), then the image from the generated Dockerfile ({@link DebugImage}) and a build context of just
 * that Dockerfile and the tool binaries, skipped when an image with the same input digest exists.
 */
public final class DebugImageBuilder {
    /** The mode of the tools in the image. */
    static final int TOOL_MODE = 0755;

    /** What a dry run would do. */
    public record Plan(String dockerfile, String image, String action) {
    }

    private final Console console;
    private final BuildSteps steps;
    private final Function<ClusterSelection, DockerDaemon> daemons;
    private final Supplier<String> domain;
    private final Clock clock;

    /**
     * @param daemons connects to the Docker daemon of the selection's profile ({@code minikube docker-env})
     * @param domain  the stack's domain, for the build commands' {@code DOMAIN}
     */
    public DebugImageBuilder(Console console, BuildSteps steps, Function<ClusterSelection, DockerDaemon> daemons,
            Supplier<String> domain, Clock clock) {
        this.console = console;
        this.steps = steps;
        this.daemons = daemons;
        this.domain = domain;
        this.clock = clock;
    }

    /** Builds (or finds) the debug image and returns its name; with {@code dryRun} builds and runs nothing. */
    public Plan build(ClusterSelection selection, ProjectFile project, String namespace, boolean dryRun) {
        ShellConfig shell = project.shell();
        String dockerfile = DebugImage.dockerfile(shell);
        List<AppConfig> apps = DebugImage.toolApps(shell).stream().map(name -> project.app(name).orElseThrow(
                () -> Devk8sException.usage(shell.location() + ": shell.tools: no app '" + name + "'"))).toList();
        DockerDaemon connected;
        try {
            connected = daemons.apply(selection);
        } catch (Devk8sException e) {
            if (!dryRun) {
                throw e;
            }
            // a dry run prints what would happen without the daemon, as `deploy --dry-run` does
            console.info("note: no Docker daemon to ask (" + e.getMessage() + "); TARGETOS/TARGETARCH are assumed to "
                    + "be " + BuildSteps.HOST_PLATFORM.targetOs() + "/" + BuildSteps.HOST_PLATFORM.targetArch()
                    + ", and whether the debug image is unchanged is not known");
            connected = null;
        }
        try (DockerDaemon daemon = connected) {
            if (daemon != null) {
                console.info("docker: " + daemon.settings().host() + " (Docker " + daemon.info().serverVersion()
                        + ", " + daemon.info().targetOs() + "/" + daemon.info().targetArch() + ")");
            }
            // every app's variables and its command's ${VAR}s checked before anything runs or is built
            String date = Versions.date(clock.instant());
            String stackDomain = apps.stream().anyMatch(a -> a.build().isPresent()) ? domain.get() : "";
            Map<String, BuildSteps.AppBuild> builds = new LinkedHashMap<>();
            StringBuilder inputs = new StringBuilder();
            for (AppConfig app : apps) {
                BuildSteps.AppBuild b = steps.prepare(project, app, namespace, stackDomain, date,
                        daemon == null ? null : daemon.info(),
                        false, Optional.empty(), Map.of());
                if (app.build().isPresent()) {
                    steps.commandEnv(app, b.vars());
                    inputs.append(app.name()).append('\0').append(b.buildInputs().orElseThrow()).append('\0');
                }
                builds.put(app.name(), b);
            }
            Optional<String> toolInputs = inputs.length() == 0 ? Optional.empty()
                    : Optional.of(BuildSteps.sha256(inputs.toString()));

            Optional<BuildContext> context = binariesPresent(shell) ? Optional.of(context(shell, dockerfile))
                    : Optional.empty();
            Optional<String> digest = context.map(c -> c.inputDigest(Map.of(), ""));
            BuildSteps.Skip skip = steps.skip(daemon, digest, toolInputs);
            if (!skip.runCommand() && context.isEmpty()) {
                throw missingBinary(shell, project, false);
            }
            if (dryRun) {
                List<String> commands = skip.runCommand() ? builds.values().stream()
                        .filter(b -> b.app().build().isPresent())
                        .map(b -> "run `" + b.app().build().orElseThrow().command() + "` (" + b.app().name() + ")")
                        .toList() : List.of();
                String image = skip.runCommand() ? DebugImage.pendingImageName(shell)
                        : DebugImage.imageName(shell, digest.orElseThrow());
                String action = (commands.isEmpty() ? "" : String.join(", ", commands) + ", then ")
                        + (skip.existing().isPresent() ? "unchanged (image with this input digest exists)"
                                : daemon == null ? "build (unless the daemon has it)" : "build");
                return new Plan(dockerfile, image, action);
            }

            Optional<String> existing = skip.existing();
            if (skip.runCommand()) {
                for (BuildSteps.AppBuild b : builds.values()) {
                    if (b.app().build().isPresent()) {
                        steps.runCommand(b.app(), b.vars());
                    }
                }
                if (!binariesPresent(shell)) {
                    throw missingBinary(shell, project, true);
                }
                context = Optional.of(context(shell, dockerfile));
                digest = context.map(c -> c.inputDigest(Map.of(), ""));
                existing = daemon.findIdByLabel(DockerDaemon.INPUT_DIGEST_LABEL, digest.orElseThrow());
            } else if (toolInputs.isPresent()) {
                console.info("shell: build commands of " + String.join(", ", builds.keySet())
                        + " skipped (their inputs are unchanged)");
            }
            String image = DebugImage.imageName(shell, digest.orElseThrow());
            Map<String, String> labels = new LinkedHashMap<>();
            toolInputs.ifPresent(d -> labels.put(BuildSteps.BUILD_INPUTS_LABEL, d));
            labels.put(ProjectScope.PROJECT_LABEL, project.project());
            labels.put(ShellService.COMPONENT, ShellService.COMPONENT_VALUE);
            steps.image(daemon, "shell", image, context.orElseThrow(), digest.orElseThrow(), existing, Map.of(), "",
                    labels);
            return new Plan(dockerfile, image, "built");
        }
    }

    private static boolean binariesPresent(ShellConfig shell) {
        return shell.tools().stream().allMatch(t -> Files.isRegularFile(t.binary()));
    }

    private static BuildContext context(ShellConfig shell, String dockerfile) {
        Map<String, java.nio.file.Path> files = new LinkedHashMap<>();
        shell.tools().forEach(t -> files.put(DebugImage.contextPath(t), t.binary()));
        return BuildContext.generated(dockerfile, files, TOOL_MODE);
    }

    private static Devk8sException missingBinary(ShellConfig shell, ProjectFile project, boolean afterBuild) {
        ShellConfig.Tool tool = shell.tools().stream().filter(t -> !Files.isRegularFile(t.binary())).findFirst()
                .orElseThrow();
        boolean hasCommand = project.app(tool.app()).flatMap(AppConfig::build).isPresent();
        return Devk8sException.usage(tool.location() + ": shell.tools: no file " + tool.binary()
                + (afterBuild ? " after the build command of app " + tool.app() + " ran; set binary: to the file "
                        + "it writes (relative to " + ProjectFile.FILE_NAME + ")"
                        : hasCommand ? "" : "; app " + tool.app() + " has no build: command to make it: add one, or "
                                + "build the file first"));
    }
}
