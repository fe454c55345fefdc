package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code devk8s up} and {@code up --dry-run} check against the API server before the first write: every
 * kind and apiVersion against API discovery, then a server-side dry run of each object that would be written.
 * Against the mock API server, which answers dry runs without storing; it has no schemas, so it cannot show
 * {@code fieldValidation=Strict} rejecting an unknown field (a real API server does).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UpPreflightMockTest {
    /** Rendered, the import line disappears: {@code kind:} is on line 2 of the rendered output. */
    private static final String WIDGET_TEMPLATE = """
            {% import "stack/_helpers.yaml" as h %}
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: gadget
              namespace: {{ namespace }}
              labels:
                {{ h.labels("grafana") | indent(4) }}
            spec:
              size: 3
            """;

    @TempDir
    Path dir;

    private MockKubernetes mock;
    private CliRunner cli;
    private Path hosts;
    private Path templates;

    @BeforeEach
    void setUp() throws IOException {
        mock = MockKubernetes.start().nodePortRange(80, 32767);
        Path bin = MinikubeFixture.install(dir);
        hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        cli = new CliRunner()
                .env("PATH", MinikubeFixture.pathWith(bin))
                .env("HOME", Files.createDirectories(dir.resolve("home")).toString())
                .env("KUBECONFIG", mock.writeKubeconfig(dir, "minikube").toString())
                .env("FIXTURE_MINIKUBE_LOG", dir.resolve("minikube.log").toString());
        templates = dir.resolve("templates");
        Files.createDirectories(templates.resolve("stack/grafana"));
        Files.writeString(templates.resolve("stack/grafana/widget.yaml"), WIDGET_TEMPLATE);
    }

    @AfterEach
    void tearDown() {
        mock.close();
    }

    private CliRunner.Result up(int expected, String... extra) {
        List<String> args = new ArrayList<>(List.of("up", "--hosts-file", hosts.toString(), "--timeout", "20s",
                "--templates", templates.toString()));
        args.addAll(List.of(extra));
        return cli.runAndExpect(expected, args.toArray(String[]::new));
    }

    @Test
    void should_refuse_a_kind_the_api_server_does_not_serve_naming_the_template_line_before_any_write() {
        var r = up(ExitCode.USAGE);

        List<String> errors = r.errLines().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains("stack/grafana/widget.yaml (rendered) line 2: kind Widget (apiVersion example.com/v1)"
                + " is not served by the API server of context 'minikube'"), r.err());
        assertFalse(r.err().contains("GenericKubernetesResource"), r.err());
        assertEquals(List.of(), mock.writes(), "nothing applied");
        assertEquals(List.of(), mock.dryRuns(), "the discovery check comes first");
    }

    @Test
    void should_run_the_same_discovery_check_on_a_dry_run() {
        var r = up(ExitCode.USAGE, "--dry-run");

        assertTrue(r.err().contains("stack/grafana/widget.yaml (rendered) line 2: kind Widget"), r.err());
        assertEquals(List.of(), mock.writes());
    }

    @Test
    void should_apply_a_custom_resource_the_api_server_serves() {
        mock.serveKind("example.com/v1", "Widget", "widgets", true);
        mock.startController();

        var r = up(ExitCode.OK);

        assertTrue(r.err().contains("Widget devk8s/gadget"), r.err());
        assertNotNull(mock.admin().genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup("example.com").withVersion("v1").withKind("Widget").withPlural("widgets")
                .withNamespaced(true).build()).inNamespace("devk8s").withName("gadget").get());
    }

    @Test
    void should_dry_run_the_changed_objects_on_the_server_and_store_nothing_with_dry_run() throws IOException {
        mock.serveKind("example.com/v1", "Widget", "widgets", true);
        mock.startController();
        up(ExitCode.OK);
        Files.writeString(templates.resolve("stack/grafana/widget.yaml"), WIDGET_TEMPLATE.replace("size: 3", "size: 4"));
        mock.clearRequests();

        var r = up(ExitCode.OK, "--dry-run");

        assertEquals(List.of(), mock.writes(), r.err());
        assertEquals(1, mock.dryRuns().size(), mock.requests().toString());
        assertTrue(mock.dryRuns().get(0).path().startsWith("/apis/example.com/v1/namespaces/devk8s/widgets/gadget?"),
                mock.dryRuns().toString());
        assertTrue(mock.dryRuns().get(0).path().contains("fieldValidation=Strict"), mock.dryRuns().toString());
        var stored = mock.admin().genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup("example.com").withVersion("v1").withKind("Widget").withPlural("widgets")
                .withNamespaced(true).build()).inNamespace("devk8s").withName("gadget").get();
        assertEquals(3, ((java.util.Map<?, ?>) stored.getAdditionalProperties().get("spec")).get("size"),
                "the dry run changed nothing");
    }

    @Test
    void should_dry_run_cluster_scoped_objects_on_a_first_up_and_write_nothing() {
        mock.serveKind("example.com/v1", "Widget", "widgets", true);

        var r = up(ExitCode.OK, "--dry-run");

        assertEquals(List.of(), mock.writes(), r.err());
        assertTrue(mock.dryRuns().stream().anyMatch(d -> d.path().startsWith("/api/v1/namespaces/devk8s?")),
                mock.dryRuns().toString());
        assertNull(mock.admin().namespaces().withName("devk8s").get(), "the dry run of the Namespace stored nothing");
    }
}
