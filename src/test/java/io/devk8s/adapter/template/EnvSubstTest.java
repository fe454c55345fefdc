package io.devk8s.adapter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EnvSubstTest {
    private final EnvSubst subst = new EnvSubst(new Environment(
            Map.of("NAME", "alice", "PORT", "8080", "EMPTY", "", "_under", "u", "X", "ex"), Path.of(".")));

    @Test
    void should_replace_braced_variables() {
        assertEquals("user: alice on 8080, u", subst.apply("f.yaml", "user: ${NAME} on ${PORT}, ${_under}"));
    }

    @Test
    void should_use_the_default_only_when_unset_or_empty() {
        assertEquals("a=alice b=dflt c=other d=", subst.apply("f.yaml",
                "a=${NAME:-x} b=${MISSING:-dflt} c=${EMPTY:-other} d=${MISSING:-}"));
    }

    @Test
    void should_keep_a_default_with_spaces_and_punctuation_verbatim() {
        assertEquals("url: http://localhost:9090/x?y=1", subst.apply("f.yaml", "url: ${MISSING:-http://localhost:9090/x?y=1}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "replacement: $1:$2",
        "replacement: ${1}",
        "plain: $NAME and $X",
        "grafana: $__tags",
        "grafana: ${__value.raw}",
        "grafana: ${__from} ${__rate_interval}",
        "escaped: $$",
        "escaped: $${X}",
        "escaped: $${NAME:-d} and $$$${X}",
        "trailing dollar $",
        "brace without name ${}",
        "unterminated ${NAME",
        "dotted ${NAME.field}",
        "dash ${NAME-default}",
        "other operator ${NAME:=x} ${NAME:+x}",
        "default across lines ${NAME:-a\nb}",
        "digit first ${9NAME}",
        "jinja {{ x }} and {% if y %}{% endif %}",
        "no dollar at all"
    })
    void should_leave_everything_else_exactly_as_it_is(String text) {
        assertEquals(text, subst.apply("f.yaml", text));
    }

    @Test
    void should_only_skip_the_dollar_directly_before_a_dollar() {
        assertEquals("$$ then alice", subst.apply("f.yaml", "$$ then ${NAME}"));
        assertEquals("$$${X}", subst.apply("f.yaml", "$$${X}"));
    }

    @Test
    void should_name_file_line_and_variable_and_the_fix_for_an_unset_variable() {
        var ex = assertThrows(Devk8sException.class,
                () -> subst.apply("k8s/app.yaml", "a: 1\nb: ${NAME}\nc: ${NOT_SET_ANYWHERE}\n"));
        assertEquals(ExitCode.USAGE, ex.exitCode());
        assertTrue(ex.getMessage().startsWith("k8s/app.yaml:3: ${NOT_SET_ANYWHERE} is not set"), ex.getMessage());
        assertTrue(ex.getMessage().contains("export NOT_SET_ANYWHERE="), ex.getMessage());
        assertTrue(ex.getMessage().contains("${NOT_SET_ANYWHERE:-"), ex.getMessage());
        assertEquals(1, ex.getMessage().lines().count());
    }

    @Test
    void should_treat_an_empty_variable_as_unset() {
        var ex = assertThrows(Devk8sException.class, () -> subst.apply("f.yaml", "x: ${EMPTY}"));
        assertTrue(ex.getMessage().startsWith("f.yaml:1: ${EMPTY} is not set"), ex.getMessage());
    }

    @Test
    void should_count_lines_the_same_with_crlf_and_keep_crlf() {
        assertEquals("a: alice\r\nb: 8080\r\n", subst.apply("f.yaml", "a: ${NAME}\r\nb: ${PORT}\r\n"));
        var ex = assertThrows(Devk8sException.class, () -> subst.apply("f.yaml", "a: 1\r\nb: 2\r\nc: ${NOPE}\r\n"));
        assertTrue(ex.getMessage().startsWith("f.yaml:3: "), ex.getMessage());
    }

    @Test
    void should_refuse_a_value_with_a_line_break() {
        var multi = new EnvSubst(new Environment(Map.of("CERT", "line1\nline2"), Path.of(".")));
        var ex = assertThrows(Devk8sException.class, () -> multi.apply("f.yaml", "a: 1\ncert: ${CERT}\n"));
        assertTrue(ex.getMessage().startsWith("f.yaml:2: ${CERT} holds a line break"), ex.getMessage());
    }

    @Test
    void should_not_rescan_substituted_values() {
        var nested = new EnvSubst(new Environment(Map.of("A", "${B}", "B", "b"), Path.of(".")));
        assertEquals("x: ${B}", nested.apply("f.yaml", "x: ${A}"));
    }
}
