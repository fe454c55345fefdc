package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.DebugPods;
import io.devk8s.adapter.kubernetes.DeleteResult;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.kubernetes.PodExec;
import io.devk8s.adapter.kubernetes.Rollout;
import io.devk8s.config.ProjectFile;
import io.devk8s.console.Console;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code devk8s shell}: a debug pod in the project's namespace, replaced on every run (or reused with
 * {@code --reuse}), and a shell or one command in it over exec. Only a pod devk8s created is ever deleted.
 */
public final class ShellService {
    /** The label that says devk8s created an object. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The component label of the debug pod. */
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String COMPONENT_VALUE = "debugtool";
    public static final String DEFAULT_NAME = "debugtool";
    /** Keeps the pod alive until it is deleted (a day at most, so a forgotten pod goes away). */
    public static final List<String> KEEP_ALIVE = List.of("sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait");
    /** The interactive shell: bash when the image has it, else sh. */
    public static final List<String> LOGIN_SHELL = List.of("sh", "-c",
            "command -v bash >/dev/null && exec bash || exec sh");

    /**
     * @param image   the image to run ({@code --image}); empty: the debug image of the project file
     * @param name    the debug pod's name; null: {@code shell.name} of the project file, else {@value #DEFAULT_NAME}
     * @param reuse   keep a running debug pod of the same image instead of replacing it
     * @param remove  delete the pod when the session ends
     * @param command the command to run; empty: an interactive shell
     * @param dryRun  print the Dockerfile, the image and the pod; build, run and write nothing
     */
    public record Request(ClusterSelection selection, ProjectScope scope, Optional<String> image, String name,
            boolean reuse, boolean remove, List<String> command, Duration timeout, boolean dryRun) {
        public Request {
            command = List.copyOf(command);
        }

        public Request(ClusterSelection selection, ProjectScope scope, Optional<String> image, String name,
                boolean reuse, boolean remove, List<String> command, Duration timeout) {
            this(selection, scope, image, name, reuse, remove, command, timeout, false);
        }
    }

    /** The local side of the session: the process's streams, and whether stdin is a terminal. */
    public record Streams(InputStream in, OutputStream out, OutputStream err, boolean terminal) {
    }

    /** A local terminal in raw mode for an interactive session; closing it restores what it changed. */
    public interface LocalTerminal extends AutoCloseable {
        InputStream input();

        OutputStream output();

        int columns();

        int rows();

        /** Calls {@code listener} with the new size whenever the window changes. */
        void onResize(PodExec.Session listener);

        @Override
        void close();
    }

    /** Runs a command in a pod: {@link PodExec#run}. */
    @FunctionalInterface
    public interface Exec {
        PodExec.Outcome run(String namespace, String pod, List<String> command, boolean tty, InputStream stdin,
                OutputStream stdout, OutputStream stderr, Consumer<PodExec.Session> started)
                throws InterruptedException;
    }

    /** Opens the local terminal; only called for an interactive session. */
    @FunctionalInterface
    public interface TerminalOpener {
        LocalTerminal open(Streams streams);
    }

    private final Console console;
    private final KubeAccess kube;
    private final Function<KubernetesCluster, DebugPods> pods;
    private final Function<KubernetesCluster, Exec> execs;
    private final TerminalOpener terminals;
    private final DebugImageBuilder images;

    /** Without a debug image builder: {@code --image} is then required. */
    public ShellService(Console console, KubeAccess kube, Function<KubernetesCluster, DebugPods> pods,
            Function<KubernetesCluster, Exec> execs, TerminalOpener terminals) {
        this(console, kube, pods, execs, terminals, null);
    }

    /** @param images builds the debug image of devk8s.yaml's {@code shell:} section when there is no {@code --image} */
    public ShellService(Console console, KubeAccess kube, Function<KubernetesCluster, DebugPods> pods,
            Function<KubernetesCluster, Exec> execs, TerminalOpener terminals, DebugImageBuilder images) {
        this.console = console;
        this.kube = kube;
        this.pods = pods;
        this.execs = execs;
        this.terminals = terminals;
        this.images = images;
    }

