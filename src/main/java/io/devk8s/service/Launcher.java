package io.devk8s.service;

import io.devk8s.Environment;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Locale;

/** The command that starts this devk8s again, e.g. under sudo. */
public final class Launcher {
    /** Set by the installed launcher script to its own path. */
    public static final String ENV = "DEVK8S_LAUNCHER";
    /** The main class (named, not referenced: services do not reach back to the entry point). */
    static final String MAIN_CLASS = "io.devk8s.Devk8s";

    private Launcher() {}

    /**
     * {@code $DEVK8S_LAUNCHER} when set; else {@code <java> -jar <the running jar>}; from a class folder
     * {@code <java> -cp <class path> io.devk8s.Devk8s}; in a native binary, the binary itself.
     */
    public static List<String> command(Environment environment) {
        var fromEnv = environment.get(ENV);
        if (fromEnv.isPresent()) {
            return List.of(fromEnv.get());
        }
        String javaHome = System.getProperty("java.home");
        CodeSource source = Launcher.class.getProtectionDomain().getCodeSource(); // the same jar or class folder
        if (javaHome != null && source != null && source.getLocation() != null) {
            String exe = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                    ? "java.exe" : "java";
            String java = Path.of(javaHome, "bin", exe).toString();
            try {
                Path location = Path.of(source.getLocation().toURI());
                if (Files.isRegularFile(location)) {
                    return List.of(java, "-jar", location.toString());
                }
                return List.of(java, "-cp", System.getProperty("java.class.path"), MAIN_CLASS);
            } catch (URISyntaxException | IllegalArgumentException e) {
                // fall through to the running process
            }
        }
        return List.of(ProcessHandle.current().info().command().orElse("devk8s"));
    }
}
