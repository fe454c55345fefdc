package io.devk8s.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The flags every command takes. They are declared once, on the root command, and inherited by every
 * subcommand; picocli binds the inherited copies to these same fields, so the root's instance holds the
 * values wherever on the command line they were given ({@code devk8s -v up} and {@code devk8s up -v} alike).
 */
public class GlobalOptions {

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print debug lines, library logs and full stack traces.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only data and errors: no progress or info lines.")
    boolean quiet;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "No colours (also when NO_COLOR is set to a value, or output is not a terminal).")
    boolean noColor;

    public boolean verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet && !verbose;
    }

    public boolean noColor() {
        return noColor;
    }
}
