package io.devk8s.service.dev;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;

/**
 * The debounce of {@code devk8s dev}: changes gather into one batch that is due once no change came for the quiet
 * period, or once the cap has passed since its first change (so a file rewritten without pause still redeploys).
 * Times are the caller's clock in nanoseconds; the class never reads a clock or sleeps. Not thread-safe: the caller
 * holds a lock.
 */
public final class ChangeBatcher {
    private final long quiet;
    private final long cap;
    private final LinkedHashSet<Path> paths = new LinkedHashSet<>();
    private long first;
    private long last;

    public ChangeBatcher(Duration quiet, Duration cap) {
        if (quiet.isNegative() || cap.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("need 0 <= quiet <= cap: " + quiet + ", " + cap);
        }
        this.quiet = quiet.toNanos();
        this.cap = cap.toNanos();
    }

    /** A change of {@code path} at {@code now}. */
    public void add(Path path, long now) {
        if (paths.isEmpty()) {
            first = now;
        }
        paths.add(path);
        last = now;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    /** When the pending batch is due; empty when nothing changed. */
    public OptionalLong dueAt() {
        if (paths.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.min(last + quiet, first + cap));
    }

    /** The changed paths, in the order they first changed, when the batch is due at {@code now}; else empty. */
    public List<Path> takeIfDue(long now) {
        OptionalLong due = dueAt();
        if (due.isEmpty() || now - due.getAsLong() < 0) {
            return List.of();
        }
        List<Path> batch = List.copyOf(paths);
        paths.clear();
        return batch;
    }
}
