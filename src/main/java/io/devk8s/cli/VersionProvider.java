package io.devk8s.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code devk8s --version}: the version and git commit baked in at build time. */
public class VersionProvider implements IVersionProvider {

    public static String version() {
        Properties p = load();
        return p.getProperty("version", "unknown");
    }

    public static String commit() {
        String commit = load().getProperty("commit", "");
        return commit.isBlank() || commit.startsWith("${") ? "unknown" : commit;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/io/devk8s/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // no version info: report "unknown"
        }
        return p;
    }

    @Override
    public String[] getVersion() {
        return lines();
    }

    /** What {@code devk8s --version} prints, one element a line. */
    public static String[] lines() {
        return new String[] {
            "devk8s " + version() + " (commit " + commit() + ")",
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
