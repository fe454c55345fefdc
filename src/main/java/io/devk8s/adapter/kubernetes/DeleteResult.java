package io.devk8s.adapter.kubernetes;

import java.util.List;

/**
 * What a delete-by-label did: the objects it deleted, and the ones still present when it stopped waiting
 * (empty when it did not wait, or everything was gone in time).
 */
public record DeleteResult(List<ObjectRef> deleted, List<ObjectRef> remaining) {
    public DeleteResult {
        deleted = List.copyOf(deleted);
        remaining = List.copyOf(remaining);
    }

    public boolean complete() {
        return remaining.isEmpty();
    }
}
