package io.devk8s.service;

import java.util.List;

/**
 * What the user asked for when rendering the stack, as given on the command line.
 *
 * @param namespace  {@code --namespace}, or null for the default in values.yaml
 * @param domain     {@code --domain}, or null for the default in values.yaml
 * @param sets       {@code --set key=value} entries, in order (later ones win)
 * @param components {@code --components} names, or an empty list for all
 */
public record StackOptions(String namespace, String domain, List<String> sets, List<String> components) {
    public StackOptions {
        sets = sets == null ? List.of() : List.copyOf(sets);
        components = components == null ? List.of() : List.copyOf(components);
    }

    /** Everything at its default: all components, values.yaml as it is. */
    public static StackOptions defaults() {
        return new StackOptions(null, null, List.of(), List.of());
    }
}
