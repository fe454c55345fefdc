package io.devk8s.adapter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A template without Jinja markup is not given to Jinjava: its text after {@code ${VAR}} substitution is the
 * output. Checked here against Jinjava itself, byte for byte, for every bundled template and example manifest (those
 * with markup also with their markup lines left out, which makes realistic plain texts) and for texts made to trip
 * whitespace, line-break and brace handling.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlainTemplateTest {
    @TempDir
    Path dir;

    /** Every ${NAME} gets a value, so substitution never fails and the texts reach both renderings. */
    private TemplateEngine engine() {
        return new TemplateEngine(new TemplateSource(dir), new EnvSubst(name -> Optional.of("v-" + name)));
    }

    private static List<Path> templateFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(Path.of("templates"))) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        try (Stream<Path> walk = Files.walk(Path.of("examples"))) {
            walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().forEach(files::add);
        }
        return files;
    }

    /** The rendering without Jinja (when the text allows it) equals Jinja's; returns whether Jinja was skipped. */
    private boolean assertSameBothWays(String name, String text) {
        TemplateEngine engine = engine();
        String substituted = BlockLines.trim(new EnvSubst(n -> Optional.of("v-" + n)).apply(name, text));
        String direct = engine.renderText(name, text, Map.of(), false);
        String jinja = engine.renderText(name, text, Map.of(), true);
        if (TemplateEngine.needsJinja(substituted)) {
            return false;
        }
        assertEquals(jinja, direct, name);
        return true;
    }

    @Test
    void should_give_what_jinja_gives_for_every_bundled_template_and_example_without_markup() throws IOException {
        List<Path> files = templateFiles();
        assertTrue(files.size() > 30, files.toString());
        int plain = 0;
        int stripped = 0;
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file);
            } catch (MalformedInputException e) {
                continue; // not a text template
            }
            if (TemplateEngine.needsJinja(text)) {
                // with markup: Jinja renders it (variables would be needed); its plain lines make a plain text
                String withoutMarkup = text.lines().filter(l -> !l.contains("{") && !l.contains("%}")
                        && !l.contains("}}") && !l.contains("#}")).collect(Collectors.joining("\n", "", "\n"));
                if (assertSameBothWays(file + " (markup lines left out)", withoutMarkup)) {
                    stripped++;
                }
            } else {
                assertTrue(assertSameBothWays(file.toString(), text), file.toString());
                plain++;
            }
        }
        assertTrue(plain >= 5, "plain templates compared: " + plain); // the helloworld manifests among them
        assertTrue(stripped >= 20, "templates compared without their markup lines: " + stripped);
    }

    @Test
    void should_give_what_jinja_gives_for_whitespace_line_breaks_and_lone_braces() {
        List<String> texts = List.of("", "\n", "\n\n\n", "a", "a\n", "a\n\n", "a\n\n\n", "  a  \n  \n\t\n",
                "a\r\nb\r\n", "a\r\n\r\n", "a\rb\r", "\r\n", " ", "\t", "x: 1\n# comment\n",
                "{", "}", "}}", "%}", "#}", "{ {", "{ %", "x{", "{}", "{-", "a: {b: c}\n", "a: {b: {c: d}}\n",
                "{\n{\n", "-}}", "text %} more\n", "x: '%'\n", "key: {{\n".replace("{{", "{ {"),
                "ünïcödé: ✓\n", "$$ ${ ${1} $NAME\n", "\u00a0\n", "a\u2028b\n", "a\fb\n", "line\\\n", "\\{\\{ x\n",
                "raw: endraw\n", "a\n\n\n\n\n\n", "no newline at the end", "   leading\n", "trailing   ");
        int skipped = 0;
        for (String text : texts) {
            if (assertSameBothWays(text.replace("\n", "\\n").replace("\r", "\\r"), text)) {
                skipped++;
            }
        }
        assertEquals(texts.size(), skipped, "every text above is plain");
    }

    @Test
    void should_see_markup_that_a_substituted_value_brings_in() {
        TemplateEngine engine = new TemplateEngine(new TemplateSource(dir),
                new EnvSubst(name -> Optional.of("{{ 1 + 1 }}")));
        assertEquals("a: 2\n", engine.renderText("t.yaml", "a: ${X}\n", Map.of()));
    }

    @Test
    void should_leave_block_lines_to_jinja_when_a_line_ends_like_a_tag() {
        // BlockLines moves such a line break into a comment; Jinja then removes it (what it did before)
        String text = "a: 100%}\nb: 1\n";
        assertTrue(TemplateEngine.needsJinja(BlockLines.trim(text)));
        assertEquals(engine().renderText("t.yaml", text, Map.of(), true), engine().renderText("t.yaml", text, Map.of()));
    }

    @Test
    void should_find_markup_only_where_a_brace_opens_it() {
        assertTrue(TemplateEngine.needsJinja("{{ x }}"));
        assertTrue(TemplateEngine.needsJinja("a {% if x %}"));
        assertTrue(TemplateEngine.needsJinja("{# c #}"));
        assertTrue(TemplateEngine.needsJinja("{ {{"));
        assertFalse(TemplateEngine.needsJinja("{ { } } %} #} }}"));
        assertFalse(TemplateEngine.needsJinja("{"));
        assertFalse(TemplateEngine.needsJinja(""));
    }
}
