package io.devk8s;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QuietMachineTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private double system;
    private double own;
    private final QuietMachine machine = new QuietMachine(() -> system, () -> own, now::get);

    private boolean after(long millis) {
        now.addAndGet(millis * 1_000_000L);
        return machine.quiet();
    }

    @Test
    void should_call_the_machine_quiet_only_after_the_others_stayed_idle_for_a_while() {
        system = 0.05;
        assertFalse(machine.quiet(), "just looked");
        assertFalse(after(100));
        assertFalse(after(100));
        assertTrue(after(100), "300 ms under the limit");
    }

    @Test
    void should_not_count_this_process_own_work_as_others() {
        system = 0.60; // this process's warm-up keeps a core busy
        own = 0.50;
        machine.quiet();
        assertTrue(after(300));
    }

    @Test
    void should_wait_again_when_another_process_gets_busy() {
        system = 0.0;
        machine.quiet();
        assertTrue(after(300));
        system = 0.55; // a go build on one of two cores
        assertFalse(after(100));
        system = 0.1;
        assertFalse(after(100));
        assertFalse(after(100));
        assertTrue(after(200));
    }

    @Test
    void should_not_read_the_figures_again_within_a_tenth_of_a_second() {
        system = 0.0;
        machine.quiet();
        system = 0.9;
        assertFalse(after(50), "not yet quiet for long, and the busy figure is not read yet");
        system = 0.0;
        assertTrue(after(250), "the reading at 300 ms was quiet again; the 0.9 was never read");
    }

    @Test
    void should_count_unknown_figures_as_quiet() {
        system = -1;
        machine.quiet();
        assertTrue(after(300));
    }

    @Test
    void should_read_this_machine_without_failing() {
        QuietMachine real = QuietMachine.ofThisMachine();
        real.quiet(); // no exception; its answer depends on what else runs
    }
}