    public int shell(Request request, Streams streams) throws InterruptedException, IOException {
        Optional<String> imageFlag = request.image().filter(i -> !i.isBlank());
        Optional<ProjectFile> project = request.scope().project();
        if (imageFlag.isEmpty() && (project.isEmpty() || images == null)) {
            throw Devk8sException.usage(project.isEmpty()
                    ? "no " + ProjectFile.FILE_NAME + " here or in any folder above: pass "
                            + "--image IMAGE (e.g. --image alpine:3.20), or run devk8s inside a project"
                    : "--image is missing: pass --image IMAGE (e.g. --image alpine:3.20) to choose the "
                            + "debug pod's image");
        }
        if (!request.dryRun() && !streams.terminal() && request.command().isEmpty()) {
            throw Devk8sException.usage("stdin is not a terminal: pass the command to run after --, "
                    + "e.g. devk8s shell -- ls /");
        }
        String name = request.name() != null ? request.name()
                : project.map(p -> p.shell().name()).orElse(DEFAULT_NAME);
        PinnedContext pinned = kube.pin(request.selection(), request.scope().allowedContexts());
        ContextNotice.announceIfShared(console, pinned);
        KubernetesCluster cluster = kube.cluster(pinned);
        String namespace = request.scope().namespace(pinned);
        DebugPods debugPods = pods.apply(cluster);
        ObjectRef ref = ObjectRef.namespaced("Pod", namespace, name);

        Optional<DebugPods.PodState> existing = debugPods.get(namespace, name);
        if (existing.isPresent() && !"devk8s".equals(existing.get().labels().get(MANAGED_BY))) {
            throw Devk8sException.precondition("pod " + name + " in namespace " + namespace + " was not created by "
                    + "devk8s (no " + MANAGED_BY + "=devk8s label), so devk8s leaves it alone: pass --name OTHER");
        }
        if (imageFlag.isEmpty() && !pinned.reason().isMinikube()) {
            // the debug image is built in Minikube's daemon; another cluster's nodes would not see it there
            throw Devk8sException.usage("the debug image of shell: is built in Minikube's Docker daemon, which the "
                    + "nodes of context " + pinned.contextName() + " do not use: pass --image IMAGE with an image "
                    + "that cluster can pull (for kind: `kind load docker-image IMAGE` first)");
        }
        String image;
        if (imageFlag.isPresent()) {
            image = imageFlag.get();
        } else {
            DebugImageBuilder.Plan plan = images.build(request.selection(), project.orElseThrow(), namespace,
                    request.dryRun());
            image = plan.image();
            if (request.dryRun()) {
                console.data("dockerfile (" + project.get().shell().location() + ", shell:):");
                plan.dockerfile().lines().forEach(l -> console.data("  " + l));
                console.data("image  " + image + "  " + plan.action());
            }
        }
        if (request.dryRun()) {
            console.data("pod    " + namespace + "/" + name + "  image " + image + ", imagePullPolicy IfNotPresent, "
                    + "restartPolicy Never, labels " + labels(request.scope(), image) + "; "
                    + (existing.isEmpty() ? "created" : "replaces the existing one") + ", then "
                    + (request.command().isEmpty() ? String.join(" ", LOGIN_SHELL) : String.join(" ", request.command())));
            return ExitCode.OK;
        }
        boolean reused = request.reuse() && existing.filter(p -> !p.deleting() && "Running".equals(p.phase())
                && image.equals(p.image())).isPresent();
        if (reused) {
            console.info("reusing pod " + name + " (" + image + ") in namespace " + namespace);
        } else {
            if (existing.isPresent()) {
                console.info("replacing pod " + name + " in namespace " + namespace);
                DeleteResult deleted = cluster.delete(List.of(ref), request.timeout());
                if (!deleted.remaining().isEmpty()) {
                    throw Devk8sException.failure("pod " + name + " in namespace " + namespace + " is still there "
                            + "after " + request.timeout().toSeconds() + "s; check it with `kubectl --context "
                            + pinned.contextName() + " -n " + namespace + " describe pod " + name + "`");
                }
            }
            debugPods.create(new DebugPods.PodSpec(namespace, name, image, labels(request.scope(), image),
                    KEEP_ALIVE));
            console.info("starting pod " + name + " (" + image + ") in namespace " + namespace);
            Rollout.Result result = cluster.waitFor(namespace, List.of(ref), request.timeout(), Rollout.Listener.NONE);
            if (!result.ready()) {
                result.diagnoses().forEach(d -> console.error(d.oneLine()));
                if (result.diagnoses().isEmpty()) {
                    console.error("pod " + name + " is not running after " + request.timeout().toSeconds() + "s");
                }
                removeIfAsked(request, cluster, ref);
                return ExitCode.FAILURE;
            }
        }
        try {
            return exec(execs.apply(cluster), namespace, name, request.command(), streams);
        } finally {
            removeIfAsked(request, cluster, ref);
        }
    }

    /** The debug pod's labels: the project's, the component and managed-by. */
    static Map<String, String> labels(ProjectScope scope, String image) {
        Map<String, String> labels = new LinkedHashMap<>();
        scope.project().ifPresent(p -> labels.put(ProjectScope.PROJECT_LABEL, p.project()));
        labels.put(COMPONENT, COMPONENT_VALUE);
        labels.put(MANAGED_BY, "devk8s");
        return labels;
    }

    private int exec(Exec exec, String namespace, String pod, List<String> command, Streams streams)
            throws InterruptedException, IOException {
        PodExec.Outcome outcome;
        if (streams.terminal()) {
            try (LocalTerminal terminal = terminals.open(streams)) {
                List<String> argv = command.isEmpty() ? LOGIN_SHELL : command;
                outcome = exec.run(namespace, pod, argv, true, terminal.input(), terminal.output(),
                        terminal.output(), session -> {
                            session.resize(terminal.columns(), terminal.rows());
                            terminal.onResize(session);
                        });
            }
        } else {
            if (command.isEmpty()) {
                throw Devk8sException.usage("stdin is not a terminal: pass the command to run after --, "
                        + "e.g. devk8s shell -- ls /");
            }
            // the exec protocol cannot signal the end of stdin, so it is read first and its length bounds what the
            // remote command reads: `head -c N | CMD` ends CMD's input exactly where the local input ended
            byte[] input = streams.in().readAllBytes();
            List<String> argv = new ArrayList<>(List.of("sh", "-c", "head -c \"$0\" | \"$@\"",
                    Integer.toString(input.length)));
            argv.addAll(command);
            outcome = exec.run(namespace, pod, argv, false, new ByteArrayInputStream(input), streams.out(),
                    streams.err(), session -> { });
        }
        if (outcome.exitCode().isEmpty()) {
            console.error("the session with pod " + pod + " ended without an exit status: " + outcome.closeReason());
            return ExitCode.FAILURE;
        }
        return outcome.exitCode().get();
    }

    private void removeIfAsked(Request request, KubernetesCluster cluster, ObjectRef ref) {
        if (request.remove()) {
            cluster.delete(List.of(ref), Duration.ZERO);
            console.info("deleted pod " + ref.name());
        }
    }
}
