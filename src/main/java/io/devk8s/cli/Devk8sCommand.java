package io.devk8s.cli;

import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.Services;
import io.devk8s.console.ColorChoice;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "devk8s",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "A local Kubernetes dev stack on Minikube in one command.",
        description = {
            "devk8s runs Traefik, Prometheus, Grafana and Jaeger on your Minikube profile, reachable at "
                + "traefik-ui, prometheus, grafana and jaeger .minikube, and refuses to touch any other cluster."
        },
        subcommands = {
            UpCommand.class,
            StatusCommand.class,
            DownCommand.class,
            InitCommand.class,
            DeployCommand.class,
            DevCommand.class,
            LogsCommand.class,
            ShellCommand.class,
            TeardownCommand.class,
            RenderCommand.class,
            HostsCommand.class,
            DoctorCommand.class,
            CompletionCommand.class,
            TrainingRunCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s doctor                 check minikube, the context and the hosts file",
            "  devk8s up --start             start Minikube if needed, then the whole stack",
            "  devk8s status                 components, URLs and the hosts block",
            "  devk8s down                   remove the stack and its hosts block",
            "  devk8s render stack           the stack as YAML (--out DIR: one file each)",
            "  devk8s hosts apply            point *.minikube at the cluster",
            "",
            "Exit codes: 0 ok, 1 failure, 2 usage error, 3 missing tool or cluster."
        })
public class Devk8sCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions globalOptions;

    @Spec
    CommandSpec spec;

    private final Environment environment;
    private final ServicesFactory servicesFactory;

    /** How commands get their services: the real ones, or test doubles wired to a mock API server. */
    @FunctionalInterface
    public interface ServicesFactory {
        Services create(Environment environment, io.devk8s.console.Console console);
    }

    public Devk8sCommand() {
        this(Environment.system(), Services::new);
    }

    public Devk8sCommand(Environment environment, ServicesFactory servicesFactory) {
        this.environment = environment;
        this.servicesFactory = servicesFactory;
    }

    Environment environment() {
        return environment;
    }

    ServicesFactory servicesFactory() {
        return servicesFactory;
    }

    GlobalOptions globalOptions() {
        return globalOptions;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.OK;
    }

    /** A CommandLine wired with the error handlers, colour choice and streams. */
    public static CommandLine commandLine(Devk8sCommand root, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(root);
        ErrorHandlers handlers = new ErrorHandlers(root);
        cmd.setHelpFactory(WordWrapHelp.FACTORY); // wraps at spaces only: examples stay copy-pasteable
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler(handlers);
        cmd.setParameterExceptionHandler(handlers);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setOverwrittenOptionsAllowed(true); // like kubectl: the last --timeout wins
        cmd.setExecutionStrategy(parseResult -> {
            boolean color = colorEnabled(root);
            parseResult.commandSpec().commandLine().setColorScheme(
                    Help.defaultColorScheme(color ? Help.Ansi.ON : Help.Ansi.OFF));
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cmd;
    }

    static boolean colorEnabled(Devk8sCommand root) {
        return ColorChoice.enabled(root.environment, root.globalOptions.noColor(), ColorChoice.isTerminal());
    }
}
