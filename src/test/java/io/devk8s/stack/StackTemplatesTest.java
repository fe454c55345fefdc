package io.devk8s.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.devk8s.support.ManifestValidator;
import io.devk8s.support.StackRendering;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bundled stack templates render to valid Kubernetes manifests that do what the stack needs. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StackTemplatesTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static String defaultRendering;

    /** The stack rendered with the defaults, once: every test only reads it. */
    private static synchronized String rendered() {
        if (defaultRendering == null) {
            defaultRendering = StackRendering.render();
        }
        return defaultRendering;
    }

    private static List<JsonNode> docs(String yaml) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && node.isObject() && !node.isEmpty()) {
                    docs.add(node);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new AssertionError("rendered YAML does not parse: " + e.getMessage() + "\n" + yaml, e);
        }
    }

    private static JsonNode doc(String yaml, String kind, String name) {
        return docs(yaml).stream()
                .filter(d -> kind.equals(d.path("kind").asText()) && name.equals(d.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in\n" + yaml));
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> args(String yaml, String deployment) {
        return texts(doc(yaml, "Deployment", deployment).path("spec").path("template").path("spec")
                .path("containers").get(0).path("args"));
    }

    private static String raw(String path) {
        return StackRendering.source().read(path);
    }

    @Test
    void should_render_valid_kubernetes_manifests_with_the_defaults() {
        String yaml = rendered();
        new ManifestValidator("devk8s").validate(yaml);
        Set<String> kinds = docs(yaml).stream().map(d -> d.path("kind").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "IngressClass",
                "Deployment", "Service", "Ingress", "ConfigMap", "PersistentVolumeClaim"), kinds);
        assertEquals(Set.of("traefik", "prometheus", "grafana", "jaeger"), docs(yaml).stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .map(d -> d.path("metadata").path("name").asText()).collect(Collectors.toSet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"traefik", "traefik,prometheus", "traefik,grafana", "traefik,jaeger",
                            "traefik,prometheus,grafana", "traefik,grafana,jaeger"})
    void should_render_valid_manifests_for_a_subset_of_components(String list) {
        List<String> components = List.of(list.split(","));
        String yaml = StackRendering.render(StackRendering.defaults(), components);
        new ManifestValidator("devk8s").validate(yaml);
        Set<String> names = docs(yaml).stream().map(d -> d.path("metadata").path("labels").path("app.kubernetes.io/name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(components);
        expected.add("devk8s");
        assertEquals(expected, names);

        boolean jaeger = components.contains("jaeger");
        assertEquals(jaeger, args(yaml, "traefik").contains("--tracing.otlp.http.endpoint=http://jaeger.devk8s.svc:4318/v1/traces"));
        if (components.contains("grafana")) {
            JsonNode ds = docs(doc(yaml, "ConfigMap", "grafana-datasources").path("data").path("datasources.yaml").asText()).get(0);
            List<String> uids = StreamSupport.stream(ds.path("datasources").spliterator(), false).map(d -> d.path("uid").asText()).toList();
            List<String> want = new ArrayList<>();
            if (components.contains("prometheus")) {
                want.add("prometheus");
            }
            if (jaeger) {
                want.add("jaeger");
            }
            assertEquals(want, uids);
        }
    }

    @Test
    void should_embed_the_prometheus_config_byte_for_byte() {
        String file = raw("stack/prometheus/files/prometheus.yml");
        assertTrue(file.contains("replacement: '$1:$2'") && file.contains("${1}"), "the raw config keeps its relabel syntax");
        JsonNode cm = doc(rendered(), "ConfigMap", "prometheus-config");
        assertEquals(file, cm.path("data").path("prometheus.yml").asText());
        JsonNode config = docs(file).get(0);
        List<String> jobs = StreamSupport.stream(config.path("scrape_configs").spliterator(), false)
                .map(j -> j.path("job_name").asText()).toList();
        assertEquals(List.of("prometheus", "kubernetes-pods"), jobs);
        String pods = config.path("scrape_configs").get(1).toString();
        for (String annotation : List.of("prometheus_io_scrape", "prometheus_io_port", "prometheus_io_path")) {
            assertTrue(pods.contains("__meta_kubernetes_pod_annotation_" + annotation), annotation);
        }
    }

    @Test
    void should_embed_the_grafana_dashboard_byte_for_byte() throws IOException {
        String file = raw("stack/grafana/files/traefik.json");
        assertTrue(file.contains("\"legendFormat\": \"{{service}}\"") && file.contains("$__rate_interval")
                && file.contains("${datasource}"), "the raw dashboard uses Grafana's own syntax");
        JsonNode cm = doc(rendered(), "ConfigMap", "grafana-dashboards");
        assertEquals(file, cm.path("data").path("traefik.json").asText());
        JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file);
        String exprs = dashboard.path("panels").findValuesAsText("expr").toString();
        assertTrue(exprs.contains("traefik_service_requests_total") && exprs.contains("traefik_service_request_duration_seconds_bucket")
                && exprs.contains("traefik_open_connections"), exprs);
    }

    @Test
    void should_put_every_host_name_under_the_configured_domain() {
        String yaml = StackRendering.render(StackRendering.with(StackRendering.defaults(), "domain", "dev.example.test"));
        new ManifestValidator("devk8s").validate(yaml);
        Set<String> hosts = docs(yaml).stream().filter(d -> d.path("kind").asText().equals("Ingress"))
                .flatMap(d -> StreamSupport.stream(d.path("spec").path("rules").spliterator(), false))
                .map(r -> r.path("host").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("traefik-ui.dev.example.test", "prometheus.dev.example.test", "grafana.dev.example.test",
                "jaeger.dev.example.test"), hosts);
        assertFalse(yaml.contains("minikube"), "no host name left on the default domain");
        assertTrue(args(yaml, "prometheus").contains("--web.external-url=http://prometheus.dev.example.test/"));
    }

    @Test
    void should_route_every_ingress_through_traefik_with_prefix_paths() {
        String yaml = rendered();
        List<JsonNode> ingresses = docs(yaml).stream().filter(d -> d.path("kind").asText().equals("Ingress")).toList();
        assertEquals(4, ingresses.size());
        for (JsonNode ingress : ingresses) {
            assertEquals("traefik", ingress.path("spec").path("ingressClassName").asText());
            assertEquals(List.of("Prefix"), ingress.path("spec").path("rules").findValuesAsText("pathType"));
        }
        JsonNode ingressClass = doc(yaml, "IngressClass", "traefik");
        assertEquals("traefik.io/ingress-controller", ingressClass.path("spec").path("controller").asText());
        assertEquals("true", ingressClass.path("metadata").path("annotations").path("ingressclass.kubernetes.io/is-default-class").asText());
    }

    @Test
    void should_expose_traefik_on_node_port_80_unless_overridden() {
        JsonNode port = doc(rendered(), "Service", "traefik").path("spec").path("ports").get(0);
        assertEquals("NodePort", doc(rendered(), "Service", "traefik").path("spec").path("type").asText());
        assertEquals(80, port.path("nodePort").asInt());
        assertEquals(80, port.path("port").asInt());
        assertEquals("web", port.path("targetPort").asText());

        String yaml = StackRendering.render(StackRendering.with(StackRendering.defaults(), "traefik.nodePort", 30080));
        new ManifestValidator("devk8s").validate(yaml);
        assertEquals(30080, doc(yaml, "Service", "traefik").path("spec").path("ports").get(0).path("nodePort").asInt());
    }

    @Test
    void should_give_traefik_exactly_the_ingress_provider_rules_and_the_streaming_friendly_flags() {
        String yaml = rendered();
        JsonNode role = doc(yaml, "ClusterRole", "devk8s-traefik");
        Set<String> grants = new TreeSet<>();
        for (JsonNode rule : role.path("rules")) {
            for (String group : texts(rule.path("apiGroups"))) {
                for (String resource : texts(rule.path("resources"))) {
                    grants.add((group.isEmpty() ? "core" : group) + "/" + resource + ":" + String.join(",", texts(rule.path("verbs"))));
                }
            }
        }
        assertEquals(new TreeSet<>(List.of(
                "core/services:get,list,watch", "core/secrets:get,list,watch", "core/nodes:get,list,watch", "core/pods:get",
                "discovery.k8s.io/endpointslices:list,watch",
                "networking.k8s.io/ingresses:get,list,watch", "networking.k8s.io/ingressclasses:get,list,watch",
                "networking.k8s.io/ingresses/status:update")), grants);

        List<String> args = args(yaml, "traefik");
        for (String flag : List.of("--entryPoints.web.transport.respondingTimeouts.readTimeout=0", "--ping=true",
                "--providers.kubernetesingress=true", "--metrics.prometheus.entryPoint=metrics",
                "--global.checkNewVersion=false", "--global.sendAnonymousUsage=false")) {
            assertTrue(args.contains(flag), flag + " in " + args);
        }
        JsonNode pod = doc(yaml, "Deployment", "traefik").path("spec").path("template");
        assertEquals("9100", pod.path("metadata").path("annotations").path("prometheus.io/port").asText());
        assertEquals("true", pod.path("metadata").path("annotations").path("prometheus.io/scrape").asText());
        assertEquals(65532, pod.path("spec").path("securityContext").path("runAsUser").asInt());
        assertTrue(pod.path("spec").path("containers").get(0).path("securityContext").path("readOnlyRootFilesystem").asBoolean());
    }

    @Test
    void should_pin_every_image_from_the_versions_file() {
        @SuppressWarnings("unchecked")
        Map<String, String> images = (Map<String, String>) StackRendering.defaults().get("images");
        assertEquals(Set.copyOf(StackRendering.COMPONENTS), images.keySet());
        String yaml = rendered();
        for (String component : StackRendering.COMPONENTS) {
            String image = images.get(component);
            assertTrue(image.matches("[a-z0-9.-]+(/[a-z0-9._-]+)+:v?\\d+\\.\\d+\\.\\d+"), "pinned tag: " + image);
            assertEquals(image, doc(yaml, "Deployment", component).path("spec").path("template").path("spec")
                    .path("containers").get(0).path("image").asText());
        }
        String other = StackRendering.render(StackRendering.with(StackRendering.defaults(), "images.jaeger", "example.test/jaeger:2.0.0"));
        assertEquals("example.test/jaeger:2.0.0", doc(other, "Deployment", "jaeger").path("spec").path("template")
                .path("spec").path("containers").get(0).path("image").asText());
    }

    @Test
    void should_move_the_whole_stack_to_another_namespace() {
        String yaml = StackRendering.render(StackRendering.with(StackRendering.defaults(), "namespace", "team-a"));
        new ManifestValidator("team-a").validate(yaml);
        for (JsonNode d : docs(yaml)) {
            String kind = d.path("kind").asText();
            String name = d.path("metadata").path("name").asText();
            if (kind.equals("ClusterRole") || kind.equals("ClusterRoleBinding")) {
                assertTrue(name.startsWith("team-a-"), kind + " " + name + " carries the namespace prefix");
            }
        }
        assertTrue(args(yaml, "traefik").contains("--tracing.otlp.http.endpoint=http://jaeger.team-a.svc:4318/v1/traces"));
        String datasources = doc(yaml, "ConfigMap", "grafana-datasources").path("data").path("datasources.yaml").asText();
        assertTrue(datasources.contains("url: http://prometheus.team-a.svc:9090")
                && datasources.contains("url: http://jaeger.team-a.svc:16686"), datasources);
        assertFalse(yaml.contains("devk8s.svc"));
    }

    @Test
    void should_cap_jaeger_traces_and_memory() {
        String yaml = StackRendering.render(StackRendering.with(StackRendering.defaults(), "jaeger.maxTraces", 5000));
        assertEquals(List.of("--set=extensions.jaeger_storage.backends.some_storage.memory.max_traces=5000"), args(yaml, "jaeger"));
        JsonNode container = doc(yaml, "Deployment", "jaeger").path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("512Mi", container.path("resources").path("limits").path("memory").asText());
        assertEquals("/status", container.path("readinessProbe").path("httpGet").path("path").asText());
        Set<Integer> ports = StreamSupport.stream(container.path("ports").spliterator(), false)
                .map(p -> p.path("containerPort").asInt()).collect(Collectors.toSet());
        assertTrue(ports.containsAll(Set.of(4317, 4318, 16686, 13133, 8888)), ports.toString());
    }

    @Test
    void should_ship_grafana_without_any_admin_password() {
        String yaml = rendered();
        JsonNode container = doc(yaml, "Deployment", "grafana").path("spec").path("template").path("spec").path("containers").get(0);
        Map<String, String> env = StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> e.has("value"))
                .collect(Collectors.toMap(e -> e.path("name").asText(), e -> e.path("value").asText()));
        assertEquals("true", env.get("GF_AUTH_ANONYMOUS_ENABLED"));
        assertEquals("Admin", env.get("GF_AUTH_ANONYMOUS_ORG_ROLE"));
        assertEquals("true", env.get("GF_SECURITY_DISABLE_INITIAL_ADMIN_CREATION"));
        assertEquals("true", env.get("GF_AUTH_DISABLE_LOGIN_FORM"));
        assertFalse(yaml.contains("GF_SECURITY_ADMIN_PASSWORD"));
        assertFalse(docs(yaml).stream().anyMatch(d -> d.path("kind").asText().equals("Secret")));
        assertFalse(doc(yaml, "ServiceAccount", "grafana").path("automountServiceAccountToken").asBoolean(true));

        String viewer = StackRendering.render(StackRendering.with(StackRendering.defaults(), "grafana.anonymousRole", "Viewer"));
        assertTrue(viewer.contains("value: \"Viewer\""));
    }

    @Test
    void should_read_the_grafana_admin_from_a_secret_the_user_creates() {
        String yaml = StackRendering.render(StackRendering.with(StackRendering.defaults(), "grafana.adminSecret", "grafana-admin"));
        List<String> problems = new ManifestValidator("devk8s").problems(yaml);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().allMatch(p -> p.contains("no Secret devk8s/grafana-admin")), problems.toString());
        String userSecret = """
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: grafana-admin
                  namespace: devk8s
                  labels:
                    app.kubernetes.io/name: grafana
                    app.kubernetes.io/part-of: devk8s
                    app.kubernetes.io/managed-by: devk8s
                stringData:
                  admin-user: admin
                  admin-password: not-shipped
                """;
        new ManifestValidator("devk8s").validate(yaml + userSecret);
        assertFalse(yaml.contains("GF_AUTH_DISABLE_LOGIN_FORM"));
    }

    @Test
    void should_give_prometheus_storage_retention_and_discovery_rights_from_the_values() {
        String yaml = StackRendering.render(StackRendering.with(StackRendering.with(StackRendering.defaults(),
                "prometheus.storage", "5Gi"), "prometheus.retention", "7d"));
        assertEquals("5Gi", doc(yaml, "PersistentVolumeClaim", "prometheus-data").path("spec").path("resources")
                .path("requests").path("storage").asText());
        List<String> args = args(yaml, "prometheus");
        assertTrue(args.containsAll(List.of("--storage.tsdb.retention.time=7d", "--storage.tsdb.retention.size=1GB",
                "--web.enable-lifecycle", "--config.file=/etc/config/prometheus.yml")), args.toString());
        String rules = doc(yaml, "ClusterRole", "devk8s-prometheus").path("rules").toString();
        for (String resource : List.of("pods", "services", "endpointslices", "nodes")) {
            assertTrue(rules.contains("\"" + resource + "\""), resource);
        }
        assertFalse(rules.contains("\"endpoints\""));
        assertEquals(65534, doc(yaml, "Deployment", "prometheus").path("spec").path("template").path("spec")
                .path("securityContext").path("fsGroup").asInt());
    }

    @Test
    void should_document_every_value_with_a_comment() {
        String[] lines = raw("stack/values.yaml").split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.strip().startsWith("#") || !line.matches("\\s*[A-Za-z][\\w]*:.*")) {
                continue;
            }
            boolean nested = line.strip().endsWith(":");
            boolean commented = line.contains(" # ") || (i > 0 && lines[i - 1].strip().startsWith("#"));
            boolean resources = line.matches("\\s*(resources|requests|limits|cpu|memory):.*");
            assertTrue(commented || nested || resources, "values.yaml line " + (i + 1) + " has no comment: " + line);
        }
    }

    @Test
    void should_list_exactly_the_files_of_the_templates_folder_in_the_index() throws IOException {
        Path root = Path.of(System.getProperty("devk8s.project.dir", ".")).resolve("templates");
        Set<String> onDisk;
        try (Stream<Path> files = Files.walk(root)) {
            onDisk = files.filter(Files::isRegularFile)
                    .map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("index.txt"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        List<String> listed = raw("index.txt").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals(onDisk, new TreeSet<>(listed), "templates/index.txt must list every file under templates/");
        assertEquals(listed.size(), new TreeSet<>(listed).size(), "no duplicate lines in index.txt");
        assertNotNull(raw("stack/traefik/deployment.yaml"));
        assertEquals(List.of("stack/namespace.yaml", "stack/traefik/deployment.yaml", "stack/traefik/ingress.yaml",
                        "stack/traefik/ingressclass.yaml", "stack/traefik/rbac.yaml", "stack/traefik/service.yaml"),
                StackRendering.templatePaths(List.of("traefik")));
    }
}
