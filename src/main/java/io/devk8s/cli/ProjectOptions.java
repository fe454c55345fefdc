package io.devk8s.cli;

import io.devk8s.Environment;
import io.devk8s.service.ProjectScope;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags of the inner-loop commands that read {@code devk8s.yaml}: which file, which namespace. */
public class ProjectOptions {

    @Option(names = {"-f", "--file"}, paramLabel = "PATH",
            description = "The project file (default: devk8s.yaml in this folder or the nearest parent).")
    String file;

    @Mixin
    NamespaceOption namespace = new NamespaceOption();

    /** The scope these flags select; {@code required}: a missing project file is an error. */
    public ProjectScope scope(Environment environment, boolean required) {
        return ProjectScope.load(environment, Optional.ofNullable(file), namespace.value(), required);
    }
}
