package io.devk8s.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** One more app in the text of a devk8s.yaml: inserted after the last app, every other byte as it was. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectFileEditorTest {
    private static final Path FILE = Path.of("/p/devk8s.yaml");
    private static final Map<String, String> FIELDS = new LinkedHashMap<>(Map.of("kind", "grpc"));

    @Test
    void should_insert_after_the_last_app_before_the_keys_that_follow() {
        String text = "project: p\napps:\n- name: a\n  build:\n    command: |\n      make\n      make test\n\n"
                + "namespace: n\n";
        String out = ProjectFileEditor.addApp(FILE, text, "b", FIELDS);
        assertEquals("project: p\napps:\n- name: a\n  build:\n    command: |\n      make\n      make test\n"
                + "- name: b\n  kind: grpc\n\nnamespace: n\n", out);
    }

    @Test
    void should_keep_crlf_line_endings_and_add_a_missing_final_line_break() {
        String out = ProjectFileEditor.addApp(FILE, "project: p\r\napps:\r\n  - name: a", "b", FIELDS);
        assertEquals("project: p\r\napps:\r\n  - name: a\r\n  - name: b\r\n    kind: grpc\r\n", out);
    }

    @Test
    void should_add_an_apps_list_when_there_is_none_or_it_is_empty() {
        assertEquals("project: p\napps:\n  - name: b\n    kind: grpc\n",
                ProjectFileEditor.addApp(FILE, "project: p\n", "b", FIELDS));
        assertEquals("project: p\napps:\n  - name: b\n    kind: grpc\n# end\n",
                ProjectFileEditor.addApp(FILE, "project: p\napps:\n# end\n", "b", FIELDS));
    }

    @Test
    void should_refuse_an_existing_name_naming_its_line_and_column() {
        Devk8sException e = assertThrows(Devk8sException.class,
                () -> ProjectFileEditor.addApp(FILE, "project: p\napps:\n  - image: x\n    name: b\n", "b", FIELDS));
        assertTrue(e.getMessage().startsWith("/p/devk8s.yaml:4:11: app 'b' already exists"), e.getMessage());
    }

    @Test
    void should_quote_values_yaml_would_read_as_something_else() {
        assertEquals("web", ProjectFileEditor.scalar("web"));
        assertEquals("deployment/web/*.yaml", ProjectFileEditor.scalar("deployment/web/*.yaml"));
        assertEquals("\"true\"", ProjectFileEditor.scalar("true"));
        assertEquals("\"8080\"", ProjectFileEditor.scalar("8080"));
        assertEquals("\"my app: \\\"x\\\"\"", ProjectFileEditor.scalar("my app: \"x\""));
    }
}
