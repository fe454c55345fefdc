package io.devk8s.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.ManifestValidator;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The examples shipped with devk8s work as their README says. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExamplesTest {
    private static final Path PROJECT = Path.of(System.getProperty("devk8s.project.dir", "."));

    @Test
    void should_render_the_custom_templates_example_into_a_valid_stack_with_its_extra_component() {
        Path example = PROJECT.resolve("examples/custom-templates");
        var r = new CliRunner().runAndExpect(ExitCode.OK, "render", "stack", "--templates", example.toString());
        new ManifestValidator().validate(r.out());
        assertTrue(r.out().contains("# Source: stack/whoami/whoami.yaml"), "the new component is rendered");
        assertTrue(r.out().contains("host: whoami.minikube"), r.out());
        // values.yaml of the example is merged over the bundled one: changed keys change, the rest stays
        assertTrue(r.out().contains("--log.level=DEBUG"), "traefik.logLevel from the example");
        // retention lives in prometheus.yml (storage.tsdb.retention), rendered into the prometheus-config ConfigMap
        assertTrue(r.out().contains("\n          time: 7d\n"), "prometheus.retention from the example");
        assertTrue(r.out().contains("\n          size: 1GB\n"), "bundled default kept");
    }
}
