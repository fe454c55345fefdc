package io.devk8s.service.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.LabelSelector;
import io.devk8s.adapter.kubernetes.LogSource;
import io.devk8s.console.Console;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream handling of {@code devk8s logs} against a fake {@link LogSource}: each test scripts the pods, their
 * events and what each log request returns, and checks what is printed and what is asked for.
 */
class LogFollowerTest {
    private static final LabelSelector SELECTOR = LabelSelector.parse("appgroup=demo,app=web");
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Console console = Console.plain(new PrintWriter(out), new PrintWriter(err));
    private final FakeSource source = new FakeSource();
    private LogFollower follower;
    private Thread runner;

    @AfterEach
    void stop() throws InterruptedException {
        if (follower != null) {
            follower.close();
        }
        if (runner != null) {
            runner.join(5000);
        }
    }

    /** One scripted answer to a log request: lines, then either the end of the stream or a failure. */
    record Answer(List<String> lines, boolean hold, IOException failure) {
    }

    record Opened(String pod, String container, LogSource.Request request) {
    }

    static final class FakeSource implements LogSource {
        final List<LogSource.Pod> pods = new CopyOnWriteArrayList<>();
        final Map<String, BlockingQueue<Answer>> answers = new ConcurrentHashMap<>();
        final List<Opened> opened = new CopyOnWriteArrayList<>();
        volatile PodListener listener;
        volatile boolean watchClosed;

        void answer(String pod, String container, Answer answer) {
            answers.computeIfAbsent(pod + "/" + container, k -> new LinkedBlockingQueue<>()).add(answer);
        }

        @Override
        public List<LogSource.Pod> pods(String namespace, LabelSelector selector) {
            return List.copyOf(pods);
        }

        @Override
        public AutoCloseable watch(String namespace, LabelSelector selector, PodListener listener) {
            this.listener = listener;
            pods.forEach(listener::pod);
            return () -> watchClosed = true;
        }

