package io.devk8s.cli;

import io.devk8s.Environment;
import io.devk8s.Services;
import io.devk8s.console.Console;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the console built from the global flags and the services it runs.
 * A subclass declares its options, calls one service in {@link #run(Services)} and renders the result.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        showDefaultValues = true)
public abstract class BaseCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    private Console console;

    protected abstract int run(Services services) throws Exception;

    @Override
    public final Integer call() throws Exception {
        Devk8sCommand root = root();
        try (Services services = root.servicesFactory().create(environment(root.environment()), console())) {
            return run(services);
        }
    }

    /** The root's environment, with what a cluster command's {@code --kubeconfig} changes in it. */
    private Environment environment(Environment base) {
        Environment env = base;
        for (CommandSpec mixin : spec.mixins().values()) {
            if (mixin.userObject() instanceof ClusterOptions cluster) {
                env = cluster.environment(env);
            }
        }
        return env;
    }

    protected Devk8sCommand root() {
        return (Devk8sCommand) spec.root().userObject();
    }

    protected Console console() {
        if (console == null) {
            Devk8sCommand root = root();
            GlobalOptions g = root.globalOptions();
            boolean color = Devk8sCommand.colorEnabled(root);
            java.util.function.IntSupplier columns = root.columns();
            console = new Console(spec.commandLine().getOut(), spec.commandLine().getErr(),
                    color, color && root.terminal(), g.verbose(), g.quiet(),
                    columns != null ? columns : () -> spec.commandLine().getUsageHelpWidth());
        }
        return console;
    }
}
