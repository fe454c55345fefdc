package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.support.FixtureTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RenderServiceTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    private Environment env = new Environment(Map.of("HOME", "/home/dev", "TEAM", "payments"), Path.of("."));

    private RenderService fixture() {
        return new RenderService(FixtureTemplates.source(null), env);
    }

    /** The fixture bundle shadowed by files written into {@link #dir}. */
    private RenderService withOverrides() {
        return new RenderService(FixtureTemplates.source(dir), env);
    }

    private void write(String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static StackOptions sets(String... sets) {
        return new StackOptions(null, null, List.of(sets), List.of());
    }

    private static List<String> kindsAndNames(RenderedStack stack) {
        return stack.documents().stream().map(d -> d.kind() + " " + d.name()).toList();
    }

    private static Devk8sException usageError(Runnable action) {
        var ex = assertThrows(Devk8sException.class, action::run);
        assertEquals(ExitCode.USAGE, ex.exitCode(), ex.getMessage());
        assertEquals(1, ex.getMessage().lines().count(), ex.getMessage());
        return ex;
    }

    @Test
    void should_sort_documents_by_kind_then_component_then_file_order() {
        RenderedStack stack = fixture().renderStack(StackOptions.defaults());
        assertEquals(List.of(
                "Namespace devk8s",
                "ServiceAccount traefik",
                "ClusterRole traefik",
                "ClusterRoleBinding traefik",
                "ConfigMap prometheus",
                "ConfigMap grafana",
                "Secret grafana",
                "PersistentVolumeClaim prometheus-data",
                "Deployment traefik",
                "StatefulSet prometheus",
                "Deployment jaeger",
                "Service traefik",
                "Service grafana",
                "IngressClass traefik",
                "Ingress traefik-dashboard",
                "Ingress grafana",
                "Ingress jaeger",
                "ServiceMonitor jaeger"), kindsAndNames(stack));
        assertEquals(List.of("traefik", "prometheus", "grafana", "jaeger"), stack.components());
    }

    @Test
    void should_record_component_source_and_namespace_of_each_document() throws Exception {
        RenderedStack stack = fixture().renderStack(StackOptions.defaults());
        RenderedDocument ns = stack.documents().get(0);
        assertEquals(new RenderedDocument("namespace", "stack/namespace.yaml", "Namespace", "devk8s", null, ns.yaml()), ns);
        RenderedDocument role = stack.documents().stream().filter(d -> d.kind().equals("ClusterRole")).findFirst().orElseThrow();
        assertEquals("traefik", role.component());
        assertEquals("stack/traefik/rbac.yaml", role.source());
        assertNull(role.namespace());
        RenderedDocument secret = stack.documents().stream().filter(d -> d.kind().equals("Secret")).findFirst().orElseThrow();
        assertEquals("devk8s", secret.namespace());
        assertEquals("grafana", secret.component());
        for (RenderedDocument d : stack.documents()) {
            JsonNode node = YAML.readTree(d.yaml());
            assertEquals(d.kind(), node.path("kind").asText(), d.yaml());
            assertFalse(d.yaml().contains("---"), d.yaml());
            assertTrue(d.yaml().endsWith("\n") && !d.yaml().endsWith("\n\n"), d.yaml());
        }
        assertTrue(ns.yaml().contains("app.kubernetes.io/part-of: devk8s"), "partial included: " + ns.yaml());
    }

    @Test
    void should_skip_partials_raw_files_and_non_yaml_files() {
        RenderedStack stack = fixture().renderStack(StackOptions.defaults());
        for (RenderedDocument d : stack.documents()) {
            String file = d.source().substring(d.source().lastIndexOf('/') + 1);
            assertFalse(file.startsWith("_") || d.source().contains("/files/") || !file.endsWith(".yaml"), d.source());
        }
    }

    @Test
    void should_embed_raw_files_untouched_by_jinja_and_environment_substitution() throws Exception {
        RenderedStack stack = fixture().renderStack(StackOptions.defaults());
        RenderedDocument cm = stack.documents().stream()
                .filter(d -> d.kind().equals("ConfigMap") && d.name().equals("grafana")).findFirst().orElseThrow();
        String dashboard = YAML.readTree(cm.yaml()).path("data").path("dashboard.json").asText();
        assertEquals("{\"legendFormat\": \"{{instance}}\", \"expr\": \"rate(x[$__rate_interval])\", "
                + "\"link\": \"${__value.raw}\", \"env\": \"${HOME}\"}\n", dashboard);
        RenderedDocument prom = stack.documents().stream()
                .filter(d -> d.kind().equals("ConfigMap") && d.name().equals("prometheus")).findFirst().orElseThrow();
        assertTrue(prom.yaml().contains("replacement: $1:$2"), prom.yaml());
    }

    @Test
    void should_apply_namespace_and_domain_flags() {
        RenderedStack stack = fixture().renderStack(new StackOptions("team-a", "test", List.of(), List.of()));
        assertEquals("team-a", stack.values().namespace());
        assertEquals("test", stack.values().domain());
        assertEquals("Namespace team-a", kindsAndNames(stack).get(0));
        assertTrue(stack.documents().stream().filter(d -> d.namespace() != null).allMatch(d -> d.namespace().equals("team-a")));
        assertEquals(List.of("traefik.test", "grafana.test", "jaeger.test"), stack.hostnames());
    }

    @Test
    void should_type_set_values_like_their_defaults() throws Exception {
        RenderedStack stack = fixture().renderStack(sets("traefik.nodePort=8080", "traefik.dashboard=FALSE",
                "grafana.ratio=0.75", "grafana.adminPassword=123", "images.traefik=traefik:v3.6"));
        StackValues values = stack.values();
        assertEquals(8080, values.get("traefik.nodePort").orElseThrow());
        assertEquals(8080, values.traefikNodePort());
        assertEquals(false, values.get("traefik.dashboard").orElseThrow());
        assertEquals(0.75, values.get("grafana.ratio").orElseThrow());
        assertEquals("123", values.get("grafana.adminPassword").orElseThrow());
        String all = RenderService.toYaml(stack.documents());
        assertTrue(all.contains("nodePort: 8080\n"), all);
        assertTrue(all.contains("--api.dashboard=false"), all);
        assertTrue(all.contains("image: traefik:v3.6"), all);
        assertTrue(all.contains("password: \"123\""), all);
    }

    @Test
    void should_let_later_set_flags_win_and_dedicated_flags_win_over_set() {
        StackValues values = fixture().values(new StackOptions("flag-ns", null,
                List.of("traefik.replicas=2", "traefik.replicas=3", "namespace=set-ns"), List.of()));
        assertEquals(3, values.get("traefik.replicas").orElseThrow());
        assertEquals("flag-ns", values.namespace());
    }

    @Test
    void should_reject_an_unknown_set_key_and_suggest_the_close_one() {
        var ex = usageError(() -> fixture().values(sets("grafana.adminPasword=x")));
        assertTrue(ex.getMessage().startsWith("--set grafana.adminPasword=x: unknown key grafana.adminPasword"), ex.getMessage());
        assertTrue(ex.getMessage().contains("did you mean grafana.adminPassword?"), ex.getMessage());
    }

    @Test
    void should_list_the_known_keys_when_nothing_is_close() {
        var ex = usageError(() -> fixture().values(sets("completely.different=1")));
        assertTrue(ex.getMessage().contains("known keys: namespace, domain, traefik.nodePort"), ex.getMessage());
        assertTrue(ex.getMessage().contains("images.jaeger"), "versions.yaml keys are settable: " + ex.getMessage());
    }

    @Test
    void should_reject_a_non_number_for_a_number_key() {
        var ex = usageError(() -> fixture().values(sets("traefik.nodePort=eighty")));
        assertEquals("--set traefik.nodePort=eighty: traefik.nodePort takes a whole number (default 80)", ex.getMessage());
        ex = usageError(() -> fixture().values(sets("grafana.ratio=half")));
        assertTrue(ex.getMessage().startsWith("--set grafana.ratio=half: grafana.ratio takes a number"), ex.getMessage());
        ex = usageError(() -> fixture().values(sets("traefik.nodePort=80.5")));
        assertTrue(ex.getMessage().contains("whole number"), ex.getMessage());
    }

    @Test
    void should_reject_a_non_boolean_for_a_boolean_key() {
        var ex = usageError(() -> fixture().values(sets("traefik.dashboard=yes")));
        assertTrue(ex.getMessage().startsWith("--set traefik.dashboard=yes: traefik.dashboard takes true or false"), ex.getMessage());
    }

    @Test
    void should_reject_setting_a_group_or_a_malformed_assignment() {
        var ex = usageError(() -> fixture().values(sets("traefik=1")));
        assertTrue(ex.getMessage().contains("traefik is a group of settings; set one of its keys: traefik.nodePort"), ex.getMessage());
        ex = usageError(() -> fixture().values(sets("traefik.nodePort")));
        assertTrue(ex.getMessage().startsWith("--set traefik.nodePort: expected key=value"), ex.getMessage());
    }

    @Test
    void should_reject_invalid_namespace_and_domain() {
        var ex = usageError(() -> fixture().values(new StackOptions("Team_A", null, List.of(), List.of())));
        assertTrue(ex.getMessage().startsWith("--namespace Team_A: not a valid namespace name"), ex.getMessage());
        ex = usageError(() -> fixture().values(new StackOptions(null, "bad domain", List.of(), List.of())));
        assertTrue(ex.getMessage().startsWith("--domain bad domain: not a valid domain"), ex.getMessage());
        ex = usageError(() -> fixture().values(sets("namespace=UPPER")));
        assertTrue(ex.getMessage().startsWith("--set namespace=UPPER: not a valid namespace name"), ex.getMessage());
    }

    @Test
    void should_render_only_the_chosen_components_in_stack_order() {
        RenderedStack stack = fixture().renderStack(new StackOptions(null, null, List.of(), List.of("jaeger", "traefik")));
        assertEquals(List.of("traefik", "jaeger"), stack.components());
        assertEquals(java.util.Set.of("namespace", "traefik", "jaeger"),
                stack.documents().stream().map(RenderedDocument::component).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void should_reject_an_unknown_component_listing_the_known_ones() {
        var ex = usageError(() -> fixture().renderStack(new StackOptions(null, null, List.of(), List.of("traefik", "loki"))));
        assertEquals("--components traefik,loki: unknown component 'loki'; known components: traefik, prometheus, grafana, jaeger",
                ex.getMessage());
    }

    @Test
    void should_give_templates_the_enabled_components() throws Exception {
        write("stack/traefik/service.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: traefik
                  annotations:
                    grafana-enabled: "{{ 'grafana' in components }}"
                    jaeger-enabled: "{{ 'jaeger' in components }}"
                """);
        RenderedStack stack = withOverrides().renderStack(new StackOptions(null, null, List.of(), List.of("traefik", "grafana")));
        String service = stack.documents().stream().filter(d -> d.kind().equals("Service")).findFirst().orElseThrow().yaml();
        assertTrue(service.contains("grafana-enabled: \"true\""), service);
        assertTrue(service.contains("jaeger-enabled: \"false\""), service);
    }

    @Test
    void should_let_a_user_file_shadow_the_bundled_one_and_substitute_the_environment() throws Exception {
        write("stack/traefik/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: traefik-custom
                  namespace: {{ namespace }}
                  labels:
                    team: ${TEAM}
                    tier: ${TIER:-dev}
                """);
        RenderedStack stack = withOverrides().renderStack(StackOptions.defaults());
        RenderedDocument d = stack.documents().stream().filter(x -> x.kind().equals("Deployment")).findFirst().orElseThrow();
        assertEquals("traefik-custom", d.name());
        assertTrue(d.yaml().contains("team: payments\n    tier: dev\n"), d.yaml());
        assertEquals(1, stack.documents().stream().filter(x -> x.name().startsWith("traefik") && x.kind().equals("Deployment")).count());
    }

    @Test
    void should_merge_a_user_values_file_over_the_bundled_defaults() throws Exception {
        write("stack/values.yaml", "domain: test\ntraefik:\n  replicas: 2\nextra:\n  enabled: false\n");
        StackValues values = withOverrides().values(sets("extra.enabled=true"));
        assertEquals("test", values.domain());
        assertEquals(2, values.get("traefik.replicas").orElseThrow());
        assertEquals(80, values.traefikNodePort());
        assertEquals("devk8s", values.namespace());
        assertEquals(true, values.get("extra.enabled").orElseThrow());
        assertEquals("grafana/grafana:12.1.0", values.get("images.grafana").orElseThrow());
    }

    @Test
    void should_read_a_changed_values_file_again_and_never_share_values_between_callers() throws Exception {
        write("stack/values.yaml", "domain: first\ntraefik:\n  replicas: 2\n");
        StackValues first = withOverrides().values(sets("traefik.replicas=5")); // --set changes the caller's copy
        assertEquals(5, first.get("traefik.replicas").orElseThrow());
        StackValues again = withOverrides().values(StackOptions.defaults());
        assertEquals(2, again.get("traefik.replicas").orElseThrow(), "the parsed file is not changed by a --set");
        assertEquals("first", again.domain());
        write("stack/values.yaml", "domain: second\ntraefik:\n  replicas: 2\n");
        assertEquals("second", withOverrides().values(StackOptions.defaults()).domain());
    }

    @Test
    void should_add_a_component_from_a_user_folder_after_the_stack_ones() throws Exception {
        write("stack/loki/loki.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: loki\n  namespace: {{ namespace }}\n");
        write("stack/loki/_helpers.yaml", "{{ not rendered as a document }");
        RenderService service = withOverrides();
        assertEquals(List.of("traefik", "prometheus", "grafana", "jaeger", "loki"), service.knownComponents());
        RenderedStack stack = service.renderStack(new StackOptions(null, null, List.of(), List.of("loki")));
        assertEquals(List.of("Namespace devk8s", "Service loki"), kindsAndNames(stack));
        assertEquals("50-loki.yaml", service.fileName("loki"));
    }

    @Test
    void should_name_the_template_when_a_rendered_document_is_not_valid_yaml() throws Exception {
        write("stack/grafana/grafana.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\nkind: Secret\n  bad: [indent\n");
        var ex = usageError(() -> withOverrides().renderStack(StackOptions.defaults()));
        assertTrue(ex.getMessage().startsWith(dir.resolve("stack/grafana/grafana.yaml") + ": rendered document 2 is not valid YAML at line "),
                ex.getMessage());
    }

    @Test
    void should_describe_yaml_errors_without_parser_class_names() throws Exception {
        write("stack/jaeger/jaeger.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
                + "data: {% raw %}{{ not jinja }}{% endraw %}\n");
        var ex = usageError(() -> withOverrides().renderStack(StackOptions.defaults()));
        assertEquals(dir.resolve("stack/jaeger/jaeger.yaml") + ": rendered document 1 is not valid YAML at line 5 of the "
                + "rendered output: expected a key, got a mapping (a '{' or an indented key where a key belongs; quote a "
                + "value that starts with '{') (check the indentation of inserted values)", ex.getMessage());
        write("stack/jaeger/jaeger.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {[a]: 1}\n");
        ex = usageError(() -> withOverrides().renderStack(StackOptions.defaults()));
        assertTrue(ex.getMessage().contains("expected a key, got a list"), ex.getMessage());
        assertFalse(ex.getMessage().matches(".*(Event|snakeyaml|org\\.).*"), ex.getMessage());
    }

    @Test
    void should_reject_a_document_that_is_not_a_kubernetes_object() throws Exception {
        write("stack/jaeger/jaeger.yaml", "# just a comment\n---\nfoo: bar\n");
        var ex = usageError(() -> withOverrides().renderStack(StackOptions.defaults()));
        assertEquals(dir.resolve("stack/jaeger/jaeger.yaml") + ": rendered document 2 is not a Kubernetes object: "
                + "it needs apiVersion, kind and metadata.name", ex.getMessage());
    }

    @Test
    void should_reject_two_templates_defining_the_same_object() throws Exception {
        write("stack/jaeger/extra.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: grafana\n  namespace: {{ namespace }}\n");
        var ex = usageError(() -> withOverrides().renderStack(StackOptions.defaults()));
        assertTrue(ex.getMessage().contains("Service devk8s/grafana is already defined in templates/stack/grafana/grafana.yaml"),
                ex.getMessage());
    }

    @Test
    void should_render_a_folder_without_bundled_templates_and_ignore_empty_documents() throws Exception {
        write("stack/values.yaml", "namespace: solo\ndomain: local\n");
        write("stack/namespace.yaml", "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ namespace }}\n---\n\n---\n");
        write("stack/traefik/all.yaml", """
                {% for n in ['b', 'a'] %}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: "{{ n }}", namespace: "{{ namespace }}"}
                spec: {rules: [{host: "{{ n }}.{{ domain }}"}]}
                {% endfor %}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c, namespace: "{{ namespace }}"}
                """);
        RenderService service = new RenderService(new TemplateSource(dir, FixtureTemplates.empty()), env);
        RenderedStack stack = service.renderStack(StackOptions.defaults());
        assertEquals(List.of("Namespace solo", "ConfigMap c", "Ingress b", "Ingress a"), kindsAndNames(stack));
        assertEquals(List.of("b.local", "a.local"), stack.hostnames());
    }

    @Test
    void should_render_another_template_root_with_its_own_values_schema_and_variables() throws Exception {
        write("app/values.yaml", "namespace: apps\ndomain: minikube\nreplicas: 1\n");
        write("app/values.schema.yaml", "replicas: {type: integer, minimum: 1, maximum: 5}\n");
        write("app/web/_labels.yaml", "{% macro labels(name) %}app: {{ name }}{% endmacro %}\n");
        write("app/web/deployment.yaml", """
                {% import "app/web/_labels.yaml" as l %}
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ APP }}
                  namespace: {{ namespace }}
                  labels:
                    {{ l.labels(APP) }}
                spec:
                  replicas: {{ replicas }}
                  template:
                    spec:
                      containers:
                      - name: {{ APP }}
                        image: ${IMAGE}
                        env: [{name: VERSION, value: "{{ VERSION }}"}, {name: TEAM, value: "${TEAM}"}]
                """);
        write("app/worker/job.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ APP }}-job\n");
        RenderService app = new RenderService(new TemplateSource(dir, FixtureTemplates.empty()), env, "app",
                Map.of("APP", "shop", "IMAGE", "shop:dev-1", "VERSION", "1.2.3"));
        assertEquals("app", app.root());
        assertEquals(List.of("web", "worker"), app.knownComponents());
        RenderedStack rendered = app.renderStack(new StackOptions(null, null, List.of("replicas=3"), List.of("web")));
        assertEquals(List.of("Deployment shop"), kindsAndNames(rendered));
        RenderedDocument d = rendered.documents().get(0);
        assertEquals("web", d.component());
        assertEquals("app/web/deployment.yaml", d.source());
        assertEquals("apps", d.namespace());
        JsonNode node = YAML.readTree(d.yaml());
        assertEquals(3, node.path("spec").path("replicas").asInt());
        assertEquals("shop", node.path("metadata").path("labels").path("app").asText());
        JsonNode container = node.path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("shop:dev-1", container.path("image").asText());
        assertEquals("1.2.3", container.path("env").get(0).path("value").asText());
        assertEquals("payments", container.path("env").get(1).path("value").asText(), "the environment still applies");
        var ex = usageError(() -> app.values(sets("replicas=9")));
        assertEquals("--set replicas=9: replicas takes a whole number from 1 to 5, not 9", ex.getMessage());
        // the stack root is untouched by the app root's files
        assertEquals(List.of("traefik", "prometheus", "grafana", "jaeger"), withOverrides().knownComponents());
        assertThrows(IllegalArgumentException.class, () -> new RenderService(FixtureTemplates.source(dir), env, "../x", Map.of()));
    }

    @Test
    void should_fail_clearly_when_values_are_missing() {
        RenderService service = new RenderService(new TemplateSource(dir, FixtureTemplates.empty()), env);
        var ex = usageError(() -> service.renderStack(StackOptions.defaults()));
        assertTrue(ex.getMessage().startsWith("stack/values.yaml not found"), ex.getMessage());
        assertTrue(ex.getMessage().contains(dir.resolve("stack/values.yaml").toString()), ex.getMessage());
    }

    @Test
    void should_write_one_file_per_component_with_stable_names() throws Exception {
        RenderService service = fixture();
        RenderedStack stack = service.renderStack(new StackOptions(null, null, List.of(), List.of("grafana", "traefik")));
        Path out = dir.resolve("out/stack");
        List<WrittenFile> written = service.writeByComponent(stack, out);
        assertEquals(List.of("00-namespace.yaml", "10-traefik.yaml", "30-grafana.yaml"),
                written.stream().map(w -> w.path().getFileName().toString()).toList());
        assertEquals(List.of(1, 7, 4), written.stream().map(WrittenFile::documents).toList());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
        String traefik = Files.readString(out.resolve("10-traefik.yaml"));
        assertEquals(RenderService.toYaml(stack.documents("traefik")), traefik);
        assertTrue(traefik.startsWith("---\n# Source: stack/traefik/rbac.yaml\napiVersion: v1\nkind: ServiceAccount\n"), traefik);
    }

    @Test
    void should_refuse_to_write_into_a_file() throws Exception {
        write("taken", "x");
        RenderService service = fixture();
        RenderedStack stack = service.renderStack(StackOptions.defaults());
        var ex = usageError(() -> service.writeByComponent(stack, dir.resolve("taken")));
        assertTrue(ex.getMessage().startsWith("--out " + dir.resolve("taken") + ": is a file"), ex.getMessage());
        assertEquals("x", Files.readString(dir.resolve("taken")));
    }
}
