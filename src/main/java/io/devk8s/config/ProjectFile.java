package io.devk8s.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded {@code devk8s.yaml}: the project (the {@code appgroup} label of every app object), an optional
 * namespace, the apps in file order and the {@code shell:} section (its defaults when the file has none). Load it
 * with {@link ProjectFileLoader}.
 */
public record ProjectFile(Path file, String project, Optional<String> namespace, List<AppConfig> apps,
                          ShellConfig shell) {
    public static final String FILE_NAME = "devk8s.yaml";

    public ProjectFile {
        apps = List.copyOf(apps);
    }

    /** A project file without a {@code shell:} section. */
    public ProjectFile(Path file, String project, Optional<String> namespace, List<AppConfig> apps) {
        this(file, project, namespace, apps, ShellConfig.defaults(file + ":1:1"));
    }

    /** The folder the file is in: relative paths in it are relative to this. */
    public Path dir() {
        return file.getParent();
    }

    public Optional<AppConfig> app(String name) {
        return apps.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
