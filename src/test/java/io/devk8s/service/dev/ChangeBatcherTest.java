package io.devk8s.service.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChangeBatcherTest {
    private static final long MS = 1_000_000L;
    private final ChangeBatcher batcher = new ChangeBatcher(Duration.ofMillis(300), Duration.ofSeconds(10));

    @Test
    void should_hold_a_burst_until_300ms_without_a_change_and_give_it_as_one_batch() {
        batcher.add(Path.of("a"), 0);
        batcher.add(Path.of("b"), 100 * MS);
        batcher.add(Path.of("a"), 250 * MS);
        assertEquals(550 * MS, batcher.dueAt().getAsLong());
        assertEquals(List.of(), batcher.takeIfDue(549 * MS));
        assertEquals(List.of(Path.of("a"), Path.of("b")), batcher.takeIfDue(550 * MS));
        assertTrue(batcher.isEmpty());
        assertTrue(batcher.dueAt().isEmpty());
        assertEquals(List.of(), batcher.takeIfDue(10_000 * MS));
    }

    @Test
    void should_give_a_batch_10s_after_its_first_change_when_changes_never_pause() {
        long t = 0;
        for (; t < 12_000 * MS; t += 200 * MS) {
            List<Path> batch = batcher.takeIfDue(t);
            if (!batch.isEmpty()) {
                break;
            }
            batcher.add(Path.of("f" + t / MS), t);
        }
        assertEquals(10_000 * MS, t);
        assertTrue(batcher.isEmpty());
    }

    @Test
    void should_start_the_cap_afresh_for_the_next_batch() {
        batcher.add(Path.of("a"), 0);
        assertEquals(List.of(Path.of("a")), batcher.takeIfDue(300 * MS));
        batcher.add(Path.of("b"), 20_000 * MS);
        assertEquals(20_300 * MS, batcher.dueAt().getAsLong());
    }
}
