package io.devk8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background process's warm-up, run here in the test's JVM against the training sandbox (the loopback stand-ins
 * for an API server and minikube that the start-up archive's training uses: not a cluster).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DaemonWarmUpTest {

    @TempDir
    Path folder;

    @Test
    void runs_its_rounds_of_up_and_status_while_idle_and_up_applies_the_stack() throws Exception {
        // a sandbox folder left by a process stopped during its warm-up, and a file of the process's own
        Path leftover = Files.createDirectories(folder.resolve("devk8s-training123/project"));
        Files.writeString(leftover.resolve("devk8s.yaml"), "project: training\n");
        Files.writeString(folder.resolve("abc.log"), "log\n");
        DaemonWarmUp warmUp = new DaemonWarmUp(2, folder, () -> true, () -> false);
        warmUp.run();
        assertEquals(2, warmUp.done());
        try (var left = Files.list(folder)) {
            assertEquals(List.of("abc.log"), left.map(p -> p.getFileName().toString()).toList(),
                    "the sandbox folders are removed, the process's own files kept");
        }
        Map<String, Integer> exits = warmUp.exits();
        assertEquals(ExitCode.OK, exits.get("up"), "up must get through render, plan and apply: " + exits);
        assertTrue(exits.containsKey("status"), exits.toString());
    }

    @Test
    void waits_while_a_command_runs_and_starts_no_round_before() {
        long start = System.nanoTime();
        AtomicInteger asked = new AtomicInteger();
        // busy for the first 300 ms, as while a command runs
        DaemonWarmUp warmUp = new DaemonWarmUp(1, folder, () -> {
            asked.incrementAndGet();
            return System.nanoTime() - start > 300_000_000L;
        }, () -> false);
        warmUp.run();
        assertEquals(1, warmUp.done());
        assertTrue(System.nanoTime() - start >= 300_000_000L);
        assertTrue(asked.get() > 2, "it asked again while busy: " + asked.get());
    }

    @Test
    void a_process_that_is_leaving_runs_no_round() {
        DaemonWarmUp busy = new DaemonWarmUp(3, folder, () -> false, () -> true);
        busy.run();
        assertEquals(0, busy.done());
        DaemonWarmUp idle = new DaemonWarmUp(3, folder, () -> true, () -> true);
        idle.run();
        assertEquals(0, idle.done());
        assertTrue(idle.exits().isEmpty(), idle.exits().toString());
    }

    @Test
    void the_setting_gives_the_number_of_rounds_and_zero_turns_it_off() {
        assertEquals(DaemonWarmUp.DEFAULT_ROUNDS, DaemonWarmUp.rounds(null));
        assertEquals(DaemonWarmUp.DEFAULT_ROUNDS, DaemonWarmUp.rounds(" "));
        assertEquals(DaemonWarmUp.DEFAULT_ROUNDS, DaemonWarmUp.rounds("many"));
        assertEquals(0, DaemonWarmUp.rounds("0"));
        assertEquals(0, DaemonWarmUp.rounds("-2"));
        assertEquals(5, DaemonWarmUp.rounds(" 5 "));
        DaemonWarmUp off = new DaemonWarmUp(0, folder, () -> true, () -> false);
        off.run();
        assertEquals(0, off.done());
        assertTrue(off.exits().isEmpty());
    }
}
