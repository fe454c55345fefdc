package io.devk8s.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.devk8s.service.GrafanaAdminSecret;
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
    void should_embed_the_prometheus_scrape_jobs_byte_for_byte_and_include_them_from_the_rendered_config() {
        String file = raw("stack/prometheus/files/scrape-configs.yml");
        assertTrue(file.contains("replacement: '$1:$2'") && file.contains("${1}"), "the raw jobs keep their relabel syntax");
        JsonNode cm = doc(rendered(), "ConfigMap", "prometheus-config");
        assertEquals(file, cm.path("data").path("scrape-configs.yml").asText());
        JsonNode config = docs(file).get(0);
        List<String> jobs = StreamSupport.stream(config.path("scrape_configs").spliterator(), false)
                .map(j -> j.path("job_name").asText()).toList();
        assertEquals(List.of("prometheus", "kubernetes-pods", "jaeger-span-metrics"), jobs);
        String pods = config.path("scrape_configs").get(1).toString();
        for (String annotation : List.of("prometheus_io_scrape", "prometheus_io_port", "prometheus_io_path")) {
            assertTrue(pods.contains("__meta_kubernetes_pod_annotation_" + annotation), annotation);
        }
        JsonNode main = docs(cm.path("data").path("prometheus.yml").asText()).get(0);
        assertEquals(List.of("scrape-configs.yml"), texts(main.path("scrape_config_files")),
                "the included file is the other key of the same ConfigMap, mounted in the same folder");
        assertEquals("15s", main.path("global").path("scrape_interval").asText());
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
        assertEquals(List.of("--config=/etc/jaeger/config.yaml"), args(yaml, "jaeger"));
        JsonNode jaegerConfig = jaegerConfig(yaml);
        String store = jaegerConfig.path("extensions").path("jaeger_query").path("storage").path("traces").asText();
        assertEquals(5000, jaegerConfig.path("extensions").path("jaeger_storage").path("backends").path(store)
                .path("memory").path("max_traces").asInt());
        assertEquals("max_traces=5000 span_metrics=on", doc(yaml, "Deployment", "jaeger").path("spec").path("template")
                .path("metadata").path("annotations").path("devk8s.io/jaeger-config").asText(),
                "a changed cap replaces the pod, which reads its configuration only at start");
        JsonNode container = doc(yaml, "Deployment", "jaeger").path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("512Mi", container.path("resources").path("limits").path("memory").asText());
        assertEquals("/status", container.path("readinessProbe").path("httpGet").path("path").asText());
        Set<Integer> ports = StreamSupport.stream(container.path("ports").spliterator(), false)
                .map(p -> p.path("containerPort").asInt()).collect(Collectors.toSet());
        assertTrue(ports.containsAll(Set.of(4317, 4318, 16686, 13133, 8888, 8889)), ports.toString());
    }

    private static Map<String, String> plainEnv(JsonNode container) {
        return StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> e.has("value"))
                .collect(Collectors.toMap(e -> e.path("name").asText(), e -> e.path("value").asText()));
    }

    private static JsonNode grafanaContainer(String yaml) {
        return doc(yaml, "Deployment", "grafana").path("spec").path("template").path("spec").path("containers").get(0);
    }

    @Test
    void should_give_anonymous_visitors_viewer_and_read_the_admin_login_from_a_secret_the_templates_never_hold() {
        String yaml = rendered();
        JsonNode container = grafanaContainer(yaml);
        Map<String, String> env = plainEnv(container);
        assertEquals("true", env.get("GF_AUTH_ANONYMOUS_ENABLED"));
        assertEquals("Viewer", env.get("GF_AUTH_ANONYMOUS_ORG_ROLE"), "Admin as anonymous role is deprecated upstream");
        assertFalse(env.containsKey("GF_SECURITY_ADMIN_PASSWORD") || env.containsKey("GF_SECURITY_ADMIN_USER"),
                "no literal login in the templates");
        assertFalse(env.containsKey("GF_AUTH_DISABLE_LOGIN_FORM"), "the admin can log in");
        Map<String, String> fromSecret = new java.util.TreeMap<>();
        container.path("env").forEach(e -> {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                fromSecret.put(e.path("name").asText(), ref.path("name").asText() + "/" + ref.path("key").asText());
            }
        });
        assertEquals(Map.of("GF_SECURITY_ADMIN_USER", "grafana-admin/" + GrafanaAdminSecret.USER_KEY,
                "GF_SECURITY_ADMIN_PASSWORD", "grafana-admin/" + GrafanaAdminSecret.PASSWORD_KEY), fromSecret);
        assertFalse(docs(yaml).stream().anyMatch(d -> d.path("kind").asText().equals("Secret")), "up creates it, not the templates");
        assertEquals("grafana-admin", doc(yaml, "Deployment", "grafana").path("metadata").path("annotations")
                .path(ManifestValidator.CREATED_BY_UP_ANNOTATION).asText());
        assertFalse(doc(yaml, "ServiceAccount", "grafana").path("automountServiceAccountToken").asBoolean(true));

        String editor = StackRendering.render(StackRendering.with(StackRendering.defaults(), "grafana.anonymousRole", "Editor"));
        assertEquals("Editor", plainEnv(grafanaContainer(editor)).get("GF_AUTH_ANONYMOUS_ORG_ROLE"));
    }

    @Test
    void should_report_a_missing_admin_secret_unless_the_deployment_says_up_creates_it() {
        String yaml = rendered();
        assertEquals(List.of(), new ManifestValidator("devk8s").problems(yaml));
        String unannotated = yaml.replace("devk8s.io/secrets-created-by-up: grafana-admin", "devk8s.io/other: x");
        List<String> problems = new ManifestValidator("devk8s").problems(unannotated);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().allMatch(p -> p.contains("no Secret devk8s/grafana-admin")), problems.toString());
    }

    @Test
    void should_disable_every_login_without_an_admin_secret() {
        String yaml = StackRendering.render(StackRendering.with(StackRendering.defaults(), "grafana.adminSecret", ""));
        new ManifestValidator("devk8s").validate(yaml);
        Map<String, String> env = plainEnv(grafanaContainer(yaml));
        assertEquals("true", env.get("GF_SECURITY_DISABLE_INITIAL_ADMIN_CREATION"));
        assertEquals("true", env.get("GF_AUTH_DISABLE_LOGIN_FORM"));
        assertEquals("false", env.get("GF_AUTH_BASIC_ENABLED"));
        assertFalse(yaml.contains("GF_SECURITY_ADMIN_PASSWORD"));
        assertFalse(yaml.contains(ManifestValidator.CREATED_BY_UP_ANNOTATION));
    }

    @Test
    void should_give_prometheus_storage_retention_and_discovery_rights_from_the_values() {
        String yaml = StackRendering.render(StackRendering.with(StackRendering.with(StackRendering.defaults(),
                "prometheus.storage", "5Gi"), "prometheus.retention", "7d"));
        assertEquals("5Gi", doc(yaml, "PersistentVolumeClaim", "prometheus-data").path("spec").path("resources")
                .path("requests").path("storage").asText());
        List<String> args = args(yaml, "prometheus");
        assertTrue(args.containsAll(List.of("--web.enable-lifecycle", "--config.file=/etc/config/prometheus.yml")),
                args.toString());
        // retention moved into the config file (storage.tsdb.retention, Prometheus 3.14 config/config.go
        // TSDBRetentionConfig); the flags are deprecated since 3.8
        assertTrue(args.stream().noneMatch(a -> a.startsWith("--storage.tsdb.retention")), args.toString());
        JsonNode retention = docs(doc(yaml, "ConfigMap", "prometheus-config").path("data").path("prometheus.yml").asText())
                .get(0).path("storage").path("tsdb").path("retention");
        assertEquals("7d", retention.path("time").asText());
        assertEquals("1GB", retention.path("size").asText());
        assertEquals(Set.of("time", "size"), fieldNames(retention));
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

    // ---------------------------------------------------------------------------------------------------------
    // traces <-> metrics: Jaeger's span metrics, Prometheus, Grafana

    /**
     * The names the spanmetrics connector's metrics get in Prometheus, defined once here. Checked against:
     * opentelemetry-collector-contrib v0.155.0 (the version Jaeger 2.20's go.mod pins)
     * connector/spanmetricsconnector/factory.go ({@code DefaultNamespace = "traces.span.metrics"}) and its
     * metrics {@code calls} (a monotonic sum) and {@code duration} (a histogram in the configured unit, ms), which
     * exporter/prometheusexporter names with the unit and type suffixes ({@code _total}, {@code _milliseconds},
     * {@code _bucket}); and Jaeger 2.20 internal/storage/metricstore/prometheus/metricstore/reader.go
     * ({@code buildFullCallsMetricName}, {@code buildFullLatencyMetricName}), which queries the same names.
     */
    static final String SPAN_CALLS = "traces_span_metrics_calls_total";
    static final String SPAN_DURATION_BUCKET = "traces_span_metrics_duration_milliseconds_bucket";
    /** Labels of the span metrics: the connector's dimensions service.name, span.name, span.kind, status.code. */
    static final Set<String> SPAN_LABELS = Set.of("service_name", "span_name", "span_kind", "status_code", "le");
    /** The container port the span metrics are served on, and its name. */
    static final int SPAN_METRICS_PORT = 8889;
    static final String SPAN_METRICS_PORT_NAME = "span-metrics";

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode jaegerConfig(String yaml) {
        return docs(doc(yaml, "ConfigMap", "jaeger-config").path("data").path("config.yaml").asText()).get(0);
    }

    private static JsonNode datasource(String yaml, String uid) {
        JsonNode ds = docs(doc(yaml, "ConfigMap", "grafana-datasources").path("data").path("datasources.yaml").asText()).get(0);
        return StreamSupport.stream(ds.path("datasources").spliterator(), false)
                .filter(d -> uid.equals(d.path("uid").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no data source " + uid + " in " + ds));
    }

    /** Component ids ("type" or "type/name") of a pipeline list, checked to exist in the config section. */
    private static List<String> wired(JsonNode config, JsonNode pipeline, String role, String... sections) {
        List<String> ids = texts(pipeline.path(role));
        for (String id : ids) {
            boolean defined = false;
            for (String section : sections) {
                defined |= config.path(section).has(id);
            }
            assertTrue(defined, role + " " + id + " is not defined in " + String.join("/", sections) + ": " + config);
        }
        return ids;
    }

    /** The metric names a PromQL text uses (identifiers directly before '{' or '['). */
    private static Set<String> metricNames(String promql) {
        Set<String> names = new TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]").matcher(promql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Label names a PromQL text filters or groups by ({@code name=}, {@code name=~}, {@code by (a, b)}). */
    private static Set<String> labelNames(String promql) {
        Set<String> names = new TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z_]+)\\s*(=~|!=|=)\\s*\"").matcher(promql);
        while (m.find()) {
            names.add(m.group(1));
        }
        java.util.regex.Matcher by = java.util.regex.Pattern.compile("by \\(([^)]*)\\)").matcher(promql);
        while (by.find()) {
            for (String l : by.group(1).split(",")) {
                names.add(l.strip());
            }
        }
        return names;
    }

    @Test
    void should_wire_jaegers_spanmetrics_pipeline_from_the_traces_receiver_to_a_prometheus_exporter() {
        JsonNode config = jaegerConfig(rendered());
        JsonNode pipelines = config.path("service").path("pipelines");
        assertEquals(Set.of("traces", "metrics/spanmetrics"), fieldNames(pipelines));

        JsonNode traces = pipelines.path("traces");
        assertEquals(List.of("otlp"), wired(config, traces, "receivers", "receivers"));
        assertEquals(List.of("batch"), wired(config, traces, "processors", "processors"));
        assertEquals(List.of("jaeger_storage_exporter", "spanmetrics"),
                wired(config, traces, "exporters", "exporters", "connectors"));
        JsonNode metrics = pipelines.path("metrics/spanmetrics");
        assertEquals(List.of("spanmetrics"), wired(config, metrics, "receivers", "receivers", "connectors"));
        assertEquals(List.of("prometheus"), wired(config, metrics, "exporters", "exporters"));
        assertTrue(config.path("connectors").has("spanmetrics") && !config.path("exporters").has("spanmetrics"),
                "spanmetrics is a connector: the traces pipeline's exporter and the metrics pipeline's receiver");

        JsonNode connector = config.path("connectors").path("spanmetrics");
        assertEquals("traces.span.metrics", connector.path("namespace").asText());
        assertEquals("ms", connector.path("histogram").path("unit").asText());
        assertTrue(connector.path("exemplars").path("enabled").asBoolean());
        JsonNode exporter = config.path("exporters").path("prometheus");
        assertEquals("0.0.0.0:" + SPAN_METRICS_PORT, exporter.path("endpoint").asText());
        assertTrue(exporter.path("enable_open_metrics").asBoolean(), "exemplars are only served as OpenMetrics");

        // jaeger_query reads the span metrics back from Prometheus for the Monitor tab
        JsonNode extensions = config.path("extensions");
        assertEquals(List.of("jaeger_storage", "jaeger_query", "healthcheckv2"), texts(config.path("service").path("extensions")));
        String metricStore = extensions.path("jaeger_query").path("storage").path("metrics").asText();
        JsonNode prometheus = extensions.path("jaeger_storage").path("metric_backends").path(metricStore).path("prometheus");
        assertEquals("http://prometheus.devk8s.svc:9090", prometheus.path("endpoint").asText());
        // the names Jaeger 2.20's reader.go builds from these keys must be the ones the exporter produces
        String ns = prometheus.path("metric_namespace").asText();
        String calls = ns + "_calls" + (prometheus.path("normalize_calls").asBoolean() ? "_total" : "");
        String unit = Map.of("ms", "milliseconds", "s", "seconds").get(prometheus.path("latency_unit").asText());
        String duration = ns + "_duration" + (prometheus.path("normalize_duration").asBoolean() ? "_" + unit : "");
        assertEquals(SPAN_CALLS, calls);
        assertEquals(SPAN_DURATION_BUCKET, duration + "_bucket");
        String traceStore = extensions.path("jaeger_query").path("storage").path("traces").asText();
        assertEquals(traceStore, config.path("exporters").path("jaeger_storage_exporter").path("trace_storage").asText());
        assertTrue(extensions.path("jaeger_storage").path("backends").has(traceStore));
        assertEquals("0.0.0.0:13133", extensions.path("healthcheckv2").path("http").path("endpoint").asText(),
                "the probes' port answers on the pod IP");
        assertEquals("0.0.0.0:4317", config.path("receivers").path("otlp").path("protocols").path("grpc").path("endpoint").asText());
        assertEquals("0.0.0.0:4318", config.path("receivers").path("otlp").path("protocols").path("http").path("endpoint").asText());
    }

    @Test
    void should_leave_span_metrics_out_when_prometheus_is_not_in_the_stack() {
        String yaml = StackRendering.render(StackRendering.defaults(), List.of("traefik", "grafana", "jaeger"));
        JsonNode config = jaegerConfig(yaml);
        assertEquals(Set.of("traces"), fieldNames(config.path("service").path("pipelines")));
        assertEquals(List.of("jaeger_storage_exporter"), texts(config.path("service").path("pipelines").path("traces").path("exporters")));
        assertTrue(config.path("connectors").isMissingNode() && !config.path("exporters").has("prometheus"));
        assertTrue(config.path("extensions").path("jaeger_query").path("storage").path("metrics").isMissingNode());
        JsonNode container = doc(yaml, "Deployment", "jaeger").path("spec").path("template").path("spec").path("containers").get(0);
        assertFalse(container.path("ports").findValuesAsText("name").contains(SPAN_METRICS_PORT_NAME));
        assertTrue(datasource(yaml, "jaeger").path("jsonData").path("tracesToMetrics").isMissingNode());
        assertFalse(doc(yaml, "ConfigMap", "grafana-dashboards").path("data").has("services-from-traces.json"));
    }

    @Test
    void should_let_prometheus_scrape_jaegers_span_metrics_port() {
        String yaml = rendered();
        JsonNode pod = doc(yaml, "Deployment", "jaeger").path("spec").path("template");
        JsonNode container = pod.path("spec").path("containers").get(0);
        JsonNode port = StreamSupport.stream(container.path("ports").spliterator(), false)
                .filter(p -> SPAN_METRICS_PORT_NAME.equals(p.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port " + SPAN_METRICS_PORT_NAME));
        assertEquals(SPAN_METRICS_PORT, port.path("containerPort").asInt());
        JsonNode servicePort = StreamSupport.stream(doc(yaml, "Service", "jaeger").path("spec").path("ports").spliterator(), false)
                .filter(p -> SPAN_METRICS_PORT_NAME.equals(p.path("name").asText())).findFirst().orElseThrow();
        assertEquals(SPAN_METRICS_PORT, servicePort.path("port").asInt());
        assertEquals(SPAN_METRICS_PORT_NAME, servicePort.path("targetPort").asText());

        // the job's keep rule, evaluated the way Prometheus does on the pod role's targets: one per container port
        JsonNode job = StreamSupport.stream(docs(raw("stack/prometheus/files/scrape-configs.yml")).get(0)
                        .path("scrape_configs").spliterator(), false)
                .filter(j -> j.path("job_name").asText().equals("jaeger-span-metrics")).findFirst().orElseThrow();
        assertEquals("pod", job.path("kubernetes_sd_configs").get(0).path("role").asText());
        JsonNode keep = job.path("relabel_configs").get(0);
        assertEquals("keep", keep.path("action").asText());
        JsonNode labels = pod.path("metadata").path("labels");
        Map<String, String> meta = Map.of(
                "__meta_kubernetes_pod_label_app_kubernetes_io_name", labels.path("app.kubernetes.io/name").asText(),
                "__meta_kubernetes_pod_label_app_kubernetes_io_part_of", labels.path("app.kubernetes.io/part-of").asText());
        List<String> kept = new ArrayList<>();
        for (JsonNode p : container.path("ports")) {
            Map<String, String> target = new java.util.HashMap<>(meta);
            target.put("__meta_kubernetes_pod_container_port_name", p.path("name").asText());
            String joined = texts(keep.path("source_labels")).stream().map(l -> target.getOrDefault(l, ""))
                    .collect(Collectors.joining(";"));
            if (joined.matches(keep.path("regex").asText())) { // Prometheus anchors relabel regexes
                kept.add(p.path("name").asText());
            }
        }
        assertEquals(List.of(SPAN_METRICS_PORT_NAME), kept, "exactly the span-metrics port of the stack's Jaeger");
        // and the annotation-driven job keeps scraping Jaeger's own metrics, not the span metrics
        assertEquals("8888", pod.path("metadata").path("annotations").path("prometheus.io/port").asText());
    }

    @Test
    void should_link_grafana_traces_to_the_span_metrics_the_connector_produces() {
        String yaml = rendered();
        JsonNode t2m = datasource(yaml, "jaeger").path("jsonData").path("tracesToMetrics");
        assertEquals("prometheus", t2m.path("datasourceUid").asText());
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        t2m.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
        // service.name (a resource attribute) -> service_name; `name` is Grafana's key for the operation name
        assertEquals(Map.of("service.name", "service_name", "name", "span_name"), tags);
        assertTrue(SPAN_LABELS.containsAll(tags.values()), tags.toString());

        List<String> queries = t2m.path("queries").findValuesAsText("query");
        assertEquals(3, queries.size(), t2m.toString());
        Set<String> used = new TreeSet<>();
        for (String query : queries) {
            assertTrue(query.contains("{$$__tags"), "each query filters by the span's tags (Grafana's $__tags, written $$ "
                    + "in provisioning): " + query);
            used.addAll(metricNames(query));
            assertTrue(SPAN_LABELS.containsAll(labelNames(query)), "labels the span metrics carry: " + query);
        }
        assertEquals(new TreeSet<>(Set.of(SPAN_CALLS, SPAN_DURATION_BUCKET)), used);
        assertEquals(List.of("Request rate", "Error rate", "Latency p95 (ms)"), t2m.path("queries").findValuesAsText("name"));
    }

    @Test
    void should_feed_exemplars_from_the_span_metrics_end_to_end() {
        String yaml = rendered();
        // Jaeger's connector attaches trace ids, its exporter serves them as OpenMetrics (checked above);
        // Prometheus stores them, Grafana turns trace_id into a link to Jaeger, and the dashboard asks for them
        assertTrue(args(yaml, "prometheus").contains("--enable-feature=exemplar-storage"));
        JsonNode destinations = datasource(yaml, "prometheus").path("jsonData").path("exemplarTraceIdDestinations");
        assertEquals(1, destinations.size());
        assertEquals("trace_id", destinations.get(0).path("name").asText(), "the exemplar label the prometheus exporter writes");
        assertEquals("jaeger", destinations.get(0).path("datasourceUid").asText());
        assertFalse(raw("stack/prometheus/files/scrape-configs.yml").contains("scrape_protocols"),
                "the default protocols negotiate OpenMetrics first");

        String without = StackRendering.render(StackRendering.defaults(), List.of("traefik", "prometheus", "grafana"));
        assertFalse(args(without, "prometheus").contains("--enable-feature=exemplar-storage"), "nothing emits exemplars then");
        assertFalse(without.contains("exemplarTraceIdDestinations"));
        // Traefik serves no exemplars: its dashboard does not ask for any
        assertFalse(raw("stack/grafana/files/traefik.json").contains("\"exemplar\""));
    }

    @Test
    void should_ship_a_services_dashboard_built_on_the_span_metrics() throws IOException {
        String file = raw("stack/grafana/files/services-from-traces.json");
        JsonNode cm = doc(rendered(), "ConfigMap", "grafana-dashboards");
        assertEquals(file, cm.path("data").path("services-from-traces.json").asText(), "embedded byte for byte");
        JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file);
        assertEquals("Services (from traces)", dashboard.path("title").asText());
        List<String> exprs = dashboard.path("panels").findValuesAsText("expr");
        Set<String> used = new TreeSet<>();
        for (String expr : exprs) {
            used.addAll(metricNames(expr));
            Set<String> labels = labelNames(expr);
            assertTrue(labels.containsAll(Set.of("service_name", "span_name")), "per service and operation: " + expr);
            assertTrue(SPAN_LABELS.containsAll(labels), expr);
        }
        assertEquals(new TreeSet<>(Set.of(SPAN_CALLS, SPAN_DURATION_BUCKET)), used);
        String all = String.join("\n", exprs);
        assertTrue(all.contains("status_code=\"STATUS_CODE_ERROR\""), "an error panel");
        for (String q : List.of("0.5", "0.95", "0.99")) {
            assertTrue(all.contains("histogram_quantile(" + q + ", "), "p" + q);
        }
        long exemplarTargets = StreamSupport.stream(dashboard.path("panels").spliterator(), false)
                .flatMap(p -> StreamSupport.stream(p.path("targets").spliterator(), false))
                .filter(t -> t.path("exemplar").asBoolean() && t.path("expr").asText().contains(SPAN_DURATION_BUCKET)).count();
        assertEquals(3, exemplarTargets, "the latency panels show exemplars");
        String variables = dashboard.path("templating").toString();
        assertTrue(variables.contains("label_values(" + SPAN_CALLS + ", service_name)"), variables);
    }

    @Test
    void should_make_web_the_only_default_entry_point() {
        String yaml = rendered();
        List<String> args = args(yaml, "traefik");
        List<String> defaults = args.stream().filter(a -> a.matches("--entry[pP]oints\\.[^.]+\\.asDefault=true")).toList();
        assertEquals(List.of("--entryPoints.web.asDefault=true"), defaults,
                "routers without entry points (every Ingress) get only web, not traefik or metrics");
        for (JsonNode d : docs(yaml)) {
            if (d.path("kind").asText().equals("Ingress")) {
                assertTrue(d.path("metadata").path("annotations").path("traefik.ingress.kubernetes.io/router.entrypoints")
                        .isMissingNode(), "the stack's Ingresses rely on the default entry point");
            }
        }
    }

    @Test
    void should_use_no_deprecated_or_ineffective_flag() {
        String yaml = rendered();
        List<String> traefik = args(yaml, "traefik");
        assertTrue(traefik.stream().noneMatch(a -> a.contains("ingressendpoint.publishedservice")),
                "a NodePort Service publishes only node ExternalIPs, which minikube nodes lack");
        assertTrue(traefik.stream().noneMatch(a -> a.contains("ingressendpoint")), "no Ingress address unless set");
        assertTrue(traefik.contains("--metrics.prometheus.buckets=0.005,0.01,0.025,0.05,0.1,0.25,0.5,1,2.5,5,10"), traefik.toString());
        String buckets = traefik.stream().filter(a -> a.startsWith("--metrics.prometheus.buckets=")).findFirst().orElseThrow();
        double previous = 0;
        for (String b : buckets.substring(buckets.indexOf('=') + 1).split(",")) {
            assertTrue(Double.parseDouble(b) > previous, "ascending: " + buckets);
            previous = Double.parseDouble(b);
        }
        assertTrue(args(yaml, "prometheus").stream().noneMatch(a -> a.startsWith("--storage.tsdb.retention")));
        assertFalse(yaml.contains("JAEGER_LISTEN_HOST"), "Jaeger's own configuration names every address");

        String withIp = StackRendering.render(StackRendering.with(StackRendering.defaults(), "traefik.ingressIP", "192.168.49.2"));
        new ManifestValidator("devk8s").validate(withIp);
        assertTrue(args(withIp, "traefik").contains("--providers.kubernetesingress.ingressendpoint.ip=192.168.49.2"));
    }
}
