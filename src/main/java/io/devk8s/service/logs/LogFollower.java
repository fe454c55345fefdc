package io.devk8s.service.logs;

import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.LabelSelector;
import io.devk8s.adapter.kubernetes.LogSource;
import io.devk8s.console.Console;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The log streams of the pods a selector picks, like stern: one stream per (pod, container, container id), so a
 * restarted container or a replaced pod gets a stream of its own and an old one ends. Lines go through one
 * {@link LogPrinter}. Every stream is read with the API server's timestamps: a dropped stream is reopened (with
 * growing back-off) from the time of its last line, and lines not newer than that line are dropped, so nothing is
 * printed twice. At most {@link #MAX_STREAMS} streams are open at once; further ones wait for a free slot.
 */
public final class LogFollower implements AutoCloseable {
    /** The most log streams open at once. */
    public static final int MAX_STREAMS = 50;

    /** One stream: a container instance of a pod. */
    record Key(String pod, String container, String containerId) {
    }

    /** What to print: follow or not, {@code --since}, {@code --tail}, {@code --timestamps}. */
    public record Options(boolean follow, Optional<Duration> since, Optional<Integer> tail, boolean timestamps) {
    }

    private final LogSource source;
    private final String namespace;
    private final LabelSelector selector;
    private final Options options;
    private final Console console;
    private final LogPrinter printer;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final int maxStreams;

    private final Map<Key, Thread> active = new LinkedHashMap<>();
    private final Map<Key, InputStream> open = new HashMap<>();
    private final Deque<Key> waiting = new ArrayDeque<>();
    /** The keys each pod currently has, with whether the container is running (from the latest pod event). */
    private final Map<String, Map<Key, Boolean>> current = new HashMap<>();
    private final Set<Key> seen = new HashSet<>();
    private boolean closed;
    private boolean capWarned;

    public LogFollower(LogSource source, String namespace, LabelSelector selector, Options options, Console console) {
        this(source, namespace, selector, options, console, Duration.ofSeconds(1), Duration.ofSeconds(30),
                MAX_STREAMS);
    }

    LogFollower(LogSource source, String namespace, LabelSelector selector, Options options, Console console,
                Duration firstBackoff, Duration maxBackoff, int maxStreams) {
        this.source = source;
        this.namespace = namespace;
        this.selector = selector;
        this.options = options;
        this.console = console;
        this.printer = new LogPrinter(console);
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.maxStreams = maxStreams;
    }

    /**
     * Without follow: prints the log of every started container of every current pod, pod by pod, and returns 0
     * (1 when a log could not be read). With follow: watches the pods and streams until {@link #close()}, then
     * returns 0.
     */
    public int run() throws InterruptedException {
        if (!options.follow()) {
            return printOnce();
        }
        console.info("following the pods with labels " + selector + " in namespace " + namespace
                + " (Ctrl-C to stop)");
        try (AutoCloseable watch = source.watch(namespace, selector, new Listener())) {
            synchronized (this) {
                while (!closed) {
                    wait();
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            console.debug("closing the pod watch: " + e);
        }
        awaitStreams(Duration.ofSeconds(2));
        return ExitCode.OK;
    }

    private int printOnce() {
        List<LogSource.Pod> pods = source.pods(namespace, selector);
        if (pods.isEmpty()) {
            console.warn("no pods with labels " + selector + " in namespace " + namespace);
            return ExitCode.OK;
        }
        int code = ExitCode.OK;
        for (LogSource.Pod pod : pods) {
            for (LogSource.Container c : pod.containers()) {
                if (!c.started()) {
                    continue;
                }
                Key key = new Key(pod.name(), c.name(), c.containerId());
                try (InputStream in = source.open(namespace, key.pod(), key.container(), firstRequest(false))) {
                    copy(key, in, null);
                } catch (IOException e) {
                    console.warn(key.pod() + "/" + key.container() + ": cannot read the log: " + e.getMessage());
                    code = ExitCode.FAILURE;
                }
            }
        }
        return code;
    }

    /** Ends the watch and every stream; {@link #run()} then returns. Safe to call more than once, from any thread. */
    @Override
    public void close() {
        List<InputStream> streams;
        List<Thread> threads;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            waiting.clear();
            streams = new ArrayList<>(open.values());
            threads = new ArrayList<>(active.values());
            notifyAll();
        }
        threads.forEach(Thread::interrupt);
        for (InputStream in : streams) {
            try {
                in.close();
            } catch (IOException | RuntimeException e) {
                console.debug("closing a log stream: " + e);
            }
        }
    }

    /** The streams open now (tests). */
    synchronized Set<Key> activeStreams() {
        return Set.copyOf(active.keySet());
    }

    /** The streams waiting for a free slot (tests). */
    synchronized List<Key> waitingStreams() {
        return List.copyOf(waiting);
    }

    private void awaitStreams(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : snapshotThreads()) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, left / 1_000_000));
            }
        }
    }

    private synchronized List<Thread> snapshotThreads() {
        return new ArrayList<>(active.values());
    }

    // ------------------------------------------------------------------------------------ pod bookkeeping

    private final class Listener implements LogSource.PodListener {
        @Override
        public void pod(LogSource.Pod pod) {
            List<InputStream> replaced = new ArrayList<>();
            synchronized (LogFollower.this) {
                if (closed) {
                    return;
                }
                Map<Key, Boolean> keys = new LinkedHashMap<>();
                for (LogSource.Container c : pod.containers()) {
                    if (c.started()) {
                        keys.put(new Key(pod.name(), c.name(), c.containerId()), c.running());
                    }
                }
                current.put(pod.name(), keys);
                waiting.removeIf(k -> k.pod().equals(pod.name()) && !keys.containsKey(k));
                // a container the pod no longer lists (restarted under a new id): its stream has nothing more to say
                open.forEach((k, in) -> {
                    if (k.pod().equals(pod.name()) && !keys.containsKey(k)) {
                        replaced.add(in);
                    }
                });
                for (Key key : keys.keySet()) {
                    if (seen.add(key)) {
                        startOrQueue(key);
                    }
                }
            }
            for (InputStream in : replaced) {
                try {
                    in.close();
                } catch (IOException | RuntimeException e) {
                    console.debug("closing the log stream of a replaced container of " + pod.name() + ": " + e);
                }
            }
        }

        @Override
        public void podGone(String name) {
            List<InputStream> streams = new ArrayList<>();
            synchronized (LogFollower.this) {
                current.remove(name);
                waiting.removeIf(k -> k.pod().equals(name));
                open.forEach((k, in) -> {
                    if (k.pod().equals(name)) {
                        streams.add(in);
                    }
                });
            }
            for (InputStream in : streams) {
                try {
                    in.close();
                } catch (IOException | RuntimeException e) {
                    console.debug("closing a log stream of " + name + ": " + e);
                }
            }
        }
    }

    private void startOrQueue(Key key) {
        if (active.size() >= maxStreams) {
            waiting.add(key);
            if (!capWarned) {
                capWarned = true;
                console.warn(maxStreams + " log streams are open, the most devk8s follows at once: "
                        + key.pod() + "/" + key.container() + " and later ones wait for a stream to end;"
                        + " narrow the pods with APP or --selector");
            }
            return;
        }
        Thread thread = new Thread(() -> stream(key), "logs " + key.pod() + "/" + key.container());
        thread.setDaemon(true);
        active.put(key, thread);
        thread.start();
    }

    /** Whether the stream of {@code key} should be reopened: the pod still has this container and it runs. */
    private synchronized boolean wanted(Key key) {
        if (closed) {
            return false;
        }
        Map<Key, Boolean> keys = current.get(key.pod());
        return keys != null && Boolean.TRUE.equals(keys.get(key));
    }

    private synchronized boolean isCurrent(Key key) {
        Map<Key, Boolean> keys = current.get(key.pod());
        return !closed && keys != null && keys.containsKey(key);
    }

    // ------------------------------------------------------------------------------------ one stream

    private void stream(Key key) {
        Instant[] last = {null};
        Duration backoff = firstBackoff;
        try {
            while (isCurrent(key)) {
                LogSource.Request request = last[0] == null ? firstRequest(true)
                        : new LogSource.Request(true, Optional.of(last[0]), Optional.empty(), Optional.empty());
                boolean progressed = false;
                try (InputStream in = source.open(namespace, key.pod(), key.container(), request)) {
                    if (!register(key, in)) {
                        return;
                    }
                    Instant before = last[0];
                    copy(key, in, last);
                    progressed = !java.util.Objects.equals(before, last[0]);
                } catch (IOException | RuntimeException e) {
                    if (!isCurrent(key)) {
                        return;
                    }
                    console.debug(key.pod() + "/" + key.container() + ": log stream dropped: " + e.getMessage());
                } finally {
                    unregister(key);
                }
                if (!wanted(key)) {
                    // the container ended (or the pod went away): give a late status update one back-off to arrive
                    Thread.sleep(backoff.toMillis());
                    if (!wanted(key)) {
                        return;
                    }
                }
                backoff = progressed ? firstBackoff : min(backoff.multipliedBy(2), maxBackoff);
                Thread.sleep(backoff.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished(key);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private synchronized boolean register(Key key, InputStream in) throws IOException {
        if (closed) {
            in.close();
            return false;
        }
        open.put(key, in);
        return true;
    }

    private synchronized void unregister(Key key) {
        open.remove(key);
    }

    private synchronized void finished(Key key) {
        active.remove(key);
        open.remove(key);
        while (!closed && !waiting.isEmpty() && active.size() < maxStreams) {
            Key next = waiting.poll();
            if (isCurrent(next)) {
                startOrQueue(next);
            }
        }
    }

    private LogSource.Request firstRequest(boolean follow) {
        return new LogSource.Request(follow, Optional.empty(), options.since().map(d -> Math.max(1L, d.getSeconds())),
                options.tail());
    }

    /**
     * Prints the lines of {@code in}. With {@code last}, lines whose timestamp is not after {@code last[0]} were
     * printed before (the stream was reopened from that time) and are dropped; {@code last[0]} follows the newest
     * line printed.
     */
    private void copy(Key key, InputStream in, Instant[] last) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            int space = line.indexOf(' ');
            Instant at = null;
            if (space > 0) {
                try {
                    at = Instant.parse(line.substring(0, space));
                } catch (DateTimeParseException e) {
                    at = null;
                }
            }
            if (at != null && last != null && last[0] != null && !at.isAfter(last[0])) {
                continue;
            }
            String text = at == null || options.timestamps() ? line : line.substring(space + 1);
            printer.line(key.pod(), key.container(), text);
            if (at != null && last != null) {
                last[0] = at;
            }
        }
    }
}
