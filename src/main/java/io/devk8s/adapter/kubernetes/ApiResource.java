package io.devk8s.adapter.kubernetes;

import java.util.List;
import java.util.Objects;

/**
 * One kind the API server serves, as API discovery lists it: its group and version ({@code ""} and {@code v1} for
 * the core group), kind, plural resource name, whether it lives in a namespace, and its verbs.
 */
public record ApiResource(String group, String version, String kind, String plural, boolean namespaced,
        List<String> verbs) {
    public ApiResource {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plural, "plural");
        verbs = List.copyOf(verbs);
    }

    /** {@code apps/v1}, or {@code v1} for the core group. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** Whether the server allows this verb ({@code list}, {@code delete}, ...) on the kind. */
    public boolean can(String verb) {
        return verbs.contains(verb);
    }

    @Override
    public String toString() {
        return kind + " (" + apiVersion() + ", " + plural + (namespaced ? ", namespaced" : ", cluster-scoped") + ")";
    }
}
