package io.devk8s.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Environment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** no-color.org: only a NO_COLOR with a value turns colour off; CLICOLOR conventions; terminals only. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ColorChoiceTest {
    private static Environment env(String... pairs) {
        var map = new java.util.HashMap<String, String>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return new Environment(Map.copyOf(map), Path.of("."));
    }

    @Test
    void should_keep_colour_on_a_terminal_when_no_color_is_set_but_empty() {
        assertTrue(ColorChoice.enabled(env("NO_COLOR", ""), false, true));
        assertTrue(ColorChoice.enabled(env(), false, true));
    }

    @Test
    void should_turn_colour_off_for_a_no_color_with_any_value_or_the_flag() {
        assertFalse(ColorChoice.enabled(env("NO_COLOR", "1"), false, true));
        assertFalse(ColorChoice.enabled(env("NO_COLOR", "0"), false, true)); // any value, even 0
        assertFalse(ColorChoice.enabled(env(), true, true));
    }

    @Test
    void should_follow_clicolor_and_dumb_terminals() {
        assertTrue(ColorChoice.enabled(env("CLICOLOR_FORCE", "1"), false, false));
        assertFalse(ColorChoice.enabled(env("CLICOLOR_FORCE", "0"), false, false));
        assertFalse(ColorChoice.enabled(env("CLICOLOR", "0"), false, true));
        assertFalse(ColorChoice.enabled(env("TERM", "dumb"), false, true));
        assertFalse(ColorChoice.enabled(env("NO_COLOR", "1", "CLICOLOR_FORCE", "1"), false, true));
    }

    @Test
    void should_not_colour_what_is_not_a_terminal() {
        assertFalse(ColorChoice.enabled(env(), false, false));
    }
}
