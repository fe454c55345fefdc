package io.devk8s.console;

import io.devk8s.Environment;

/**
 * Whether output gets colour, following no-color.org and the CLICOLOR conventions: {@code --no-color} or a
 * {@code NO_COLOR} with a value turns it off (a {@code NO_COLOR} that is set but empty does not: picocli's own
 * check treats it as set, hence this class); {@code CLICOLOR_FORCE} (not 0) turns it on; {@code CLICOLOR=0}
 * and {@code TERM=dumb} turn it off; otherwise colour goes to terminals only.
 */
public final class ColorChoice {
    private ColorChoice() {
    }

    public static boolean enabled(Environment env, boolean noColorFlag, boolean terminal) {
        if (noColorFlag || env.get("NO_COLOR").isPresent()) { // Environment.get: empty counts as unset
            return false;
        }
        // plain comparisons, no lambdas: `devk8s --help` asks this before anything else has linked one
        String force = env.get("CLICOLOR_FORCE").orElse("0");
        if (!force.equals("0")) {
            return true;
        }
        if (env.get("CLICOLOR").orElse("").equals("0") || env.get("TERM").orElse("").equals("dumb")) {
            return false;
        }
        return terminal;
    }

    /** Whether this process talks to a terminal (Java 22+ has a console even when redirected: ask it). */
    public static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22 a console exists only for a terminal
        }
    }
}
