package io.devk8s.cli;

import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.Services;
import io.devk8s.console.ColorChoice;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IFactory;
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
                + "traefik-ui, prometheus, grafana and jaeger .minikube, builds and deploys your apps there (or on "
                + "kind, k3d and the desktop clusters), and refuses to touch a cluster that is not on this machine "
                + "unless you name it with --allow-context."
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
            DaemonCommand.class,
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
        this(environment, servicesFactory, null);
    }

    /**
     * A root for a command whose caller is elsewhere (the background process serves a {@code devk8s} started in
     * another process): whether that caller talks to a terminal, and its width in columns when asked.
     *
     * @param caller null: this process's own terminal
     */
    public Devk8sCommand(Environment environment, ServicesFactory servicesFactory, Caller caller) {
        this.environment = environment;
        this.servicesFactory = servicesFactory;
        this.caller = caller;
    }

    /** The terminal of a caller in another process. */
    public interface Caller {
        /** Whether its standard input and output are a terminal. */
        boolean terminal();

        /** Its terminal's width in columns (asked when a live line is first drawn). */
        int columns();
    }

    private final Caller caller;

    /** Whether the caller talks to a terminal. */
    boolean terminal() {
        return caller == null ? ColorChoice.isTerminal() : caller.terminal();
    }

    /** The caller's width in columns, or null for picocli's own measure of this process's terminal. */
    java.util.function.IntSupplier columns() {
        return caller == null ? null : caller::columns;
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

    /** A CommandLine of the whole command tree, wired with the error handlers, colour choice and streams. */
    public static CommandLine commandLine(Devk8sCommand root, PrintWriter out, PrintWriter err) {
        return configure(new CommandLine(root), root, out, err);
    }

    /**
     * The CommandLine for one run of {@code args}, as {@code devk8s} runs it: only the subcommand the arguments
     * name is built in full (for {@code help X}: help and X); every other subcommand is a stub that holds the
     * attributes of its {@code @Command} (name, aliases, header, hidden), which is all the root's help, its list
     * of commands and its errors read. Building the whole tree reads the annotations of every command, option
     * and mixin, most of the start-up time of a short command. Parsing, help, errors and exit codes are those of
     * {@link #commandLine}, which builds the whole tree (for completion scripts and for tests that walk it).
     */
    public static CommandLine commandLineFor(Devk8sCommand root, PrintWriter out, PrintWriter err, String... args) {
        Set<String> wanted = subcommandsToBuild(args);
        if (wanted == null) {
            return commandLine(root, out, err);
        }
        IFactory factory = CommandLine.defaultFactory();
        Command command = Devk8sCommand.class.getAnnotation(Command.class);
        // what picocli does for an annotated root, in its order: attributes, subcommands, mixins, help options
        CommandSpec spec = CommandSpec.wrapWithoutInspection(root, factory);
        spec.updateCommandAttributes(command, factory);
        // a known command being run needs none of the others: their stubs are only for the root's help, `help`
        // and "did you mean" on a word that is not a command
        // the subcommands' names come from the generated index while it lists them all (RootHelpText): reading a
        // command's @Command is a tenth of a short command's start-up, and only the command run needs it
        Class<?>[] subs = command.subcommands();
        String[][] names = RootHelpText.COMMAND_NAMES.length == subs.length ? RootHelpText.COMMAND_NAMES : null;
        boolean onlyWanted = !wanted.isEmpty() && !wanted.contains("help") && knowsAll(subs, names, wanted);
        for (int i = 0; i < subs.length; i++) {
            Class<?> sub = subs[i];
            if (onlyWanted && names != null && !containsAny(names[i], wanted)) {
                continue;
            }
            Command subCommand = sub.getAnnotation(Command.class);
            boolean build = wanted.contains(subCommand.name())
                    || List.of(subCommand.aliases()).stream().anyMatch(wanted::contains);
            if (!build && onlyWanted) {
                continue;
            }
            CommandLine subLine;
            if (build) {
                subLine = new CommandLine(sub, factory);
            } else {
                CommandSpec stub = CommandSpec.create();
                stub.updateCommandAttributes(subCommand, null);
                subLine = new CommandLine(stub, factory);
            }
            spec.addSubcommand(subCommand.name(), subLine);
        }
        if (root.globalOptions == null) {
            root.globalOptions = new GlobalOptions();
        }
        spec.addMixin("globalOptions", CommandSpec.forAnnotatedObject(root.globalOptions, factory));
        root.spec = spec;
        spec.mixinStandardHelpOptions(command.mixinStandardHelpOptions());
        return configure(new CommandLine(spec, factory), root, out, err);
    }

    /**
     * What {@code devk8s} prints for {@code args} when they ask for the root's help and nothing else
     * ({@code --help}, {@code -h}, {@code help} or no argument), laid out without building a command (see
     * {@link RootHelp}); null for any other arguments, or when picocli must lay the help out.
     */
    public static String rootHelp(String... args) {
        return RootHelp.isRequest(args) ? RootHelp.forThisProcess(Environment.system()) : null;
    }

    /** Whether every name in {@code wanted} is a subcommand's name or alias ({@code names}: the index, or null). */
    private static boolean knowsAll(Class<?>[] subs, String[][] names, Set<String> wanted) {
        Set<String> known = new HashSet<>();
        for (int i = 0; i < subs.length; i++) {
            if (names != null) {
                known.addAll(List.of(names[i]));
            } else {
                Command c = subs[i].getAnnotation(Command.class);
                known.add(c.name());
                known.addAll(List.of(c.aliases()));
            }
        }
        return known.containsAll(wanted);
    }

    private static boolean containsAny(String[] names, Set<String> wanted) {
        for (String name : names) {
            if (wanted.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The names of the root's subcommands {@code args} runs: the first argument that is not a flag (the root's
     * flags take no value), and after {@code help} the command it asks about. Empty when no subcommand is run;
     * null when picocli must see the whole tree (an {@code @file} of arguments, expanded by picocli).
     */
    static Set<String> subcommandsToBuild(String... args) {
        Set<String> names = new HashSet<>();
        for (String arg : args) {
            if (arg.startsWith("@")) {
                return null;
            }
        }
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.startsWith("-")) {
                continue;
            }
            names.add(arg);
            if (!arg.equals("help") || names.size() > 1) {
                break;
            }
        }
        return names;
    }

    private static CommandLine configure(CommandLine cmd, Devk8sCommand root, PrintWriter out, PrintWriter err) {
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
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } finally {
                // work the command started ahead (minikube's answers, a git call, a list) and no longer needs,
                // e.g. after an early error: ended now (its processes killed), so none of it outlives the command
                io.devk8s.service.Background.endStartedBy(Thread.currentThread(), java.time.Duration.ofSeconds(5));
            }
        });
        return cmd;
    }

    static boolean colorEnabled(Devk8sCommand root) {
        return ColorChoice.enabled(root.environment, root.globalOptions.noColor(), root.terminal());
    }
}
