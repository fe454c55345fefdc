package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Environment;
import io.devk8s.support.FixtureTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A render is kept for the next command of the process with the same inputs (each command makes a RenderService
 * of its own, as these tests do), and never handed out once an input changed: a user file, an environment variable
 * a template reads, the options.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RenderMemoTest {
    @TempDir
    Path dir;

    private static Environment env(Map<String, String> variables) {
        return new Environment(variables, Path.of("."));
    }

    private RenderedStack render(Map<String, String> variables, StackOptions options) {
        return new RenderService(FixtureTemplates.source(dir), env(variables)).renderStack(options);
    }

    private void writeDeployment(String label) throws Exception {
        Path file = dir.resolve("stack/traefik/deployment.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: traefik
                  namespace: {{ namespace }}
                  labels:
                    tier: ${TIER:-dev}
                    mark: %s
                """.formatted(label));
    }

    private static RenderedDocument deployment(RenderedStack stack) {
        return stack.documents().stream().filter(d -> d.kind().equals("Deployment")).findFirst().orElseThrow();
    }

    @Test
    void the_same_inputs_get_the_kept_documents_and_an_unrelated_variable_does_not_matter() throws Exception {
        writeDeployment("one");
        RenderedStack first = render(Map.of("TIER", "prod", "PWD", "/a"), StackOptions.defaults());
        RenderedStack second = render(Map.of("TIER", "prod", "PWD", "/b"), StackOptions.defaults());
        assertSame(deployment(first), deployment(second), "rendered again although nothing it reads changed");
        assertEquals(first.documents(), second.documents());
    }

    @Test
    void a_changed_user_file_is_rendered_again() throws Exception {
        writeDeployment("one");
        RenderedStack first = render(Map.of(), StackOptions.defaults());
        writeDeployment("two");
        RenderedStack second = render(Map.of(), StackOptions.defaults());
        assertTrue(deployment(first).yaml().contains("mark: one"), deployment(first).yaml());
        assertTrue(deployment(second).yaml().contains("mark: two"), deployment(second).yaml());
    }

    @Test
    void a_changed_or_removed_environment_variable_that_a_template_reads_is_rendered_again() throws Exception {
        writeDeployment("one");
        assertTrue(deployment(render(Map.of("TIER", "prod"), StackOptions.defaults())).yaml().contains("tier: prod"));
        assertTrue(deployment(render(Map.of("TIER", "test"), StackOptions.defaults())).yaml().contains("tier: test"));
        assertTrue(deployment(render(Map.of(), StackOptions.defaults())).yaml().contains("tier: dev"));
    }

    @Test
    void other_options_are_rendered_again() throws Exception {
        writeDeployment("one");
        RenderedStack first = render(Map.of(), StackOptions.defaults());
        RenderedStack other = render(Map.of(), new StackOptions("elsewhere", null, List.of(), List.of()));
        assertNotSame(deployment(first), deployment(other));
        assertTrue(deployment(other).yaml().contains("namespace: elsewhere"), deployment(other).yaml());
    }

    @Test
    void a_caller_that_changes_the_values_it_got_does_not_change_what_the_next_one_gets() throws Exception {
        writeDeployment("one");
        RenderedStack first = render(Map.of(), StackOptions.defaults());
        @SuppressWarnings("unchecked")
        Map<String, Object> traefik = (Map<String, Object>) first.values().values().get("traefik");
        traefik.put("added-by-a-caller", true);
        RenderedStack second = render(Map.of(), StackOptions.defaults());
        assertSame(deployment(first), deployment(second));
        @SuppressWarnings("unchecked")
        Map<String, Object> again = (Map<String, Object>) second.values().values().get("traefik");
        assertFalse(again.containsKey("added-by-a-caller"), again.toString());
    }
}
