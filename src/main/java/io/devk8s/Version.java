package io.devk8s;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version and git commit baked in at build time; no picocli, so {@code --version} is printed before it loads. */
public final class Version {

    private Version() {}

    public static String version() {
        return load().getProperty("version", "unknown");
    }

    public static String commit() {
        String commit = load().getProperty("commit", "");
        return commit.isBlank() || commit.startsWith("${") ? "unknown" : commit;
    }

    /** What {@code devk8s --version} prints, one element a line. */
    public static String[] lines() {
        return new String[] {
            "devk8s " + version() + " (commit " + commit() + ")",
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/io/devk8s/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // no version info: report "unknown"
        }
        return p;
    }
}
