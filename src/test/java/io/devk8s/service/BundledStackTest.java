package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.devk8s.ExitCode;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.support.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack as shipped in the jar, whatever {@code templates/stack} holds, rendered through the real CLI. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BundledStackTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    private record Doc(String source, String component, JsonNode node) {}

    private static void assumeBundledStack() {
        assumeTrue(TemplateSource.bundled().readBundled("stack/values.yaml").isPresent(),
                "this build has no bundled stack/values.yaml yet");
    }

    private static List<Doc> parse(String out) throws Exception {
        List<Doc> docs = new ArrayList<>();
        for (String chunk : out.split("(?m)^---\n")) {
            if (chunk.isBlank()) {
                continue;
            }
            assertTrue(chunk.startsWith("# Source: stack/"), chunk);
            String source = chunk.substring("# Source: ".length(), chunk.indexOf('\n'));
            String[] parts = source.split("/");
            docs.add(new Doc(source, parts.length == 2 ? RenderService.NAMESPACE_COMPONENT : parts[1], YAML.readTree(chunk)));
        }
        return docs;
    }

    @Test
    void should_render_the_bundled_stack_in_apply_order() throws Exception {
        assumeBundledStack();
        var r = new CliRunner().workDir(dir).runAndExpect(ExitCode.OK, "render", "stack");
        List<Doc> docs = parse(r.out());
        assertFalse(docs.isEmpty());
        assertEquals("Namespace", docs.get(0).node().path("kind").asText(), r.out());
        List<String> order = new ArrayList<>(List.of(RenderService.NAMESPACE_COMPONENT));
        order.addAll(RenderService.STACK_COMPONENTS);
        for (int i = 1; i < docs.size(); i++) {
            Doc before = docs.get(i - 1);
            Doc after = docs.get(i);
            int rankBefore = RenderService.rank(before.node().path("kind").asText());
            int rankAfter = RenderService.rank(after.node().path("kind").asText());
            String pair = before.source() + " " + before.node().path("kind") + " then " + after.source() + " "
                    + after.node().path("kind");
            assertTrue(rankBefore <= rankAfter, "kinds out of apply order: " + pair);
            if (rankBefore == rankAfter) {
                assertTrue(order.indexOf(before.component()) <= order.indexOf(after.component()),
                        "components out of order within a kind: " + pair);
            }
        }
        for (Doc d : docs) {
            assertFalse(d.node().path("metadata").path("name").asText().isEmpty(), d.source());
            assertFalse(d.source().contains("/_") || d.source().contains("/files/"), d.source());
        }
    }

    @Test
    void should_render_every_bundled_component_and_write_one_file_each() throws Exception {
        assumeBundledStack();
        RenderService service = new RenderService(TemplateSource.bundled(), new CliRunner().environment());
        List<String> components = service.knownComponents();
        assertEquals(RenderService.STACK_COMPONENTS.stream().filter(components::contains).toList(),
                components.subList(0, Math.min(components.size(), (int) RenderService.STACK_COMPONENTS.stream()
                        .filter(components::contains).count())), "stack components come first, in stack order");
        RenderedStack stack = service.renderStack(StackOptions.defaults());
        for (String component : components) {
            assertFalse(stack.documents(component).isEmpty(), component + " rendered no document");
        }
        new CliRunner().workDir(dir).runAndExpect(ExitCode.OK, "render", "stack", "--out", "out");
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertEquals(components.size() + 1, files.count());
        }
        assertTrue(Files.readString(dir.resolve("out/00-namespace.yaml")).contains("kind: Namespace"));
    }

    @Test
    void should_list_every_bundled_stack_file_in_the_inventory() throws Exception {
        String project = System.getProperty("devk8s.project.dir");
        assumeTrue(project != null, "run by Maven, which sets devk8s.project.dir");
        Path templates = Path.of(project, "templates");
        List<String> listed = TemplateSource.bundled().list("stack/");
        try (Stream<Path> files = Files.walk(templates.resolve("stack"))) {
            List<String> missing = files.filter(Files::isRegularFile)
                    .map(f -> templates.relativize(f).toString().replace('\\', '/'))
                    .filter(p -> !listed.contains(p))
                    .toList();
            assertEquals(List.of(), missing, "files under templates/stack missing from templates/index.txt");
        } catch (java.nio.file.NoSuchFileException e) {
            assumeTrue(false, "no templates/stack folder yet");
        }
    }
}
