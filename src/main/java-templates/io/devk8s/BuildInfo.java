package io.devk8s;

/**
 * The version and git commit, written in by the build (Maven filters this file into generated sources). Constants
 * rather than a resource: {@code --version} then reads nothing from the jar, which the start-up archive spares
 * opening (its central directory has about 26,000 entries).
 */
final class BuildInfo {

    static final String VERSION = "${project.version}";
    static final String COMMIT = "${git.commit.id.abbrev}";

    private BuildInfo() {}
}