        @Override
        public InputStream open(String namespace, String pod, String container, Request request) throws IOException {
            opened.add(new Opened(pod, container, request));
            Answer answer;
            try {
                answer = answers.computeIfAbsent(pod + "/" + container, k -> new LinkedBlockingQueue<>())
                        .poll(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IOException("interrupted");
            }
            if (answer == null) {
                answer = new Answer(List.of(), true, null);
            }
            String text = answer.lines().isEmpty() ? "" : String.join("\n", answer.lines()) + "\n";
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (answer.failure() != null) {
                IOException failure = answer.failure();
                return new InputStream() { // the lines, then the connection drops
                    final ByteArrayInputStream in = new ByteArrayInputStream(bytes);

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b < 0) {
                            throw failure;
                        }
                        return b;
                    }
                };
            }
            if (!answer.hold()) {
                return new ByteArrayInputStream(bytes);
            }
            return new HeldStream(bytes);
        }
    }

    /** The lines, then open until closed, as a followed log stream is; closing from another thread ends a read. */
    static final class HeldStream extends InputStream {
        private final ByteArrayInputStream lines;
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        HeldStream(byte[] bytes) {
            this.lines = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = lines.read(b, off, len);
            if (n > 0) {
                return n;
            }
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            throw new IOException("stream closed");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private static LogSource.Pod pod(String name, String... containerIds) {
        List<LogSource.Container> cs = new ArrayList<>();
        for (int i = 0; i < containerIds.length; i++) {
            cs.add(new LogSource.Container(i == 0 ? "app" : "side" + i, containerIds[i], true));
        }
        return new LogSource.Pod(name, cs);
    }

    private static String at(int second, String text) {
        return T0.plusSeconds(second) + " " + text;
    }

    private static LogFollower.Options follow() {
        return new LogFollower.Options(true, Optional.empty(), Optional.empty(), false);
    }

    private void startFollowing(int maxStreams) {
        follower = new LogFollower(source, "demo", SELECTOR, follow(), console, Duration.ofMillis(10),
                Duration.ofMillis(40), maxStreams);
        runner = new Thread(() -> {
            try {
                follower.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runner.start();
    }

    private List<String> outLines() {
        synchronized (out) {
            return out.toString().lines().toList();
        }
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void should_prefix_two_pods_long_lines_written_concurrently_and_never_interleave_them() throws Exception {
        String a = "a".repeat(20_000);
        String b = "b".repeat(20_000);
        List<String> linesA = new ArrayList<>();
        List<String> linesB = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            linesA.add(at(i, i + a));
            linesB.add(at(i, i + b));
        }
        source.pods.add(pod("web-1", "c1"));
        source.pods.add(pod("web-2", "c2"));
        source.answer("web-1", "app", new Answer(linesA, true, null));
        source.answer("web-2", "app", new Answer(linesB, true, null));

        startFollowing(50);
        eventually(() -> outLines().size() >= 400, "400 lines");

        List<String> lines = outLines();
        assertEquals(400, lines.size());
        int fromA = 0;
        int fromB = 0;
        for (String line : lines) {
            if (line.startsWith("web-1/app ")) {
                assertTrue(line.matches("web-1/app \\d+a{20000}"), "a whole line of web-1: " + line.substring(0, 40));
                fromA++;
            } else {
                assertTrue(line.matches("web-2/app \\d+b{20000}"), "a whole line of web-2: " + line.substring(0, 40));
                fromB++;
            }
        }
        assertEquals(200, fromA);
        assertEquals(200, fromB);
        assertEquals("0" + a, lines.stream().filter(l -> l.startsWith("web-1/")).findFirst().orElseThrow()
                .substring("web-1/app ".length()), "timestamps are stripped without --timestamps");
    }

    @Test
    void should_pick_up_the_pod_that_replaces_a_deleted_one_and_end_the_old_stream() throws Exception {
        source.pods.add(pod("web-old", "c1"));
        source.answer("web-old", "app", new Answer(List.of(at(1, "old says hi")), true, null));
        source.answer("web-new", "app", new Answer(List.of(at(5, "new says hi")), true, null));

        startFollowing(50);
        eventually(() -> outLines().contains("web-old/app old says hi"), "the old pod's line");

        source.listener.pod(new LogSource.Pod("web-new", List.of(new LogSource.Container("app", "", false))));
        assertEquals(1, source.opened.size(), "a container that has not started yet has no log to open");
        source.listener.pod(pod("web-new", "c9"));
        source.listener.podGone("web-old");

        eventually(() -> outLines().contains("web-new/app new says hi"), "the new pod's line");
        eventually(() -> follower.activeStreams().equals(
                java.util.Set.of(new LogFollower.Key("web-new", "app", "c9"))), "only the new pod's stream is open");
        assertEquals(List.of("web-old/app old says hi", "web-new/app new says hi"), outLines());
        assertEquals(List.of("web-old", "web-new"), source.opened.stream().map(Opened::pod).toList(),
                "the deleted pod's stream is not reopened");
    }

    @Test
    void should_resume_a_dropped_stream_from_its_last_line_without_printing_a_line_twice() throws Exception {
        source.pods.add(pod("web-1", "c1"));
        source.answer("web-1", "app", new Answer(List.of(at(1, "one"), at(2, "two")), false,
                new IOException("connection reset")));
        // the API server answers sinceTime with whole seconds: it sends line two again, then the new ones
        source.answer("web-1", "app", new Answer(List.of(at(2, "two"), at(3, "three")), false,
                new IOException("connection reset")));
        source.answer("web-1", "app", new Answer(List.of(at(3, "three"), at(4, "four")), true, null));

        startFollowing(50);
        eventually(() -> outLines().contains("web-1/app four"), "line four");

        assertEquals(List.of("web-1/app one", "web-1/app two", "web-1/app three", "web-1/app four"), outLines());
        assertEquals(3, source.opened.size());
        assertEquals(Optional.empty(), source.opened.get(0).request().sinceTime());
        assertEquals(Optional.of(T0.plusSeconds(2)), source.opened.get(1).request().sinceTime());
        assertEquals(Optional.of(T0.plusSeconds(3)), source.opened.get(2).request().sinceTime());
        assertTrue(source.opened.stream().allMatch(o -> o.request().follow()));
    }

    @Test
    void should_give_a_restarted_container_a_stream_of_its_own() throws Exception {
        source.pods.add(pod("web-1", "c1"));
        source.answer("web-1", "app", new Answer(List.of(at(1, "first run")), false, null));
        source.answer("web-1", "app", new Answer(List.of(at(9, "second run")), true, null));

        startFollowing(50);
        eventually(() -> outLines().contains("web-1/app first run"), "the first run");
        source.listener.pod(new LogSource.Pod("web-1", List.of(new LogSource.Container("app", "c1", false))));
        source.listener.pod(pod("web-1", "c2"));

        eventually(() -> outLines().contains("web-1/app second run"), "the second run");
        eventually(() -> follower.activeStreams().equals(java.util.Set.of(new LogFollower.Key("web-1", "app", "c2"))),
                "only the new container's stream");
        assertEquals(List.of("web-1/app first run", "web-1/app second run"), outLines());
    }

    @Test
    void should_open_at_most_the_cap_and_say_so_then_start_a_waiting_stream_when_one_ends() throws Exception {
        for (int i = 0; i < 3; i++) {
            source.pods.add(pod("web-" + i, "c" + i));
            source.answer("web-" + i, "app", new Answer(List.of(at(i, "hello from " + i)), true, null));
        }

        startFollowing(2);
        eventually(() -> outLines().size() == 2, "two streams' lines");
        assertEquals(2, follower.activeStreams().size());
        assertEquals(List.of(new LogFollower.Key("web-2", "app", "c2")), follower.waitingStreams());
        assertTrue(err.toString().contains("2 log streams are open, the most devk8s follows at once: web-2/app"),
                err.toString());

        source.listener.podGone("web-0");

        eventually(() -> outLines().contains("web-2/app hello from 2"), "the waiting stream");
        assertEquals(List.of(), follower.waitingStreams());
    }

    @Test
    void should_end_cleanly_when_closed_with_the_watch_and_streams_closed() throws Exception {
        source.pods.add(pod("web-1", "c1"));
        source.answer("web-1", "app", new Answer(List.of(at(1, "hi")), true, null));
        int[] code = {-1};
        follower = new LogFollower(source, "demo", SELECTOR, follow(), console, Duration.ofMillis(10),
                Duration.ofMillis(40), 50);
        runner = new Thread(() -> {
            try {
                code[0] = follower.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runner.start();
        eventually(() -> outLines().contains("web-1/app hi"), "the line");

        follower.close();
        runner.join(5000);

        assertEquals(ExitCode.OK, code[0]);
        assertTrue(source.watchClosed);
        assertEquals(java.util.Set.of(), follower.activeStreams());
    }

    @Test
    void should_print_what_exists_without_follow_with_since_tail_and_timestamps_and_return() throws Exception {
        source.pods.add(pod("web-1", "c1", "c2"));
        source.pods.add(new LogSource.Pod("web-2", List.of(new LogSource.Container("app", "", false))));
        source.answer("web-1", "app", new Answer(List.of(at(1, "a1"), at(2, "a2")), false, null));
        source.answer("web-1", "side1", new Answer(List.of(at(1, "s1")), false, null));
        follower = new LogFollower(source, "demo", SELECTOR, new LogFollower.Options(false,
                Optional.of(Duration.ofMinutes(10)), Optional.of(5), true), console);

        assertEquals(ExitCode.OK, follower.run());

        assertEquals(List.of("web-1/app " + at(1, "a1"), "web-1/app " + at(2, "a2"), "web-1/side1 " + at(1, "s1")),
                outLines());
        assertEquals(2, source.opened.size(), "the pod whose container never started has no log");
        LogSource.Request r = source.opened.get(0).request();
        assertEquals(new LogSource.Request(false, Optional.empty(), Optional.of(600L), Optional.of(5)), r);
        assertEquals(null, source.listener, "no watch without follow");
    }
}
