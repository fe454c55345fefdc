package io.devk8s.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code shell:} section of devk8s.yaml: the debug pod's name and the debug-tool image devk8s builds for it.
 *
 * @param name             the debug pod's name (a DNS label)
 * @param base             the image the debug image starts from
 * @param packages         what the base's package manager installs; empty: no package step
 * @param defaultPackages  true when {@code packages:} was not written (the default set, named per package manager)
 * @param tools            the project's own binaries copied into {@code /usr/local/bin}
 * @param image            the debug image's name ({@code name} or {@code name:tag}); empty: {@code debugtool}
 * @param location         {@code file:line:column} of the section, or of the file when there is none
 */
public record ShellConfig(String name, String base, List<String> packages, boolean defaultPackages, List<Tool> tools,
                          Optional<String> image, String location) {
    public static final String DEFAULT_NAME = "debugtool";
    public static final String DEFAULT_BASE = "alpine:3.20";
    /** The default packages, as Alpine names them. */
    public static final List<String> DEFAULT_PACKAGES = List.of("curl", "busybox-extras", "tcpdump", "bind-tools");

    public ShellConfig {
        packages = List.copyOf(packages);
        tools = List.copyOf(tools);
    }

    /** The section's defaults, for a file without {@code shell:}. */
    public static ShellConfig defaults(String location) {
        return new ShellConfig(DEFAULT_NAME, DEFAULT_BASE, DEFAULT_PACKAGES, true, List.of(), Optional.empty(),
                location);
    }

    /**
     * One binary of the project copied into the debug image.
     *
     * @param app      the app of the same file whose build command produces it
     * @param binary   where the build command leaves it (absolute; written relative to the project file's folder)
     * @param location {@code file:line:column} of the entry
     */
    public record Tool(String app, Path binary, String location) {
        /** The file name it gets in the image's {@code /usr/local/bin}. */
        public String fileName() {
            return binary.getFileName().toString();
        }
    }
}
