package io.devk8s.adapter.kubernetes;

/** One object of an {@code apply}, and what happened to it. */
public record Applied(ObjectRef object, ApplyOutcome outcome) {
    @Override
    public String toString() {
        return object + " " + outcome.word();
    }
}
