package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RootCommandTest {
    private final CliRunner cli = new CliRunner();

    @Test
    void should_print_version_and_commit() {
        var r = cli.runAndExpect(ExitCode.OK, "--version");
        assertTrue(r.out().startsWith("devk8s "), r.out());
        assertTrue(r.out().contains("(commit "), r.out());
        assertFalse(r.out().contains("${"), "version placeholders were not filtered: " + r.out());
    }

    @Test
    void should_print_help_with_examples_and_exit_codes() {
        var r = cli.runAndExpect(ExitCode.OK, "--help");
        assertTrue(r.out().contains("Examples:"), r.out());
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertTrue(r.out().contains("--verbose"), r.out());
        assertFalse(r.out().contains("\u001b["), "NO_COLOR must disable colours");
    }

    @Test
    void should_reject_an_unknown_flag_with_one_line_and_exit_2() {
        var r = cli.runAndExpect(ExitCode.USAGE, "--bogus");
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.err().contains("--bogus"), r.err());
        assertTrue(r.err().contains("devk8s --help"), r.err());
    }

    @Test
    void should_reject_an_unknown_command_with_exit_2() {
        var r = cli.runAndExpect(ExitCode.USAGE, "frobnicate");
        assertTrue(r.err().contains("frobnicate"), r.err());
    }

    @Test
    void should_run_the_hidden_training_run_without_a_cluster_and_keep_it_out_of_the_help() throws Exception {
        // sandbox folders that were there before (left by something else) are not this run's
        java.util.Set<java.nio.file.Path> before = sandboxFolders();
        // no KUBECONFIG, no minikube on PATH: it must need neither
        var r = new CliRunner().env("PATH", "/nonexistent").env("KUBECONFIG", "/nonexistent/config")
                .runAndExpect(ExitCode.OK, "training-run");
        // status, up and deploy run in the sandbox (a loopback API server and Docker engine, a minikube script) and
        // get through: status finds a degraded stack (exit 1), up and both deploys succeed; nothing is printed
        assertTrue(r.err().matches("(?s)training run: rendered the help of \\d{2} commands; rendered and parsed "
                + "\\d{2} objects; ran against a loopback API server and Docker engine: status \\(exit 1\\), "
                + "up \\(exit 0\\), deploy \\(exit 0\\), deploy \\(exit 0\\)\\s*"), r.err());
        assertEquals("", r.out());
        java.util.Set<java.nio.file.Path> left = sandboxFolders();
        left.removeAll(before);
        assertEquals(java.util.Set.of(), left, "the sandbox must be removed");
        assertFalse(cli.runAndExpect(ExitCode.OK, "--help").out().contains("training-run"));
    }

    /** The training sandbox folders in the temporary folder now. */
    private static java.util.Set<java.nio.file.Path> sandboxFolders() throws java.io.IOException {
        try (var entries = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(f -> f.getFileName().toString().startsWith("devk8s-training"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
        }
    }
}
