package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The global flags work before and after the subcommand. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GlobalOptionsTest {
    @TempDir
    Path dir;

    private CliRunner.Result badTemplate(String... args) throws Exception {
        Files.createDirectories(dir.resolve("stack"));
        Files.writeString(dir.resolve("stack/namespace.yaml"), "a: {{ nope }}\n");
        return new CliRunner().runAndExpect(ExitCode.USAGE, args);
    }

    @Test
    void should_print_the_stack_trace_only_with_verbose_given_after_the_subcommand() throws Exception {
        var plain = badTemplate("render", "stack", "--templates", dir.toString());
        assertFalse(plain.err().contains("\tat "), plain.err());
        var verbose = badTemplate("render", "stack", "--templates", dir.toString(), "-v");
        assertTrue(verbose.err().contains("\tat io.devk8s."), verbose.err());
    }

    @Test
    void should_print_the_stack_trace_only_with_verbose_given_before_the_subcommand() throws Exception {
        var verbose = badTemplate("--verbose", "render", "stack", "--templates", dir.toString());
        assertTrue(verbose.err().contains("\tat io.devk8s."), verbose.err());
    }

    @Test
    void should_drop_info_lines_with_quiet_after_the_subcommand() throws Exception {
        Path out = dir.resolve("out");
        var normal = new CliRunner().runAndExpect(ExitCode.OK, "render", "stack", "--out", out.toString());
        assertTrue(normal.err().contains("wrote "), normal.err());
        var quiet = new CliRunner().runAndExpect(ExitCode.OK, "render", "stack", "--out", out.toString(), "-q");
        assertFalse(quiet.err().contains("wrote "), quiet.err());
    }
}
