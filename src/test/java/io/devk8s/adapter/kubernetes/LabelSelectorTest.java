package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link LabelSelector} against a table of cases whose expected results are those of the API server
 * ({@code k8s.io/apimachinery/pkg/labels}): {@code !=} and {@code notin} match an object without the key,
 * {@code in} and {@code =} do not, requirements are ANDed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabelSelectorTest {
    /** The labels every case is matched against: {@code app=web, tier=frontend, track=} (empty value). */
    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "frontend", "track", "",
            "example.com/team", "a", "replicas", "3");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "app=web                         | true",
            "app==web                        | true",
            "app=db                          | false",
            "app!=db                         | true",
            "app!=web                        | false",
            "missing!=x                      | true",   // != matches an object without the key
            "missing=x                       | false",
            "app in (web,db)                 | true",
            "app in (db)                     | false",
            "missing in (a,b)                | false",
            "app notin (db,cache)            | true",
            "app notin (web)                 | false",
            "missing notin (a)               | true",   // notin matches an object without the key
            "app                             | true",
            "missing                         | false",
            "!missing                        | true",
            "!app                            | false",
            "track=                          | true",   // an empty value is a value
            "track                           | true",
            "track!=                         | false",
            "example.com/team=a              | true",
            "app=web,tier=frontend           | true",
            "app=web,tier=backend            | false",
            " app = web , tier in ( frontend , x ) , !gone | true",
            "replicas>2                      | true",
            "replicas<3                      | false",
            "app>1                           | false",  // not a number: no match
            "''                              | true",   // empty selects everything
    })
    void should_match_like_the_api_server(String selector, boolean expected) {
        assertEquals(expected, LabelSelector.parse(selector).matches(LABELS), selector);
    }

    @Test
    void should_match_everything_without_a_selector_and_nothing_required_without_labels() {
        assertTrue(LabelSelector.parse(null).matches(null));
        assertTrue(LabelSelector.parse("  ").isEverything());
        assertTrue(LabelSelector.parse("a!=b,c notin (d),!e").matches(null));
        assertFalse(LabelSelector.parse("a").matches(null));
    }

    @Test
    void should_keep_the_text_as_given_for_the_api_server() {
        String text = "app.kubernetes.io/part-of=devk8s, tier notin (db)";
        LabelSelector selector = LabelSelector.parse(text);
        assertEquals(text, selector.toString());
        assertEquals(List.of(
                new LabelSelector.Requirement("app.kubernetes.io/part-of", LabelSelector.Operator.EQUALS, List.of("devk8s")),
                new LabelSelector.Requirement("tier", LabelSelector.Operator.NOT_IN, List.of("db"))),
                selector.requirements());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "app in (web                | position 12 (end of selector): expected ',' or ')' in the value list",
            "app in web                 | position 8 ('w'): expected '(' after in",
            "app in ()                  | position 9 (')'): empty value list after in",
            "app is web                 | position 5 ('i'): expected =, ==, !=, in, notin or ',' after key 'app'",
            "=web                       | position 1 ('='): expected a label key",
            "app=web,,tier              | position 9 (','): expected a label key",
            "-app=web                   | position 1 ('-'): invalid key name '-app'",
            "Example.com/app=x          | position 1 ('E'): invalid key prefix 'Example.com'",
            "app=we b                   | position 8 ('b'): expected ',' between requirements",
            "app=-web                   | position 5 ('-'): invalid value '-web'",
            "replicas>two               | position 10 ('t'): expected an integer after '>'",
    })
    void should_name_the_position_of_a_syntax_error_in_one_line(String selector, String message) {
        Devk8sException e = assertThrows(Devk8sException.class, () -> LabelSelector.parse(selector));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("label selector \"" + selector + "\": " + message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
