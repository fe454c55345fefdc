package io.devk8s.service.dev;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.fs.FileWatcher;
import io.devk8s.config.AppConfig;
import io.devk8s.config.ProjectFile;
import io.devk8s.config.ProjectFileLoader;
import io.devk8s.console.Console;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.DeployService;
import io.devk8s.service.HostsStep;
import io.devk8s.service.ProjectScope;
import io.devk8s.service.TeardownService;
import io.devk8s.service.WaitPolicy;
import io.devk8s.service.logs.LogFollower;
import io.devk8s.service.logs.LogsService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code devk8s dev [APP...]}: deploys the apps as {@code deploy} does, then follows their logs and watches their
 * inputs ({@link WatchPlan}); a {@link DevLoop} redeploys only the apps whose inputs changed, one line per round,
 * until stopped (Ctrl-C). With {@code cleanup}, the apps' objects are torn down on the way out.
 */
public final class DevService {
    /** The debounce: a batch is due after this long without a change... */
    public static final Duration QUIET = Duration.ofMillis(300);
    /** ...or this long after its first change. */
    public static final Duration CAP = Duration.ofSeconds(10);

    /**
     * What {@code devk8s dev} was asked to do.
     *
     * @param namespaceFlag {@code -n}, kept for each reload of the project file
     * @param poll          {@code --poll}: walk the folders at this interval instead of native watching
     * @param cleanup       {@code --cleanup}: tear the apps down on exit
     */
    public record Request(ClusterSelection cluster, ProjectScope scope, Optional<String> namespaceFlag,
            List<String> apps, Map<String, String> buildArgs, WaitPolicy waitPolicy, HostsStep hosts,
            Optional<Duration> poll, boolean cleanup) {
        public Request {
            apps = List.copyOf(apps);
            buildArgs = Map.copyOf(buildArgs);
        }
    }

    /** A {@link DeployService} for a project scope; {@code quiet}: only warnings and errors (the rounds). */
    public interface Deployments {
        DeployService forScope(ProjectScope scope, boolean quiet);
    }

    private final Console console;
    private final Deployments deployments;
    private final LogsService logs;
    private final TeardownService teardown;

    public DevService(Console console, Deployments deployments, LogsService logs, TeardownService teardown) {
        this.console = console;
        this.deployments = deployments;
        this.logs = logs;
        this.teardown = teardown;
    }

    /**
     * Deploys, then watches until stopped; returns 0 then. {@code onStop} is handed what stops the loop (the CLI ties
     * it to Ctrl-C). Bad input and a missing precondition end it at once (exit 2 or 3); a failed first build or
     * apply is shown and the watch starts anyway, so the next save can fix it.
     */
    public int run(Request request, Consumer<Runnable> onStop) throws Exception {
        ProjectFile project = request.scope().requireProject(null);
        List<AppConfig> apps = request.scope().apps(request.apps());
        if (apps.isEmpty()) {
            throw Devk8sException.usage(project.file() + " defines no apps: add one under apps:");
        }
        LogsService.Request logsRequest = new LogsService.Request(request.cluster(), request.scope(), request.apps(),
                Optional.empty(), new LogFollower.Options(true, Optional.of(Duration.ofSeconds(10)), Optional.empty(),
                false));
        LogsService.selector(logsRequest);

        // 1. the first deploy, as `devk8s deploy` does it
        try {
            int code = deployments.forScope(request.scope(), false).deploy(deployRequest(request, request.apps()));
            if (code != ExitCode.OK) {
                console.warn("the first deploy did not finish (see above); watching for changes anyway");
            }
        } catch (Devk8sException e) {
            if (e.exitCode() != ExitCode.FAILURE) {
                throw e;
            }
            console.error(e.getMessage());
            console.warn("the first deploy failed; watching for changes: save a fix to redeploy");
        }

        // 2. the loop, the watcher and the logs
        Path file = project.file();
        DevLoop[] loopRef = new DevLoop[1];
        Watch watch = new Watch(request.poll());
        DevLoop loop = new DevLoop(console, DevLoop.Ticker.system(), QUIET, CAP, project, request.apps(),
                () -> new ProjectFileLoader().load(file),
                (fresh, app) -> {
                    DeployService deploy = deployments.forScope(ProjectScope.of(Optional.of(fresh),
                            request.namespaceFlag()), true);
                    int code = deploy.deploy(deployRequest(request, List.of(app)));
                    if (code != ExitCode.OK) {
                        throw Devk8sException.failure("deployed, but the hosts step was not done");
                    }
                    return deploy.changed(app);
                },
                plan -> watch.start(plan.roots(), path -> loopRef[0].changed(path)));
        loopRef[0] = loop;
        LogFollower follower = null;
        Thread followerThread = null;
        try {
            watch.start(loop.plan().roots(), loop::changed);
            try {
                follower = logs.prepare(logsRequest);
                LogFollower f = follower;
                followerThread = new Thread(() -> {
                    try {
                        f.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        console.warn("the logs stopped: " + e.getMessage());
                    }
                }, "devk8s dev logs");
                followerThread.setDaemon(true);
                followerThread.start();
            } catch (Devk8sException e) {
                console.warn("no logs: " + e.getMessage());
            }
            console.info("watching " + String.join(", ", loop.plan().appNames()) + (request.poll().isPresent()
                    ? " (polling every " + DevLoop.format(request.poll().get()) + ")" : "")
                    + " for changes; Ctrl-C to stop");
            onStop.accept(loop::stop);
            loop.run();
        } finally {
            Thread.interrupted(); // a Ctrl-C (or interrupt) that ended a round must not break the clean-up too
            watch.close();
            if (follower != null) {
                follower.close();
            }
            if (followerThread != null) {
                followerThread.join(2000);
            }
        }
        console.info("stopped watching");
        if (request.cleanup()) {
            return teardown.teardown(new TeardownService.Request(request.cluster(), request.scope(),
                    Optional.of(LogsService.selector(logsRequest).toString()), false, false, false, false, true,
                    request.waitPolicy().timeout(), request.hosts()));
        }
        return ExitCode.OK;
    }

    private static DeployService.Request deployRequest(Request request, List<String> apps) {
        return new DeployService.Request(request.cluster(), apps, true, Optional.empty(), request.buildArgs(),
                request.waitPolicy(), request.hosts(), false);
    }

    /** The file watcher in force; replaced when the folders to watch change. */
    private static final class Watch implements AutoCloseable {
        private final Optional<Duration> poll;
        private FileWatcher current;

        Watch(Optional<Duration> poll) {
            this.poll = poll;
        }

        synchronized void start(List<Path> roots, Consumer<Path> onChange) {
            close();
            current = poll.isPresent() ? FileWatcher.polling(roots, poll.get(), onChange)
                    : FileWatcher.nativeWatcher(roots, onChange);
        }

        @Override
        public synchronized void close() {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
