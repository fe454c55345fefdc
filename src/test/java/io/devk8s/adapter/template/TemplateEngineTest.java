package io.devk8s.adapter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TemplateEngineTest {
    @TempDir
    Path dir;

    private TemplateEngine engine() {
        return new TemplateEngine(new TemplateSource(dir), new Environment(Map.of("NS", "from-env"), dir));
    }

    private void write(String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void should_render_variables() throws Exception {
        write("stack/a.yaml", "name: {{ namespace }}\nport: {{ traefik.nodePort }}\n");
        String out = engine().render("stack/a.yaml", Map.of("namespace", "dev", "traefik", Map.of("nodePort", 80)));
        assertEquals("name: dev\nport: 80\n", out);
    }

    @Test
    void should_name_file_and_line_of_an_undefined_variable() throws Exception {
        write("stack/a.yaml", "a: 1\nb: 2\nc: {{ nope }}\n");
        var ex = assertThrows(Devk8sException.class, () -> engine().render("stack/a.yaml", Map.of()));
        assertEquals(ExitCode.USAGE, ex.exitCode());
        assertTrue(ex.getMessage().contains("a.yaml:3:"), ex.getMessage());
        assertTrue(ex.getMessage().contains("nope"), ex.getMessage());
    }

    @Test
    void should_name_file_and_line_of_a_syntax_error() throws Exception {
        write("stack/a.yaml", "a: 1\n{% if x %}\nb: 2\n");
        var ex = assertThrows(Devk8sException.class, () -> engine().render("stack/a.yaml", Map.of("x", true)));
        assertTrue(ex.getMessage().matches(".*a\\.yaml:\\d+: .*"), ex.getMessage());
    }

    @Test
    void should_count_lines_right_after_block_tags_and_imports() throws Exception {
        write("stack/_m.yaml", "{% macro x() %}x{% endmacro %}\n");
        write("stack/a.yaml", "{% import \"stack/_m.yaml\" as m %}\n{% if true %}\n  a: 1\n  {% endif %}\n"
                + "{% for i in [1, 2] %}\nb{{ i }}: {{ i }}\n{% endfor %}\nc: {{ nope }}\n");
        var ex = assertThrows(Devk8sException.class, () -> engine().render("stack/a.yaml", Map.of()));
        assertTrue(ex.getMessage().contains("a.yaml:8:"), ex.getMessage());
    }

    @Test
    void should_drop_the_line_breaks_and_indentation_of_block_tag_lines() throws Exception {
        write("stack/a.yaml", "list:\n  {% for i in [1, 2] %}\n  - {{ i }}\n  {% endfor %}\nraw: |\n"
                + "  {% raw %}\n  {{ kept }} {% if %}\n  {% endraw %}\nend: {% if true %}yes{% endif %}\n");
        assertEquals("list:\n  - 1\n  - 2\nraw: |\n  {{ kept }} {% if %}\nend: yes", engine().render("stack/a.yaml", Map.of()));
    }

    @Test
    void should_name_a_missing_partial_and_a_bad_embed_argument_without_java_class_names() throws Exception {
        write("stack/a.yaml", "a: 1\n{% include \"stack/_missing.yaml\" %}\n");
        var missing = assertThrows(Devk8sException.class, () -> engine().render("stack/a.yaml", Map.of()));
        assertTrue(missing.getMessage().contains("_missing.yaml"), missing.getMessage());
        assertFalse(missing.getMessage().matches(".*[a-z]+\\.[A-Za-z.]*Exception.*"), missing.getMessage());

        write("stack/files/x.txt", "x\n");
        write("stack/b.yaml", "b: {{ \"files/x.txt\" | embed(\"four\") }}\n");
        var embed = assertThrows(Devk8sException.class, () -> engine().render("stack/b.yaml", Map.of()));
        assertTrue(embed.getMessage().contains("b.yaml:1:") && embed.getMessage().contains("indentation"), embed.getMessage());
        assertFalse(embed.getMessage().contains("NumberFormatException"), embed.getMessage());
    }

    @Test
    void should_accept_defaults_for_undefined_variables() throws Exception {
        write("stack/a.yaml", "a: {{ missing | default('x') }}\n{% if other is defined %}b: 1{% endif %}\n");
        assertEquals("a: x\n", engine().render("stack/a.yaml", Map.of()));
    }

    @Test
    void should_include_and_import_partials_from_the_same_source() throws Exception {
        write("stack/_macros.yaml", "{% macro labels(name) %}app: {{ name }}{% endmacro %}");
        write("stack/_part.yaml", "part: {{ ns }}\n");
        write("stack/a.yaml", "{% import \"stack/_macros.yaml\" as m %}{{ m.labels('x') }}\n{% include \"stack/_part.yaml\" %}");
        assertEquals("app: x\npart: dev\n", engine().render("stack/a.yaml", Map.of("ns", "dev")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "plain\n", "no final newline", "two final newlines\n\n", "  leading spaces\nx\n",
        "\nleading newline\n", "legend {{instance}} and ${DS} and $1:$2 and $$\n",
        "{% raw %} {{ x }}\n", "tab\tinside\n", "\ttab first\n", "crlf\r\nline\r\n", "trailing  \nspaces  \n",
        "{\n  \"json\": \"{{ job }}\"\n}\n"
    })
    void should_embed_files_byte_for_byte(String content) throws Exception {
        write("stack/files/raw.txt", content);
        write("stack/cm.yaml", "data:\n  raw: {{ \"files/raw.txt\" | embed(4) }}\n  after: ok\n");
        String out = engine().render("stack/cm.yaml", Map.of());
        Map<String, Map<String, String>> doc = new Yaml().load(out);
        assertEquals(content, doc.get("data").get("raw"), out);
        assertEquals("ok", doc.get("data").get("after"));
    }

    @Test
    void should_substitute_environment_variables_before_jinja() throws Exception {
        write("stack/a.yaml", "ns: ${NS}\nname: {{ '${NS}' | upper }}\nother: ${OTHER:-fallback}\n");
        assertEquals("ns: from-env\nname: FROM-ENV\nother: fallback\n", engine().render("stack/a.yaml", Map.of()));
    }

    @Test
    void should_report_jinja_errors_at_the_source_line_after_substitution() throws Exception {
        write("stack/a.yaml", "a: ${NS}\nb: ${OTHER:-x}\nc: {{ nope }}\n");
        var ex = assertThrows(Devk8sException.class, () -> engine().render("stack/a.yaml", Map.of()));
        assertTrue(ex.getMessage().contains("a.yaml:3: "), ex.getMessage());
    }

    @Test
    void should_name_the_partial_when_an_included_file_has_an_unset_variable() throws Exception {
        write("stack/_part.yaml", "x: 1\ny: ${MISSING_IN_PARTIAL}\n");
        write("stack/a.yaml", "a: 1\n{% include \"stack/_part.yaml\" %}");
        var ex = assertThrows(Devk8sException.class, () -> engine().render("stack/a.yaml", Map.of()));
        assertEquals(ExitCode.USAGE, ex.exitCode());
        assertTrue(ex.getMessage().startsWith(dir.resolve("stack/_part.yaml") + ":2: ${MISSING_IN_PARTIAL}"),
                ex.getMessage());
    }

    @Test
    void should_substitute_in_partials_too() throws Exception {
        write("stack/_part.yaml", "part: ${NS}\n");
        write("stack/a.yaml", "{% include \"stack/_part.yaml\" %}");
        assertEquals("part: from-env\n", engine().render("stack/a.yaml", Map.of()));
    }

    @Test
    void should_never_substitute_embedded_files() throws Exception {
        write("stack/files/raw.txt", "keep ${NS} and ${UNSET_VARIABLE}\n");
        write("stack/cm.yaml", "data:\n  raw: {{ \"files/raw.txt\" | embed(4) }}\n  ns: ${NS}\n");
        Map<String, Map<String, String>> doc = new Yaml().load(engine().render("stack/cm.yaml", Map.of()));
        assertEquals("keep ${NS} and ${UNSET_VARIABLE}\n", doc.get("data").get("raw"));
        assertEquals("from-env", doc.get("data").get("ns"));
    }

    @Test
    void should_use_an_empty_environment_when_none_is_given() throws Exception {
        write("stack/a.yaml", "a: ${HOME:-none}\n");
        write("stack/b.yaml", "a: 1\nb: ${HOME}\n");
        TemplateEngine noEnv = new TemplateEngine(new TemplateSource(dir));
        assertEquals("a: none\n", noEnv.render("stack/a.yaml", Map.of()));
        var ex = assertThrows(Devk8sException.class, () -> noEnv.render("stack/b.yaml", Map.of()));
        assertTrue(ex.getMessage().contains("b.yaml:2: ${HOME} is not set"), ex.getMessage());
    }
}
