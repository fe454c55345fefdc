package io.devk8s.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The flags every command takes. They are inherited by all subcommands and their values always land
 * on the root command's instance, wherever on the command line they were given.
 */
public class GlobalOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private boolean verbose;
    private boolean quiet;
    private boolean noColor;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print debug lines, library logs and full stack traces.")
    void setVerbose(boolean verbose) {
        root().verbose = verbose;
    }

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only data and errors: no progress or info lines.")
    void setQuiet(boolean quiet) {
        root().quiet = quiet;
    }

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "No colours (also when NO_COLOR is set or output is not a terminal).")
    void setNoColor(boolean noColor) {
        root().noColor = noColor;
    }

    public boolean verbose() {
        return root().verbose;
    }

    public boolean quiet() {
        return root().quiet && !root().verbose;
    }

    public boolean noColor() {
        return root().noColor;
    }

    private GlobalOptions root() {
        if (mixee == null) {
            return this;
        }
        Object root = mixee.root().userObject();
        return root instanceof Devk8sCommand d ? d.globalOptions : this;
    }
}
