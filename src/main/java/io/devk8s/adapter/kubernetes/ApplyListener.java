package io.devk8s.adapter.kubernetes;

/** Told about each object right after it was applied (or found unchanged), in apply order. */
@FunctionalInterface
public interface ApplyListener {
    ApplyListener NONE = applied -> { };

    void applied(Applied applied);
}
