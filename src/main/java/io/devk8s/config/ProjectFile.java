package io.devk8s.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded {@code devk8s.yaml}: the project (the {@code appgroup} label of every app object), an optional
 * namespace and the apps in file order. Load it with {@link ProjectFileLoader}.
 */
public record ProjectFile(Path file, String project, Optional<String> namespace, List<AppConfig> apps) {
    public static final String FILE_NAME = "devk8s.yaml";

    public ProjectFile {
        apps = List.copyOf(apps);
    }

    /** The folder the file is in: relative paths in it are relative to this. */
    public Path dir() {
        return file.getParent();
    }

    public Optional<AppConfig> app(String name) {
        return apps.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
