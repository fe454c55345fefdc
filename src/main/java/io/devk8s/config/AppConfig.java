package io.devk8s.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of {@code apps:} in devk8s.yaml, with defaults applied and paths made absolute.
 *
 * @param image         the image as written: {@code name} or {@code name:tag} (the tag then replaces ${VERSION})
 * @param context       the build context folder
 * @param dockerfile    the Dockerfile, relative to the context, {@code /}-separated
 * @param manifests     the manifest files the globs matched, sorted per glob; empty: the default templates
 * @param ingress       the host name's first label; empty for no Ingress
 * @param location      {@code file:line:column} of the entry, for messages
 */
public record AppConfig(String name, String image, Path context, String dockerfile, Map<String, String> buildArgs,
                        String target, Optional<BuildCommand> build, List<String> manifestGlobs, List<Path> manifests,
                        AppKind kind, int port, Optional<String> ingress, Map<String, String> env, String location) {
    public AppConfig {
        buildArgs = Map.copyOf(buildArgs);
        manifestGlobs = List.copyOf(manifestGlobs);
        manifests = List.copyOf(manifests);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    }

    /** The image name without a tag. */
    public String repository() {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    /** The tag written in {@code image:}, if any (else the tag is ${VERSION}). */
    public Optional<String> tag() {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? Optional.of(image.substring(colon + 1)) : Optional.empty();
    }
}
