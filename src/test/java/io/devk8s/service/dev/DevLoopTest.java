package io.devk8s.service.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.config.ProjectFile;
import io.devk8s.config.ProjectFileLoader;
import io.devk8s.console.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch loop on a simulated clock: changes are fed in as the watcher would, waits advance the clock instead of
 * sleeping, and the deploys are recorded (the real deploy is covered by DevCommandIT).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DevLoopTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private final SimulatedTicker ticker = new SimulatedTicker();
    private final StringWriter err = new StringWriter();
    private final List<Deploy> deploys = new ArrayList<>();
    private final List<List<Path>> replans = new ArrayList<>();
    private DuringDeploy during = (project, app) -> { };
    private DevLoop loop;

    record Deploy(String app, long at) {
    }

    interface DuringDeploy {
        void run(ProjectFile project, String app) throws Exception;
    }

    /** A clock that jumps forward when the loop waits; an optional hook feeds changes while it waits. */
    static final class SimulatedTicker implements DevLoop.Ticker {
        long now;
        Runnable onWait = () -> { };
        long step = Long.MAX_VALUE;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void await(Object monitor, long nanos) {
            if (nanos == Long.MAX_VALUE) {
                throw new AssertionError("the loop waits for ever although it was to run until idle");
            }
            now += Math.min(nanos, step);
            onWait.run();
        }

        void advance(long ms) {
            now += ms * MS;
        }
    }

    @BeforeEach
    void project() throws Exception {
        write("devk8s.yaml", """
                project: demo
                apps:
                  - name: web
                    image: web
                    context: web
                    manifests: [deploy/web*.yaml]
                    env: {GREETING: hello}
                  - name: api
                    image: api
                    context: api
                    build:
                      command: go build -o out/api .
                      dir: api
                      inputs: ["**/*.go", go.mod]
                    manifests: [deploy/api.yaml]
                """);
        write("web/Dockerfile", "FROM scratch\nCOPY . /srv\n");
        write("web/.dockerignore", "*.log\ntmp/\n");
        write("web/index.html", "<p>hi</p>\n");
        write("web/app.css", "p {}\n");
        write("api/Dockerfile", "FROM scratch\nCOPY out/api /api\n");
        write("api/.dockerignore", "*\n!out/api\n");
        write("api/main.go", "package main\n");
        write("api/go.mod", "module api\n");
        write("api/README.md", "the api\n");
        write("api/out/api", "binary v1");
        write("deploy/web.yaml", "kind: Deployment\n");
        write("deploy/api.yaml", "kind: Deployment\n");
        loop = newLoop(List.of());
    }

    private DevLoop newLoop(List<String> apps) {
        Console console = Console.plain(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        ProjectFile file = load();
        return new DevLoop(console, ticker, Duration.ofMillis(300), Duration.ofSeconds(10), file, apps,
                this::load, (project, app) -> {
                    deploys.add(new Deploy(app, ticker.now));
                    during.run(project, app);
                    return !unchanged.contains(app);
                }, plan -> replans.add(plan.roots()));
    }

    /** Apps whose deploy finds the same image and manifests. */
    private final java.util.Set<String> unchanged = new java.util.HashSet<>();

    private ProjectFile load() {
        return new ProjectFileLoader().load(dir.resolve("devk8s.yaml"));
    }

    private Path write(String rel, String text) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private List<String> roundLines() {
        return err.toString().lines().filter(l -> l.contains(" changed")).toList();
    }

    @Test
    void should_say_unchanged_for_an_app_whose_deploy_built_nothing_and_changed_no_object() throws Exception {
        unchanged.add("api");
        loop.changed(write("api/out/api", "binary v2"));
        loop.changed(write("web/index.html", "<p>3</p>"));
        loop.runUntilIdle();
        List<String> lines = roundLines();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).matches("✓ .* -> web redeployed; api unchanged in \\d+\\.\\ds"), lines.get(0));

        loop.changed(write("web/index.html", "<p>4</p>"));
        unchanged.add("web");
        loop.runUntilIdle();
        assertTrue(roundLines().get(1).matches("✓ web/index\\.html changed -> web unchanged in \\d+\\.\\ds"),
                roundLines().get(1));
    }

    @Test
    void should_make_one_round_of_a_burst_of_saves_once_300ms_passed_without_a_change() throws Exception {
        loop.changed(write("web/index.html", "<p>1</p>"));
        ticker.advance(100);
        loop.changed(write("web/app.css", "p {color: red}"));
        ticker.advance(150);
        loop.changed(write("web/index.html", "<p>2</p>"));

        loop.runUntilIdle();

        assertEquals(List.of(new Deploy("web", 550 * MS)), deploys);
        assertEquals(1, loop.rounds());
        List<String> lines = roundLines();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).matches("✓ web/index\\.html changed \\(\\+1 more\\) -> web redeployed in \\d+\\.\\ds"),
                lines.get(0));
    }

    @Test
    void should_redeploy_10s_after_the_first_change_when_a_file_changes_without_pause() throws Exception {
        Path css = dir.resolve("web/app.css");
        ticker.step = 200 * MS;
        ticker.onWait = () -> {
            if (ticker.now < 12_000 * MS) {
                loop.changed(css);
            }
        };
        loop.changed(css);

        loop.runUntilIdle();

        // the cap: the round starts 10s after the first change although the file kept changing every 200ms
        assertEquals(List.of(new Deploy("web", 10_000 * MS)), deploys);
        assertEquals(1, loop.rounds());
    }

    @Test
    void should_queue_exactly_one_more_round_for_changes_during_a_build() throws Exception {
        Path html = dir.resolve("web/index.html");
        Path go = dir.resolve("api/main.go");
        during = (project, app) -> {
            if (deploys.size() == 1) {
                for (int i = 0; i < 5; i++) { // five saves while the build runs for 2.5 s
                    ticker.advance(500);
                    loop.changed(i % 2 == 0 ? html : go);
                }
            }
        };
        loop.changed(html);

        loop.runUntilIdle();

        assertEquals(List.of("web", "web", "api"), deploys.stream().map(Deploy::app).toList());
        assertEquals(2, loop.rounds());
        // the second round starts 300ms after the last save during the build (at 2.8s)
        assertEquals(3_100 * MS, deploys.get(1).at());
        assertEquals(2, roundLines().size(), err.toString());
        assertTrue(roundLines().get(1).contains("-> web, api redeployed"), roundLines().get(1));
    }

    @Test
    void should_ignore_dockerignored_files_and_git_folders() throws Exception {
        write(".git/index", "x");
        loop.changed(write("web/debug.log", "x"));
        loop.changed(write("web/tmp/cache", "x"));
        loop.changed(dir.resolve(".git/index"));
        loop.changed(write("web/.git/HEAD", "x"));
        loop.changed(write("api/README.md", "changed"));
        loop.changed(write("notes.txt", "x"));

        loop.runUntilIdle();

        assertEquals(List.of(), deploys);
        assertEquals(0, ticker.now, "nothing was even waited for");
        assertEquals("", err.toString());
    }

    @Test
    void should_redeploy_only_the_app_whose_input_changed_even_when_its_dockerignore_excludes_it() throws Exception {
        loop.changed(write("api/main.go", "package main // 2\n"));
        loop.runUntilIdle();
        loop.changed(write("deploy/api.yaml", "kind: Deployment # 2\n"));
        loop.runUntilIdle();
        loop.changed(write("web/Dockerfile", "FROM scratch\n"));
        loop.runUntilIdle();
        loop.changed(write("deploy/web-extra.yaml", "kind: Service\n")); // new file matching the glob
        loop.runUntilIdle();

        assertEquals(List.of("api", "api", "web", "web"), deploys.stream().map(Deploy::app).toList());
    }

    @Test
    void should_not_trigger_itself_with_what_the_build_command_writes_but_redeploy_for_a_later_edit()
            throws Exception {
        Path binary = dir.resolve("api/out/api");
        during = (project, app) -> {
            Files.writeString(binary, "binary v" + deploys.size() + " longer");
            loop.changed(binary); // the watcher sees the command's output during the round
        };
        loop.changed(write("api/go.mod", "module api // 2\n"));
        loop.runUntilIdle();
        assertEquals(1, deploys.size(), err.toString());

        // a hand-made change of the same file later is a change
        ticker.advance(1000);
        loop.changed(write("api/out/api", "patched by hand"));
        loop.runUntilIdle();
        assertEquals(2, deploys.size(), err.toString());
    }

    @Test
    void should_show_a_failed_round_in_one_line_and_go_on_with_the_next_change() throws Exception {
        during = (project, app) -> {
            if (deploys.size() == 1) {
                throw Devk8sException.failure("the image build of web failed at step 2/3: RUN false\nmore");
            }
        };
        loop.changed(write("web/Dockerfile", "FROM scratch\nRUN false\n"));
        loop.runUntilIdle();
        loop.changed(write("web/Dockerfile", "FROM scratch\n"));
        loop.runUntilIdle();

        List<String> lines = roundLines();
        assertEquals(2, lines.size(), err.toString());
        assertEquals("error: web/Dockerfile changed -> web failed: the image build of web failed at step 2/3: RUN "
                + "false (after 0.0s; the last good version keeps running)", lines.get(0));
        assertTrue(lines.get(1).startsWith("✓ web/Dockerfile changed -> web redeployed in"), lines.get(1));
        assertEquals(2, deploys.size());
    }

    @Test
    void should_wait_on_a_broken_devk8s_yaml_and_redeploy_what_changed_meanwhile_once_it_is_fixed()
            throws Exception {
        String good = Files.readString(dir.resolve("devk8s.yaml"));
        loop.changed(write("devk8s.yaml", good + "  colour: blue\n"));
        loop.runUntilIdle();
        assertEquals(List.of(), deploys);
        assertTrue(err.toString().startsWith("error: ") && err.toString().contains("devk8s.yaml"), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());

        loop.changed(write("web/index.html", "<p>while broken</p>"));
        loop.runUntilIdle();
        assertEquals(List.of(), deploys, "nothing deploys while the file is broken");

        // fixed, with web's env changed: web redeploys (its config and a file changed), api does not
        loop.changed(write("devk8s.yaml", good.replace("GREETING: hello", "GREETING: hi")));
        loop.runUntilIdle();
        assertEquals(List.of("web"), deploys.stream().map(Deploy::app).toList());
        assertTrue(roundLines().get(roundLines().size() - 1).startsWith("✓ devk8s.yaml changed -> web redeployed"),
                err.toString());
    }

    @Test
    void should_reload_devk8s_yaml_and_redeploy_only_the_apps_whose_entry_changed() throws Exception {
        String good = Files.readString(dir.resolve("devk8s.yaml"));
        loop.changed(write("devk8s.yaml", "# a comment moves every line\n" + good));
        loop.runUntilIdle();
        assertEquals(List.of(), deploys);
        assertTrue(err.toString().contains("devk8s.yaml reloaded: no app changed"), err.toString());

        loop.changed(write("devk8s.yaml", good.replace("out/api .", "out/api ./cmd")));
        loop.runUntilIdle();
        assertEquals(List.of("api"), deploys.stream().map(Deploy::app).toList());
    }

    @Test
    void should_watch_only_the_named_apps() throws Exception {
        loop = newLoop(List.of("api"));
        loop.changed(write("web/index.html", "<p>x</p>"));
        loop.runUntilIdle();
        assertEquals(List.of(), deploys);
        loop.changed(write("api/main.go", "package main // x\n"));
        loop.runUntilIdle();
        assertEquals(List.of("api"), deploys.stream().map(Deploy::app).toList());
    }

    @Test
    void should_stop_when_asked_while_waiting() throws Exception {
        DevLoop real = new DevLoop(Console.plain(new PrintWriter(new StringWriter()), new PrintWriter(err)),
                DevLoop.Ticker.system(), Duration.ofMillis(300), Duration.ofSeconds(10), load(), List.of(),
                this::load, (p, a) -> deploys.add(new Deploy(a, 0)), plan -> { });
        Thread t = new Thread(real::run);
        t.start();
        real.stop();
        t.join(5000);
        assertFalse(t.isAlive());
        assertEquals(List.of(), deploys);
    }
}
