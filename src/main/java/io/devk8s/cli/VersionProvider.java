package io.devk8s.cli;

import io.devk8s.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code devk8s --version}: the version and git commit baked in at build time ({@link Version}). */
public class VersionProvider implements IVersionProvider {

    public static String version() {
        return Version.version();
    }

    public static String commit() {
        return Version.commit();
    }

    @Override
    public String[] getVersion() {
        return Version.lines();
    }
}
