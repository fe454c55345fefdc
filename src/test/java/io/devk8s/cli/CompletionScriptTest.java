package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * {@code completions/devk8s.bash} (bash; zsh through bashcompinit) is generated from the command tree by picocli. It is committed so
 * that installs and packages need no build step; this test keeps it in step with the commands. To regenerate:
 * {@code mvn -q test -Dtest=CompletionScriptTest -Ddevk8s.writeCompletions=true}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CompletionScriptTest {

    @Test
    void should_match_the_command_tree() throws Exception {
        String generated = AutoComplete.bash("devk8s", new CommandLine(new Devk8sCommand()));
        Path committed = Path.of(System.getProperty("devk8s.project.dir", "."), "completions", "devk8s.bash");
        if (Boolean.getBoolean("devk8s.writeCompletions")) {
            Files.writeString(committed, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(committed), "missing " + committed + "; regenerate it (see this test's javadoc)");
        assertEquals(generated, Files.readString(committed, StandardCharsets.UTF_8),
                committed + " is out of date; regenerate it: mvn -q test -Dtest=CompletionScriptTest -Ddevk8s.writeCompletions=true");
        for (String command : List.of("up", "render", "hosts", "doctor", "--allow-context", "--node-port")) {
            assertTrue(generated.contains(command), "completion lacks " + command);
        }
    }
}
