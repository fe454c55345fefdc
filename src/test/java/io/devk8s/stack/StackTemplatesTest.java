package io.devk8s.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.devk8s.support.ManifestValidator;
import io.devk8s.support.StackRendering;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StackTemplatesTest {
    @Test
    void should_render_valid_kubernetes_manifests_with_the_defaults() {
        String yaml = StackRendering.render();
        List<String> problems = new ManifestValidator("devk8s").problems(yaml);
        assertEquals(List.of(), problems, yaml);
    }
}
