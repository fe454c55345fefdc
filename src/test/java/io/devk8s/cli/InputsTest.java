package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Echoed input is cut short in every error: one helper, used by the error handler for every message. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InputsTest {
    private static final String HUGE = "a".repeat(120_000);

    @Test
    void should_keep_short_input_and_cut_long_input_with_its_length() {
        assertEquals("dev", Inputs.shorten("dev"));
        assertEquals("a".repeat(80) + "... (120000 characters)", Inputs.shorten(HUGE));
        assertEquals("a?b", Inputs.shorten("a\nb"));
        assertEquals("x?[31m", Inputs.shorten("x\u001b[31m"));
        assertEquals("", Inputs.shorten(null));
    }

    @Test
    void should_cut_only_the_over_long_words_of_a_message_and_keep_its_punctuation() {
        String path = "/home/me/" + "p".repeat(150) + "/hosts";
        assertEquals("--hosts-file " + path + ": no such file", Inputs.shortenWords("--hosts-file " + path + ": no such file"));
        assertEquals("--namespace '" + "a".repeat(80) + "... (120000 characters)': bad",
                Inputs.shortenWords("--namespace '" + HUGE.substring(1) + "a': bad"));
    }

    @Test
    void should_not_echo_a_120_kb_namespace_whole_in_any_command() {
        for (String[] args : new String[][] {{"render", "stack", "-n", HUGE}, {"status", "-n", HUGE, "-p", "has space"},
            {"status", "-o", HUGE}, {"up", "--timeout", HUGE}, {"render", "stack", "--set", HUGE}}) {
            var r = new CliRunner().env("PATH", "").run(args);
            assertTrue(r.exitCode() == ExitCode.USAGE, args[0] + " " + args[1] + ": " + r.exitCode());
            assertTrue(r.err().length() < 1_000, args[0] + " " + args[1] + " echoed " + r.err().length() + " characters");
            assertTrue(r.errLines().startsWith("error: "), r.err().substring(0, Math.min(300, r.err().length())));
        }
    }
}
