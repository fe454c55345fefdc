package io.devk8s.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded {@code devk8s.yaml}: the project (the {@code appgroup} label of every app object), an optional
 * namespace, the apps in file order, the {@code shell:} section (its defaults when the file has none), the registry
 * images are pushed to for a registry target ({@code registry:}) and the kube contexts beyond the local ones that
 * devk8s may act on ({@code allowContexts:}). Load it with {@link ProjectFileLoader}.
 */
public record ProjectFile(Path file, String project, Optional<String> namespace, List<AppConfig> apps,
                          ShellConfig shell, Optional<String> registry, List<String> allowContexts) {
    public static final String FILE_NAME = "devk8s.yaml";

    public ProjectFile {
        apps = List.copyOf(apps);
        allowContexts = List.copyOf(allowContexts);
    }

    /** A project file without {@code shell:}, {@code registry:} and {@code allowContexts:}. */
    public ProjectFile(Path file, String project, Optional<String> namespace, List<AppConfig> apps) {
        this(file, project, namespace, apps, ShellConfig.defaults(file + ":1:1"));
    }

    /** A project file without {@code registry:} and {@code allowContexts:}. */
    public ProjectFile(Path file, String project, Optional<String> namespace, List<AppConfig> apps,
                       ShellConfig shell) {
        this(file, project, namespace, apps, shell, Optional.empty(), List.of());
    }

    /** A project file without a {@code shell:} section. */
    public ProjectFile(Path file, String project, Optional<String> namespace, List<AppConfig> apps,
                       Optional<String> registry, List<String> allowContexts) {
        this(file, project, namespace, apps, ShellConfig.defaults(file + ":1:1"), registry, allowContexts);
    }

    /** The folder the file is in: relative paths in it are relative to this. */
    public Path dir() {
        return file.getParent();
    }

    public Optional<AppConfig> app(String name) {
        return apps.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
