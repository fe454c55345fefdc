package io.devk8s;

/** The version and git commit baked in at build time; no picocli, so {@code --version} is printed before it loads. */
public final class Version {

    private Version() {}

    public static String version() {
        return BuildInfo.VERSION.isBlank() || BuildInfo.VERSION.startsWith("${") ? "unknown" : BuildInfo.VERSION;
    }

    public static String commit() {
        String commit = BuildInfo.COMMIT;
        return commit.isBlank() || commit.startsWith("${") ? "unknown" : commit;
    }

    /** What {@code devk8s --version} prints, one element a line. */
    public static String[] lines() {
        return new String[] {
            "devk8s " + version() + " (commit " + commit() + ")",
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
