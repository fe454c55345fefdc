package io.devk8s.adapter.template;

import io.devk8s.Devk8sException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Where template files come from: the bundled templates inside the jar (or native binary) under
 * {@code META-INF/devk8s/templates/}, listed by {@code index.txt} because a native image cannot list
 * resource folders, shadowed file by file by an optional user folder ({@code --templates DIR}) holding
 * files under the same relative paths.
 */
public final class TemplateSource {
    static final String BUNDLE = "META-INF/devk8s/templates/";

    private final Path overrideDir;
    private final ClassLoader classLoader;

    public TemplateSource(Path overrideDir) {
        this(overrideDir, TemplateSource.class.getClassLoader());
    }

    /**
     * Bundled templates looked up through {@code bundleLoader} (under {@code META-INF/devk8s/templates/});
     * tests pass a class loader over a fixture folder so they do not depend on the real bundled set.
     */
    public TemplateSource(Path overrideDir, ClassLoader bundleLoader) {
        this.overrideDir = overrideDir;
        this.classLoader = bundleLoader;
        if (overrideDir != null && !Files.isDirectory(overrideDir)) {
            throw Devk8sException.usage("--templates " + overrideDir + ": no such folder (give a folder holding "
                    + "files under the bundled paths, e.g. DIR/stack/traefik/deployment.yaml)");
        }
    }

    /** The user folder, if any. */
    public Optional<Path> overrideDir() {
        return Optional.ofNullable(overrideDir);
    }

    /** The bundled templates only. */
    public static TemplateSource bundled() {
        return new TemplateSource(null);
    }

    /** Content of a template by relative path ({@code stack/traefik/deployment.yaml}). */
    public String read(String path) {
        return readOptional(path).orElseThrow(() -> Devk8sException.usage("template " + path + " not found"
                + (overrideDir == null ? "" : " (neither in " + overrideDir + " nor bundled)")));
    }

    public Optional<String> readOptional(String path) {
        Optional<String> own = readOverride(path);
        return own.isPresent() ? own : bundledContent(path);
    }

    /** Where a template comes from, for error messages: the user's file or the bundled one. */
    public String describe(String path) {
        if (overrideDir != null && Files.isRegularFile(overrideDir.resolve(path))) {
            return overrideDir.resolve(path).toString();
        }
        return "templates/" + path;
    }

    /** Every template path under a folder ({@code stack/}), bundled and user-supplied, sorted. */
    public List<String> list(String folder) {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        TreeSet<String> paths = new TreeSet<>();
        for (String line : bundledContent("index.txt").orElse("").split("\n")) {
            String p = line.strip();
            if (!p.isEmpty() && !p.startsWith("#") && p.startsWith(prefix)) {
                paths.add(p);
            }
        }
        if (overrideDir != null && Files.isDirectory(overrideDir.resolve(prefix))) {
            try (Stream<Path> files = Files.walk(overrideDir.resolve(prefix))) {
                files.filter(Files::isRegularFile)
                        .map(f -> overrideDir.relativize(f).toString().replace('\\', '/'))
                        .forEach(paths::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ArrayList<>(paths);
    }

    /**
     * "" for devk8s's own bundle (inside its jar, fixed while the process runs); for a bundle read through another
     * class loader (a fixture folder), SHA-256 over every file its index lists, which can change between renders.
     */
    public String bundleDigest() {
        if (classLoader == TemplateSource.class.getClassLoader()) {
            return "";
        }
        MessageDigest digest = sha256();
        for (String line : bundledContent("index.txt").orElse("").split("\n")) {
            String path = line.strip();
            if (!path.isEmpty() && !path.startsWith("#")) {
                addFile(digest, path, bundledContent(path).orElse("").getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * SHA-256 over the user folder's files (relative path and content of each, in path order), or "" without a user
     * folder: two sources with the same bundle loader, folder and digest read the same text for every path.
     */
    public String overrideDigest() {
        if (overrideDir == null || !Files.isDirectory(overrideDir)) {
            return "";
        }
        try (Stream<Path> walk = Files.walk(overrideDir)) {
            MessageDigest digest = sha256();
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                addFile(digest, overrideDir.relativize(file).toString(), Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One file into a digest of files: its path, its length and its bytes (a path or length ends with a NUL). */
    private static void addFile(MessageDigest digest, String path, byte[] content) {
        digest.update(path.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(Long.toString(content.length).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(content);
    }

    /** Only the bundled version of a file, ignoring the user folder (values files are merged, not shadowed). */
    public Optional<String> readBundled(String path) {
        checkRelative(path);
        return bundledContent(path);
    }

    /** Only the user folder's version of a file, if there is a user folder and it holds the file. */
    public Optional<String> readOverride(String path) {
        checkRelative(path);
        if (overrideDir == null || !Files.isRegularFile(overrideDir.resolve(path))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(overrideDir.resolve(path), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkRelative(String path) {
        if (path.contains("..") || path.startsWith("/")) {
            throw Devk8sException.usage("template path " + path + " must be relative and stay inside the templates folder");
        }
    }

    private Optional<String> bundledContent(String path) {
        try (InputStream in = classLoader.getResourceAsStream(BUNDLE + path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
