package io.devk8s.service.dev;

import io.devk8s.Devk8sException;
import io.devk8s.config.AppConfig;
import io.devk8s.config.ProjectFile;
import io.devk8s.console.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The watch loop of {@code devk8s dev}: file changes (from any thread, through {@link #changed(Path)}) that concern
 * an app gather in a {@link ChangeBatcher}; once a batch is due, one round reloads {@code devk8s.yaml}, works out
 * which apps' inputs changed and redeploys those, one after the other, and prints one line. Changes that arrive
 * during a round gather into the next batch, so they make exactly one more round. A failed round prints its error
 * in one line and the loop goes on; a broken {@code devk8s.yaml} prints its error and the loop waits for the next
 * save, remembering the apps that still need a redeploy.
 *
 * <p>Files of an app with a build command that are neither its inputs nor its Dockerfile or manifests may be the
 * command's output (a binary the Dockerfile copies): such a file redeploys only when it differs (size, modification
 * time) from what the app's last round left, so a round does not trigger itself.
 *
 * <p>Time comes from a {@link Ticker}, so tests run the loop on a simulated clock without sleeping.
 */
public final class DevLoop {
    /** The loop's clock and its way of waiting on a monitor. */
    public interface Ticker {
        long nanoTime();

        /** Waits on {@code monitor} (held) until notified or {@code nanos} passed; {@code Long.MAX_VALUE}: no limit. */
        void await(Object monitor, long nanos) throws InterruptedException;

        static Ticker system() {
            return new Ticker() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public void await(Object monitor, long nanos) throws InterruptedException {
                    if (nanos == Long.MAX_VALUE) {
                        monitor.wait();
                    } else if (nanos > 0) {
                        TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
                    }
                }
            };
        }
    }

    /** Reads the project file; throws a {@link Devk8sException} naming the problem when it is broken. */
    public interface Loader {
        ProjectFile load();
    }

    /** Redeploys one app of the project as loaded for this round; throws when the build, apply or rollout fails. */
    public interface Deployer {
        /**
         * @return whether anything changed: an image built, an object created, changed or pruned (false: the round
         *     is reported as "unchanged" for the app)
         */
        boolean deploy(ProjectFile project, String app) throws Exception;
    }

    private record Stamp(long size, long modified) {
    }

    private final Console console;
    private final Ticker ticker;
    private final ChangeBatcher batcher;
    private final Loader loader;
    private final List<String> named;
    private final Deployer deployer;
    private final Consumer<WatchPlan> onPlan;

    private ProjectFile project;
    private WatchPlan plan;
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Map<String, Map<Path, Stamp>> outputs = new HashMap<>();
    private boolean broken;
    private boolean stopped;
    private Thread roundThread;
    private int rounds;

    /**
     * @param project the project as the first deploy loaded it
     * @param named   the apps named on the command line; empty: every app of the file
     * @param onPlan  told the new plan when the folders to watch changed (after a reload)
     */
    public DevLoop(Console console, Ticker ticker, Duration quiet, Duration cap, ProjectFile project,
            List<String> named, Loader loader, Deployer deployer, Consumer<WatchPlan> onPlan) {
        this.console = console;
        this.ticker = ticker;
        this.batcher = new ChangeBatcher(quiet, cap);
        this.loader = loader;
        this.named = List.copyOf(named);
        this.deployer = deployer;
        this.onPlan = onPlan;
        this.project = project;
        this.plan = WatchPlan.of(project, select(project));
        for (String app : plan.appNames()) {
            snapshot(app);
        }
    }

    /** The plan in force: the folders to watch. */
    public synchronized WatchPlan plan() {
        return plan;
    }

    /** How many rounds redeployed at least one app (tests). */
    public synchronized int rounds() {
        return rounds;
    }

    /** A file changed (or was created or deleted); any thread. Files no app depends on are dropped here. */
    public synchronized void changed(Path path) {
        if (stopped) {
            return;
        }
        if (plan.isProjectFile(path) || !plan.triggers(path).isEmpty() || plan.roots().contains(path)) {
            batcher.add(path, ticker.nanoTime());
            notifyAll();
        }
    }

    /** Ends {@link #run()}: at once when waiting, after interrupting the round when one runs. Any thread. */
    public synchronized void stop() {
        stopped = true;
        if (roundThread != null) {
            roundThread.interrupt();
        }
        notifyAll();
    }

    /** Runs rounds until {@link #stop()} (or an interrupt of this thread). */
    public void run() {
        loop(false);
    }

    /** Runs the rounds that are pending, then returns (tests on a simulated clock). */
    public void runUntilIdle() {
        loop(true);
    }

    private void loop(boolean untilIdle) {
        while (true) {
            List<Path> batch;
            synchronized (this) {
                try {
                    while (true) {
                        if (stopped) {
                            return;
                        }
                        long now = ticker.nanoTime();
                        batch = batcher.takeIfDue(now);
                        if (!batch.isEmpty()) {
                            break;
                        }
                        OptionalLong due = batcher.dueAt();
                        if (due.isEmpty() && untilIdle) {
                            return;
                        }
                        ticker.await(this, due.isEmpty() ? Long.MAX_VALUE : Math.max(1, due.getAsLong() - now));
                    }
                } catch (InterruptedException e) {
                    stopped = true;
                    return;
                }
                roundThread = Thread.currentThread();
            }
            try {
                round(batch);
            } finally {
                synchronized (this) {
                    roundThread = null;
                }
                if (Thread.interrupted()) {
                    synchronized (this) {
                        stopped = true;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ one round

    private void round(List<Path> batch) {
        long start = ticker.nanoTime();
        WatchPlan before;
        ProjectFile previous;
        synchronized (this) {
            before = plan;
            previous = project;
        }
        boolean fileChanged = batch.stream().anyMatch(before::isProjectFile);

        ProjectFile fresh;
        List<AppConfig> apps;
        try {
            fresh = loader.load();
            apps = select(fresh);
        } catch (Devk8sException e) {
            for (Path p : batch) {
                dirty.addAll(before.triggers(p).keySet());
            }
            broken = true;
            console.error(firstLine(e.getMessage()) + " (fix it and save: the apps keep running as they are)");
            return;
        }
        WatchPlan after = WatchPlan.of(fresh, apps);

        // which apps: those whose inputs changed, those devk8s.yaml changed, those a broken round left over
        Set<String> todo = new LinkedHashSet<>(dirty);
        List<Path> relevant = new ArrayList<>();
        if (fileChanged || broken) {
            boolean projectWide = !previous.project().equals(fresh.project())
                    || !previous.namespace().equals(fresh.namespace());
            Map<String, AppConfig> old = new HashMap<>();
            previous.apps().forEach(a -> old.put(a.name(), a));
            for (AppConfig a : apps) {
                if (projectWide || !sameConfig(old.get(a.name()), a)) {
                    todo.add(a.name());
                }
            }
        }
        for (Path p : batch) {
            if (after.isProjectFile(p)) {
                relevant.add(p);
                continue;
            }
            Map<String, WatchPlan.Trigger> triggers = new LinkedHashMap<>(before.triggers(p));
            after.triggers(p).forEach(triggers::putIfAbsent);
            boolean counted = false;
            for (Map.Entry<String, WatchPlan.Trigger> t : triggers.entrySet()) {
                String app = t.getKey();
                if (!after.appNames().contains(app)) {
                    continue;
                }
                if (t.getValue() == WatchPlan.Trigger.CONTEXT && after.hasBuildCommand(app) && leftByRound(app, p)) {
                    continue;
                }
                todo.add(app);
                counted = true;
            }
            if (counted || (triggers.isEmpty() && before.roots().contains(p))) {
                if (triggers.isEmpty()) {
                    todo.addAll(after.appNames()); // events were lost below a root: every app may have changed
                }
                relevant.add(p);
            }
        }
        boolean rootsChanged;
        synchronized (this) {
            rootsChanged = !plan.roots().equals(after.roots());
            project = fresh;
            plan = after;
        }
        if (rootsChanged) {
            onPlan.accept(after);
        }
        if ((broken || fileChanged) && todo.isEmpty()) {
            console.success(fresh.dir().relativize(fresh.file()) + " reloaded: no app changed");
        }
        broken = false;
        dirty.clear();
        if (todo.isEmpty()) {
            return;
        }

        // redeploy, app by app in the file's order
        List<String> order = after.appNames().stream().filter(todo::contains).toList();
        List<String> done = new ArrayList<>();
        List<String> same = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (String app : order) {
            if (isStopped()) {
                return;
            }
            try {
                (deployer.deploy(fresh, app) ? done : same).add(app);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Devk8sException e) {
                failed.put(app, firstLine(e.getMessage()));
            } catch (Exception e) {
                failed.put(app, "unexpected error (run with --verbose for the details)");
                console.debug(app + ": " + e);
            }
            snapshot(app);
        }
        if (isStopped()) {
            return;
        }
        synchronized (this) {
            rounds++;
        }
        String took = format(Duration.ofNanos(ticker.nanoTime() - start));
        String what = describe(fresh, relevant.isEmpty() ? batch : relevant);
        List<String> parts = new ArrayList<>();
        if (!done.isEmpty()) {
            parts.add(String.join(", ", done) + " redeployed");
        }
        if (!same.isEmpty()) { // built nothing, changed no object: the same image and manifests
            parts.add(String.join(", ", same) + " unchanged");
        }
        if (failed.isEmpty()) {
            console.success(what + " -> " + String.join("; ", parts) + " in " + took);
        } else {
            failed.forEach((app, why) -> parts.add(app + " failed: " + why));
            console.error(what + " -> " + String.join("; ", parts) + " (after " + took + "; the last good version "
                    + "keeps running)");
        }
    }

    /** 0.4s, 12s, 2m5s. */
    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s") : d.toMillis() < 10_000
                ? String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0) : s + "s";
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    private static String describe(ProjectFile project, List<Path> paths) {
        Path first = paths.get(0).toAbsolutePath().normalize();
        Path dir = project.dir().toAbsolutePath().normalize();
        String name = first.startsWith(dir) && !first.equals(dir) ? dir.relativize(first).toString()
                : first.toString();
        return name + " changed" + (paths.size() > 1 ? " (+" + (paths.size() - 1) + " more)" : "");
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The apps this session deploys: those named, else all of the file; a named one that is gone is an error. */
    private List<AppConfig> select(ProjectFile file) {
        if (named.isEmpty()) {
            return file.apps();
        }
        List<AppConfig> apps = new ArrayList<>();
        for (String name : named) {
            apps.add(file.app(name).orElseThrow(() -> Devk8sException.usage(file.file() + " no longer has app '"
                    + name + "'")));
        }
        return apps;
    }

    /** Equal apart from where in the file the app is written. */
    private static boolean sameConfig(AppConfig a, AppConfig b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(relocated(a), relocated(b));
    }

    private static AppConfig relocated(AppConfig a) {
        return new AppConfig(a.name(), a.image(), a.context(), a.dockerfile(), a.buildArgs(), a.target(), a.build(),
                a.manifestGlobs(), a.manifests(), a.kind(), a.port(), a.ingress(), a.env(), "");
    }

    // ------------------------------------------------------------------------- what an app's round left behind

    /** Records the context files of an app with a build command as its round left them. */
    private void snapshot(String app) {
        WatchPlan current;
        synchronized (this) {
            current = plan;
        }
        if (!current.hasBuildCommand(app)) {
            return;
        }
        Map<Path, Stamp> stamps = new HashMap<>();
        for (Path file : current.contextFiles(app)) {
            stamp(file).ifPresent(s -> stamps.put(file, s));
        }
        outputs.put(app, stamps);
    }

    private boolean leftByRound(String app, Path path) {
        Map<Path, Stamp> stamps = outputs.get(app);
        if (stamps == null) {
            return false;
        }
        Path p = path.toAbsolutePath().normalize();
        return Objects.equals(stamps.get(p), stamp(p).orElse(null));
    }

    private static Optional<Stamp> stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.isRegularFile() ? Optional.of(new Stamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS)))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
