package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.support.CliRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * devk8s builds only the subcommand it runs, with stubs for the others ({@link Devk8sCommand#commandLineFor});
 * everything a user sees must be what the whole command tree ({@link Devk8sCommand#commandLine}) gives: help of
 * every command, {@code help X}, the root's list of commands, errors for unknown commands and flags, exit codes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LazyCommandTreeTest {

    record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome run(boolean lazy, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Devk8sCommand root = new Devk8sCommand(new CliRunner().environment(), (e, c) -> {
            throw new AssertionError("no command may run services here: " + String.join(" ", args));
        });
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cmd = lazy ? Devk8sCommand.commandLineFor(root, o, e, args) : Devk8sCommand.commandLine(root, o, e);
        int code = cmd.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static CommandLine full() {
        return Devk8sCommand.commandLine(new Devk8sCommand(new CliRunner().environment(), (e, c) -> null),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    static Stream<String> commandLines() {
        List<String> lines = new ArrayList<>(List.of("", "--help", "-h", "-v --help", "--no-color -q --help", "help",
                "help help", "help nope", "help --help", "frobnicate", "stauts", "stat --help", "--bogus", "-- up",
                "up --bogus", "status -o xml", "hosts", "hosts bogus", "hosts apply --help", "hosts show --help",
                "hosts remove --help", "render stak", "render stack --help", "help render", "-v help hosts",
                "status --help up", "up status", "--version", "-V"));
        CommandLine root = full();
        root.getSubcommands().forEach((name, sub) -> {
            lines.add(name + " --help");
            lines.add("help " + name);
            lines.add(name + " --no-such-flag");
            lines.add("-q " + name + " -h");
        });
        return lines.stream();
    }

    @ParameterizedTest(name = "devk8s {0}")
    @MethodSource("commandLines")
    void should_print_what_the_whole_tree_prints_for(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        Outcome whole = run(false, args);
        Outcome lazy = run(true, args);
        assertEquals(whole, lazy, "devk8s " + line);
        assertTrue(!whole.out().isEmpty() || !whole.err().isEmpty(), "devk8s " + line + " printed nothing");
    }

    @Test
    void should_build_only_a_known_command_being_run_and_nothing_else() {
        CommandLine lazy = Devk8sCommand.commandLineFor(new Devk8sCommand(new CliRunner().environment(), (e, c) -> null),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "-v", "status", "--help");
        assertEquals(Set.of("status"), lazy.getSubcommands().keySet());
        Function<CommandLine, List<String>> options = c -> c.getCommandSpec().options().stream()
                .filter(o -> !o.inherited()).map(OptionSpec::longestName).toList();
        assertEquals(options.apply(full().getSubcommands().get("status")),
                options.apply(lazy.getSubcommands().get("status")));
    }

    @Test
    void should_build_the_command_asked_about_and_stub_the_others_for_help() {
        CommandLine lazy = Devk8sCommand.commandLineFor(new Devk8sCommand(new CliRunner().environment(), (e, c) -> null),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "-v", "help", "status");
        CommandLine whole = full();
        assertEquals(whole.getSubcommands().keySet(), lazy.getSubcommands().keySet());
        lazy.getSubcommands().forEach((name, sub) -> {
            CommandLine real = whole.getSubcommands().get(name);
            assertEquals(List.of(real.getCommandSpec().usageMessage().header()),
                    List.of(sub.getCommandSpec().usageMessage().header()), name);
            assertEquals(real.getCommandSpec().usageMessage().hidden(), sub.getCommandSpec().usageMessage().hidden());
            Function<CommandLine, List<String>> options = c -> c.getCommandSpec().options().stream()
                    .filter(o -> !o.inherited()).map(OptionSpec::longestName).toList();
            if (name.equals("status") || name.equals("help")) {
                assertEquals(options.apply(real), options.apply(sub), name + " is built in full");
            } else {
                assertEquals(List.of(), options.apply(sub), name + " is a stub: only the inherited flags");
            }
        });
        Function<CommandLine, List<String>> rootOptions = c -> c.getCommandSpec().options().stream()
                .map(o -> String.join(",", o.names()) + " " + o.inherited()).toList();
        assertEquals(rootOptions.apply(whole), rootOptions.apply(lazy));
        assertEquals(whole.getCommandSpec().mixins().keySet(), lazy.getCommandSpec().mixins().keySet());
    }

    @Test
    void should_know_the_command_from_the_first_word_that_is_not_a_flag() {
        assertEquals(Set.of("up"), Devk8sCommand.subcommandsToBuild("-v", "up", "--start", "status"));
        assertEquals(Set.of("help", "hosts"), Devk8sCommand.subcommandsToBuild("help", "hosts"));
        assertEquals(Set.of(), Devk8sCommand.subcommandsToBuild("--help"));
        assertEquals(Set.of(), Devk8sCommand.subcommandsToBuild("--", "up"));
        assertNull(Devk8sCommand.subcommandsToBuild("status", "@args.txt"), "argument files need the whole tree");
    }

    /** The command is found by skipping flags, which holds only while no flag of the root takes a value. */
    @Test
    void should_give_the_root_only_flags_without_a_value() {
        for (OptionSpec option : full().getCommandSpec().options()) {
            assertEquals(0, option.arity().max(), option.longestName() + " takes a value: "
                    + "Devk8sCommand.subcommandsToBuild must then skip it to find the command");
        }
    }

    @Test
    void should_print_the_version_before_picocli_as_picocli_prints_it() {
        StringWriter out = new StringWriter();
        for (String flag : List.of("--version", "-V")) {
            out.getBuffer().setLength(0);
            int code = io.devk8s.Devk8s.run(new String[] {flag}, new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true));
            Outcome picocli = run(false, flag);
            assertEquals(new Outcome(picocli.exitCode(), picocli.out(), ""), new Outcome(code, out.toString(), ""));
            assertTrue(out.toString().startsWith("devk8s "), out.toString());
        }
    }
}
