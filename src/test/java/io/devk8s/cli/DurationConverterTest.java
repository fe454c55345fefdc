package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** Durations are checked when the command line is parsed: format and the 24h maximum, exit 2 naming the flag. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void should_read_kubectl_style_durations() {
        assertEquals(Duration.ofSeconds(90), converter.convert("90s"));
        assertEquals(Duration.ofSeconds(90), converter.convert("1m30s"));
        assertEquals(Duration.ofSeconds(45), converter.convert("45"));
        assertEquals(Duration.ofMillis(1500), converter.convert("1s500ms"));
        assertEquals(Duration.ofHours(24), converter.convert("24h"));
        assertEquals(Duration.ZERO, converter.convert("0s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999h", "24h1s", "1441m", "86401", "99999999999999999999999999",
        "9223372036854775807ms", "100000000000000000000h"})
    void should_refuse_durations_over_the_maximum_without_overflowing(String value) {
        var e = assertThrows(TypeConversionException.class, () -> converter.convert(value));
        assertTrue(e.getMessage().contains("maximum of 24h"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5x", "", "m", "-5s", "1.5m", "5m junk"})
    void should_refuse_what_is_not_a_duration(String value) {
        var e = assertThrows(TypeConversionException.class, () -> converter.convert(value));
        assertTrue(e.getMessage().contains("is not a duration"), e.getMessage());
    }

    @Test
    void should_exit_2_naming_the_flag_before_anything_runs() {
        for (String[] args : new String[][] {{"up", "--timeout", "99999999999h"}, {"down", "--timeout", "25h"}}) {
            var r = new CliRunner().env("PATH", "").runAndExpect(ExitCode.USAGE, args);
            assertTrue(r.errLines().contains("'--timeout'") && r.errLines().contains("24h"), r.err());
            assertEquals(1, r.errLines().lines().count(), r.err());
            assertTrue(!r.err().contains("minikube"), "nothing ran: " + r.err());
        }
    }
}
