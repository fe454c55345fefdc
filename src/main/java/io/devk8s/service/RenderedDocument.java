package io.devk8s.service;

/**
 * One Kubernetes object rendered from a template, as YAML text (parsing it into API objects is the
 * Kubernetes adapter's job).
 *
 * @param component the component it belongs to ({@code namespace} for {@code stack/namespace.yaml},
 *                  else {@code traefik}, {@code prometheus}, ...)
 * @param source    the template it came from, relative to the templates root ({@code stack/traefik/deployment.yaml})
 * @param kind      {@code kind}
 * @param name      {@code metadata.name}
 * @param namespace {@code metadata.namespace}, or null when the document has none (cluster-scoped objects)
 * @param yaml      the document, without {@code ---} separators, ending with a newline
 * @param line      the line of {@code source}'s rendered output where {@code yaml} starts (the template's own line
 *                  unless a tag above it spans several lines), for messages naming file and line
 */
public record RenderedDocument(String component, String source, String kind, String name, String namespace,
        String yaml, int line) {

    /** A document that starts on line 1 of its source. */
    public RenderedDocument(String component, String source, String kind, String name, String namespace, String yaml) {
        this(component, source, kind, name, namespace, yaml, 1);
    }

    /** {@code Kind namespace/name} or {@code Kind name}, for messages. */
    public String describe() {
        return kind + " " + (namespace == null ? "" : namespace + "/") + name;
    }
}
