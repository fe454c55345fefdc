package io.devk8s.adapter.kubernetes;

/** What applying one object did. */
public enum ApplyOutcome {
    /** The object did not exist and was created. */
    CREATED,
    /** The object existed and its desired state changed (or {@code force} was given), so it was re-applied. */
    CONFIGURED,
    /** The live object already carries the hash of this exact manifest: nothing was written. */
    UNCHANGED;

    /** Lower-case word for reports: {@code created}, {@code configured}, {@code unchanged}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
