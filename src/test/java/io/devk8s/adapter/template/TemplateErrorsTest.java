package io.devk8s.adapter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Template mistakes reported in template terms, with file and line, and never silently accepted. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TemplateErrorsTest {
    private static final Map<String, Object> VALUES = Map.of("namespace", "dev", "x", true, "items", List.of(1, 2));

    @TempDir
    Path dir;

    private void write(String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Renders {@code text} as stack/t.yaml and returns the one-line usage error after "FILE:". */
    private String error(String text) throws Exception {
        write("stack/t.yaml", text);
        TemplateEngine engine = new TemplateEngine(new TemplateSource(dir), new Environment(Map.of(), dir));
        Devk8sException ex = assertThrows(Devk8sException.class, () -> engine.render("stack/t.yaml", VALUES));
        assertEquals(ExitCode.USAGE, ex.exitCode(), ex.getMessage());
        assertEquals(1, ex.getMessage().lines().count(), ex.getMessage());
        assertFalse(ex.getMessage().matches(".*(Exception|java\\.|jinjava|hubspot|snakeyaml|MappingStartEvent).*"),
                "no library internals: " + ex.getMessage());
        String prefix = dir.resolve("stack/t.yaml") + ":";
        assertEquals(prefix, ex.getMessage().substring(0, prefix.length()), ex.getMessage());
        return ex.getMessage().substring(prefix.length());
    }

    private String render(String text) throws Exception {
        write("stack/t.yaml", text);
        return new TemplateEngine(new TemplateSource(dir), new Environment(Map.of(), dir)).render("stack/t.yaml", VALUES);
    }

    @Test
    void should_name_the_line_of_an_unclosed_expression() throws Exception {
        assertEquals("2: '{{' is not closed with '}}', e.g. {{ namespace }}", error("a: 1\nb: {{ namespace }\nc: 2\n"));
        assertEquals("1: '{{' is not closed with '}}' before the next '{{' on line 2, e.g. {{ namespace }}",
                error("a: {{ namespace }\nb: {{ namespace }}\n"));
        assertEquals("3: '{%' is not closed with '%}' before the next '{%' on line 5, e.g. {% if jaeger %}", error("a: 1\n\n{% if x }\nb\n{% endif %}\n"));
        assertEquals("2: '{#' is not closed with '#}', e.g. {# a comment #}", error("a: 1\n{# note\nb: 2\n"));
    }

    @Test
    void should_accept_braces_inside_quoted_strings_and_raw_blocks() throws Exception {
        assertEquals("a: {{ x\n", render("a: {{ '{{' }} x\n"));
        assertEquals("b: }}\n", render("b: {{ \"}}\" }}\n"));
        assertEquals("c: {{ $labels.instance }", render("c: {% raw %}{{ $labels.instance }{% endraw %}\n"));
        assertEquals("d: {x}\n", render("d: {x}\n"));
    }

    @Test
    void should_call_an_unknown_filter_an_unknown_filter() throws Exception {
        assertEquals("1: unknown filter 'nosuchfilter' in {{ namespace | nosuchfilter }}: check its spelling (filters "
                + "include default, indent, quote, tojson, upper, lower, replace and embed)", error("a: {{ namespace | nosuchfilter }}\n"));
        String chained = error("a: 1\nb: {{ namespace | default('x') | uper }}\n");
        assertEquals("2: unknown filter 'uper'", chained.substring(0, chained.indexOf(" in ")), chained);
    }

    @Test
    void should_still_name_an_undefined_variable_that_goes_through_a_filter() throws Exception {
        String message = error("a: {{ nosuchvar | upper }}\n");
        assertEquals("1: undefined variable 'nosuchvar'", message.substring(0, message.indexOf(" (")), message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a: 1\\n{% endif %}\\nb: 2\\n|2: {% endif %} has no matching {% if %}: remove it, or add the {% if ... %} it should close",
        "{% endfor %}\\n|1: {% endfor %} has no matching {% for %}: remove it, or add the {% for ... %} it should close",
        "{% if x %}a{% endif %}\\n{%- endif %}\\n|2: {% endif %} has no matching {% if %}: remove it, or add the {% if ... %} it should close",
        "{% for i in items %}\\n{% endif %}\\n|2: {% endif %} does not match the open {% for i in items %} from line 1: close that one first with {% endfor %}",
        "a\\n{% if x %}\\nb\\n|2: {% if x %} is never closed: add {% endif %} where the block ends",
        "{% macro m() %}\\nx\\n|1: {% macro m() %} is never closed: add {% endmacro %} where the block ends",
        "{% raw %}\\n{{ x\\n|1: {% raw %} is never closed: add {% endraw %} where the raw text ends",
        "a\\n{% else %}\\nb\\n|2: {% else %} outside an {% if %} or {% for %} block: move it inside one or remove it",
        "{% elif x %}\\n|1: {% elif %} outside an {% if %} block: move it inside one or remove it",
        "{% for i in items %}{% elif x %}{% endfor %}\\n|1: {% elif %} outside an {% if %} block: move it inside one or remove it",
        "{% if x %}\\na\\n{% else %}\\nb\\n{% else %}\\nc\\n{% endif %}\\n|5: {% else %} after the {% else %} of the {% if x %} block from line 1: a block has at most one {% else %}, and it comes last",
        "{% if x %}a{% else %}b\\n{% elif x %}c{% endif %}\\n|2: {% elif %} after the {% else %} of the {% if x %} block from line 1: a block has at most one {% else %}, and it comes last",
    })
    void should_reject_unbalanced_block_tags(String template, String expected) throws Exception {
        assertEquals(expected, error(template.replace("\\n", "\n")));
    }

    @Test
    void should_accept_balanced_nesting_else_in_for_and_set_blocks() throws Exception {
        // a line ending with a block tag loses its line break (trim_blocks)
        assertEquals("12", render("{% for i in items %}{% if x %}{{ i }}{% else %}-{% endif %}{% endfor %}\n"));
        render("{% for i in [] %}{{ i }}{% else %}none{% endfor %}\n"); // Jinja's for-else: accepted
        assertEquals("dev\n", render("{% set y %}{{ namespace }}{% endset %}{{ y }}\n"));
        assertEquals("1\n", render("{% set z = 1 %}{{ z }}\n"));
        assertEquals("b", render("{% if not x %}a{% elif x %}b{% else %}c{% endif %}\n"));
    }

    @Test
    void should_name_the_partial_holding_an_unbalanced_tag() throws Exception {
        write("stack/_part.yaml", "x: 1\n{% endif %}\n");
        write("stack/t.yaml", "a: 1\n{% include \"stack/_part.yaml\" %}\n");
        TemplateEngine engine = new TemplateEngine(new TemplateSource(dir), new Environment(Map.of(), dir));
        Devk8sException ex = assertThrows(Devk8sException.class, () -> engine.render("stack/t.yaml", VALUES));
        assertEquals(dir.resolve("stack/_part.yaml") + ":2: {% endif %} has no matching {% if %}: remove it, or add "
                + "the {% if ... %} it should close", ex.getMessage());
    }

    @Test
    void should_report_the_line_of_the_source_after_environment_substitution() throws Exception {
        write("stack/t.yaml", "a: ${A:-x}\nb: {{ namespace }\n");
        TemplateEngine engine = new TemplateEngine(new TemplateSource(dir), new Environment(Map.of("A", "y"), dir));
        Devk8sException ex = assertThrows(Devk8sException.class, () -> engine.render("stack/t.yaml", VALUES));
        assertEquals(dir.resolve("stack/t.yaml") + ":2: '{{' is not closed with '}}', e.g. {{ namespace }}", ex.getMessage());
    }
}
