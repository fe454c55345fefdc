package io.devk8s.service.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.console.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BuildLogTest {

    /** What the daemon's classic builder streams for a build whose fourth step fails (Docker 20.10). */
    private static final List<String> CLASSIC_FAILING = List.of(
            "Step 1/5 : FROM scratch",
            " ---> ",
            "Step 2/5 : COPY busybox /bin/busybox",
            " ---> 452073d0865a",
            "Step 3/5 : RUN [\"/bin/busybox\",\"--install\",\"-s\",\"/bin\"]",
            " ---> Running in b9e7c8d9cfa7",
            "Removing intermediate container b9e7c8d9cfa7",
            " ---> add06810f585",
            "Step 4/5 : RUN echo compiling && echo 'main.go:3: undefined: x' && exit 2",
            " ---> Running in 0c1d2e3f4a5b",
            "compiling",
            "main.go:3: undefined: x");

    /** BuildKit's plain progress (docker CLI 20.10) for a build whose third step fails. */
    private static final List<String> BUILDKIT_FAILING = List.of(
            "#1 [internal] load build definition from Dockerfile",
            "#1 sha256:473f2257b1785abf2422897aba9d7a8349aff74a614210a7aee7cd09addf5c15",
            "#1 transferring dockerfile: 32B done",
            "#1 DONE 0.0s",
            "",
            "#4 [stage-0 1/4] COPY busybox /bin/busybox",
            "#4 CACHED",
            "",
            "#5 [build 2/4] RUN --mount=type=cache,target=/cache echo hi",
            "#5 0.245 hi",
            "#5 DONE 0.3s",
            "",
            "#6 [stage-0 3/4] RUN --mount=type=cache,target=/c make",
            "#6 0.101 cc -o app main.c",
            "#6 0.130 main.c:1: error: expected ';'",
            "#6 ERROR: executor failed running [/bin/sh -c make]: exit code: 2",
            "------",
            " > [stage-0 3/4] RUN --mount=type=cache,target=/c make:",
            "------",
            "executor failed running [/bin/sh -c make]: exit code: 2");

    private static List<String> statuses(BuildLog log, List<String> lines) {
        List<String> out = new ArrayList<>();
        lines.forEach(l -> log.accept(l).ifPresent(out::add));
        return out;
    }

    @Test
    void should_follow_the_classic_builders_steps() {
        BuildLog log = new BuildLog();
        List<String> s = statuses(log, CLASSIC_FAILING);
        assertEquals(List.of("step 1/5: FROM scratch", "step 2/5: COPY busybox /bin/busybox",
                "step 3/5: RUN [\"/bin/busybox\",\"--install\",\"-s\",\"/bin\"]",
                "step 4/5: RUN echo compiling && echo 'main.go:3: undefined: x' && exit 2"), s);
        assertEquals(s.get(3), log.status());
    }

    @Test
    void should_report_the_failing_classic_step_with_its_output_only() {
        BuildLog log = new BuildLog();
        statuses(log, CLASSIC_FAILING);
        assertEquals(List.of("Step 4/5 : RUN echo compiling && echo 'main.go:3: undefined: x' && exit 2",
                "  compiling", "  main.go:3: undefined: x"), log.failureReport());
    }

    @Test
    void should_follow_buildkits_steps_with_the_stage_when_it_is_named() {
        BuildLog log = new BuildLog();
        List<String> s = statuses(log, BUILDKIT_FAILING);
        assertEquals(List.of("[internal] load build definition from Dockerfile", "step 1/4: COPY busybox /bin/busybox",
                "step 2/4 (build): RUN --mount=type=cache,target=/cache echo hi",
                "step 3/4: RUN --mount=type=cache,target=/c make"), s);
    }

    @Test
    void should_report_the_buildkit_step_marked_error_with_its_output_without_timestamps() {
        BuildLog log = new BuildLog();
        statuses(log, BUILDKIT_FAILING);
        assertEquals(List.of("#6 [stage-0 3/4] RUN --mount=type=cache,target=/c make", "  cc -o app main.c",
                "  main.c:1: error: expected ';'", "  ERROR: executor failed running [/bin/sh -c make]: exit code: 2"),
                log.failureReport());
    }

    @Test
    void should_keep_only_the_last_lines_of_a_long_step() {
        BuildLog log = new BuildLog();
        log.accept("Step 1/1 : RUN seq 100");
        for (int i = 1; i <= 100; i++) {
            log.accept(String.valueOf(i));
        }
        List<String> report = log.failureReport();
        assertEquals(BuildLog.TAIL + 1, report.size());
        assertEquals("  81", report.get(1));
        assertEquals("  100", report.get(BuildLog.TAIL));
    }

    @Test
    void should_report_the_last_lines_when_no_step_was_seen() {
        BuildLog log = new BuildLog();
        log.accept("Error response from daemon: dockerfile parse error line 2: Unknown flag: link");
        assertEquals(List.of("Error response from daemon: dockerfile parse error line 2: Unknown flag: link"),
                log.failureReport());
        assertEquals("", log.status());
    }

    @Test
    void should_not_repeat_a_status_that_did_not_change() {
        BuildLog log = new BuildLog();
        assertEquals(Optional.of("step 1/2: FROM x"), log.accept("Step 1/2 : FROM x"));
        assertEquals(Optional.empty(), log.accept(" ---> abc"));
        assertEquals(Optional.empty(), log.accept("some output"));
    }

    @Test
    void should_cut_a_status_to_the_terminal_width_and_drop_control_characters() {
        assertEquals("step 1/2: RUN a\tb".replace('\t', ' '), Console.fit("step 1/2: RUN a\tb", 80));
        String cut = Console.fit("x".repeat(200), 40);
        assertEquals(40, cut.length());
        assertTrue(cut.endsWith("\u2026"), cut);
        assertEquals("ab c", Console.fit("ab\u001bc", 80).replace('\u001b', ' '));
        assertEquals(10, Console.fit("y".repeat(50), 3).length(), "never narrower than 10 columns");
    }

    @Test
    void should_draw_one_line_in_place_on_a_terminal_and_erase_it_on_close() {
        StringWriter err = new StringWriter();
        Console console = new Console(new PrintWriter(new StringWriter()), new PrintWriter(err), true, true, false,
                false, () -> 30);
        try (Console.StatusLine line = console.statusLine()) {
            line.update("helloworld: building helloworld:v1: step 1/5: FROM scratch");
            line.update("helloworld: building helloworld:v1: step 1/5: FROM scratch");
            line.update("step 2/5: COPY . .");
        }
        assertEquals("\r\u001b[2Khelloworld: building hellowo\u2026\r\u001b[2Kstep 2/5: COPY . .\r\u001b[2K",
                err.toString());
    }

    @Test
    void should_draw_nothing_off_a_terminal_or_when_quiet() {
        for (boolean[] mode : new boolean[][] {{false, false}, {true, true}}) {
            StringWriter err = new StringWriter();
            Console console = new Console(new PrintWriter(new StringWriter()), new PrintWriter(err), false, mode[0],
                    false, mode[1]);
            try (Console.StatusLine line = console.statusLine()) {
                line.update("step 1/1: FROM scratch");
            }
            assertEquals("", err.toString());
        }
    }
}
