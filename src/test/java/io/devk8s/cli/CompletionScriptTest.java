package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code completions/devk8s.bash} and {@code completions/_devk8s} (zsh) are generated from the command tree by
 * {@link CompletionScripts}. They are committed so that installs and packages need no build step; this test keeps
 * them in step with the commands, and checks that the build put the same files into the jar, where
 * {@code devk8s completion bash|zsh} prints them from. To regenerate:
 * {@code mvn -q test -Dtest=CompletionScriptTest -Ddevk8s.writeCompletions=true}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CompletionScriptTest {

    private static final String REGENERATE =
            "regenerate it: mvn -q test -Dtest=CompletionScriptTest -Ddevk8s.writeCompletions=true";

    private static Path committed(String file) {
        return Path.of(System.getProperty("devk8s.project.dir", "."), "completions", file);
    }

    private static String check(String file, Function<CommandSpec, String> generator) throws Exception {
        String generated = generator.apply(new CommandLine(new Devk8sCommand()).getCommandSpec());
        Path committed = committed(file);
        if (Boolean.getBoolean("devk8s.writeCompletions")) {
            Files.writeString(committed, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(committed), "missing " + committed + "; " + REGENERATE);
        assertEquals(generated, Files.readString(committed, StandardCharsets.UTF_8),
                committed + " is out of date; " + REGENERATE);
        return generated;
    }

    @Test
    void bash_script_should_match_the_command_tree() throws Exception {
        String bash = check("devk8s.bash", CompletionScripts::bash);
        for (String word : List.of("up", "render", "hosts", "doctor", "completion", "--allow-context", "--node-port",
                "complete -F _devk8s devk8s")) {
            assertTrue(bash.contains(word), "completion lacks " + word);
        }
    }

    @Test
    void zsh_script_should_match_the_command_tree() throws Exception {
        String zsh = check("_devk8s", CompletionScripts::zsh);
        assertTrue(zsh.startsWith("#compdef devk8s\n"), "zsh autoloads a completion function by its #compdef line");
        assertTrue(!zsh.contains("bashcompinit"), "the zsh script must be native");
        for (String word : List.of("_devk8s_up()", "_devk8s_hosts_show()", "--allow-context=", "--node-port=",
                "Minikube profile")) {
            assertTrue(zsh.contains(word), "zsh completion lacks " + word);
        }
    }

    @Test
    void every_visible_option_and_command_is_in_both_scripts() throws Exception {
        CommandSpec spec = new CommandLine(new Devk8sCommand()).getCommandSpec();
        String bash = CompletionScripts.bash(spec);
        String zsh = CompletionScripts.zsh(spec);
        for (String option : CompletionScripts.optionNames(spec)) {
            assertTrue(java.util.regex.Pattern.compile("(?<=[\\s'|])" + java.util.regex.Pattern.quote(option)
                    + "(?=[\\s'|)])").matcher(bash).find(), "bash lacks " + option);
            assertTrue(zsh.contains(option), "zsh lacks " + option);
        }
        for (String path : CompletionScripts.commandPaths(spec)) {
            String last = path.substring(path.lastIndexOf(' ') + 1);
            assertTrue(bash.contains(" " + last), "bash lacks the command " + path);
            assertTrue(zsh.contains("'" + last + ":"), "zsh lacks the command " + path);
        }
        assertTrue(!bash.contains("training-run") && !zsh.contains("training-run"), "hidden commands stay hidden");
    }

    @Test
    void the_completion_command_prints_the_committed_scripts_from_the_jar_resources() throws Exception {
        for (CompletionCommand.Shell shell : CompletionCommand.Shell.values()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Devk8sCommand.commandLine(new Devk8sCommand(), new PrintWriter(out), new PrintWriter(err))
                    .execute("completion", shell.name());
            assertEquals(0, code, err.toString());
            assertEquals(Files.readString(committed(shell.file), StandardCharsets.UTF_8), out.toString(),
                    "devk8s completion " + shell + " must print completions/" + shell.file
                            + " (the build copies it into the jar; run mvn process-resources)");
            assertEquals("", err.toString());
        }
    }

    @Test
    void the_completion_command_rejects_another_shell_with_the_choices() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Devk8sCommand.commandLine(new Devk8sCommand(), new PrintWriter(out), new PrintWriter(err))
                .execute("completion", "fish");
        assertEquals(2, code);
        assertTrue(err.toString().contains("fish") && err.toString().contains("bash, zsh"), err.toString());
        assertEquals("", out.toString());
    }
}
