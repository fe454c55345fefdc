package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.template.TemplateSource;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The bundled stack/values.schema.yaml, checked through {@link RenderService#values} (no rendering). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ValuesSchemaTest {
    @TempDir
    Path dir;

    private final Environment env = new Environment(Map.of("HOME", "/home/dev"), Path.of("."));

    private RenderService bundled() {
        return new RenderService(TemplateSource.bundled(), env);
    }

    private RenderService withFolder() {
        return new RenderService(new TemplateSource(dir), env);
    }

    private void write(String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static StackOptions sets(String... sets) {
        return new StackOptions(null, null, List.of(sets), List.of());
    }

    private static String usage(Runnable action) {
        Devk8sException ex = assertThrows(Devk8sException.class, action::run);
        assertEquals(ExitCode.USAGE, ex.exitCode(), ex.getMessage());
        assertEquals(1, ex.getMessage().lines().count(), ex.getMessage());
        return ex.getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-1", "0", "65536", "99999", "99999999999"})
    void should_reject_a_node_port_out_of_range_and_say_what_80_needs(String port) {
        String message = usage(() -> bundled().values(sets("traefik.nodePort=" + port)));
        assertEquals("--set traefik.nodePort=" + port + ": traefik.nodePort takes a whole number from 1 to 65535, not "
                + port + "; a node port outside Kubernetes' default range 30000-32767 (such as 80) also needs "
                + "`minikube start --extra-config=apiserver.service-node-port-range=80-32767`", message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"traefik.nodePort=1", "traefik.nodePort=30080", "traefik.nodePort=65535",
        "traefik.tracingSampleRate=0", "traefik.tracingSampleRate=0.25", "traefik.tracingSampleRate=1",
        "grafana.anonymousRole=Viewer", "traefik.logLevel=DEBUG", "prometheus.storage=5Gi", "prometheus.storage=500M",
        "prometheus.storage=1e9", "prometheus.retention=12h", "prometheus.retention=1w2d", "prometheus.retentionSize=512MB",
        "grafana.adminSecret=", "grafana.adminSecret=grafana-admin", "jaeger.maxTraces=1",
        "images.grafana=grafana/grafana:12.3.0", "images.traefik=localhost:5000/my/traefik:dev",
        "images.jaeger=docker.io/jaegertracing/jaeger@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "traefik.resources.requests.cpu=0.5", "jaeger.resources.limits.memory=1Gi"})
    void should_accept_values_inside_the_schema(String assignment) {
        StackValues values = bundled().values(sets(assignment));
        String key = assignment.substring(0, assignment.indexOf('='));
        assertTrue(values.get(key).isPresent() || assignment.endsWith("="), assignment);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "images.grafana=|images.grafana takes an image reference such as docker.io/grafana/grafana:13.2.0 (registry/name:tag, lower-case name), not an empty value",
        "images.grafana=docker.io/Grafana/grafana:1|images.grafana takes an image reference such as docker.io/grafana/grafana:13.2.0 (registry/name:tag, lower-case name), not \"docker.io/Grafana/grafana:1\"",
        "images.traefik=traefik v3|images.traefik takes an image reference",
        "grafana.anonymousRole=Root|grafana.anonymousRole takes one of Admin, Editor, Viewer (spelled exactly), not \"Root\"",
        "grafana.anonymousRole=viewer|grafana.anonymousRole takes one of Admin, Editor, Viewer (spelled exactly), not \"viewer\"",
        "traefik.logLevel=verbose|traefik.logLevel takes one of TRACE, DEBUG, INFO, WARN, ERROR (spelled exactly), not \"verbose\"",
        "traefik.tracingSampleRate=2.5|traefik.tracingSampleRate takes a number from 0 to 1, not 2.5",
        "traefik.tracingSampleRate=-0.1|traefik.tracingSampleRate takes a number from 0 to 1, not -0.1",
        "prometheus.storage=lots|prometheus.storage takes a Kubernetes quantity above 0 such as 2Gi, 512Mi, 100m or 1, not \"lots\"",
        "prometheus.storage=0|prometheus.storage takes a Kubernetes quantity above 0",
        "prometheus.storage=-1Gi|prometheus.storage takes a Kubernetes quantity above 0",
        "prometheus.storage=2GiB|prometheus.storage takes a Kubernetes quantity above 0",
        "grafana.storage=|grafana.storage takes a Kubernetes quantity above 0 such as 2Gi, 512Mi, 100m or 1, not an empty value",
        "prometheus.retention=forever|prometheus.retention takes a Prometheus duration such as 2d, 12h, 1w or 90m, not \"forever\"",
        "prometheus.retentionSize=1G|prometheus.retentionSize takes a size in Prometheus units (a whole number and B, KB, MB, GB, TB, PB or EB, e.g. 1GB), not \"1G\"",
        "jaeger.maxTraces=0|jaeger.maxTraces takes a whole number from 1 to 10000000, not 0",
        "grafana.adminSecret=Grafana_Admin|grafana.adminSecret takes empty (no admin user) or the name of a Secret",
        "traefik.resources.requests.cpu=lots|traefik.resources.requests.cpu takes a Kubernetes quantity above 0",
        "jaeger.resources.limits.memory=0Mi|jaeger.resources.limits.memory takes a Kubernetes quantity above 0",
    })
    void should_reject_a_value_outside_the_schema_naming_flag_key_value_and_what_is_allowed(String assignment, String expected) {
        String message = usage(() -> bundled().values(sets(assignment)));
        assertTrue(message.startsWith("--set " + assignment + ": " + expected), message);
    }

    @Test
    void should_check_namespace_and_domain_flags_as_before() {
        assertTrue(usage(() -> bundled().values(new StackOptions("Bad_NS", null, List.of(), List.of())))
                .startsWith("--namespace Bad_NS: not a valid namespace name"));
        assertTrue(usage(() -> bundled().values(new StackOptions(null, "a..b", List.of(), List.of())))
                .startsWith("--domain a..b: not a valid domain"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "traefik.nodeport=80|did you mean traefik.nodePort?",
        "grafana.anonymusRole=Viewer|did you mean grafana.anonymousRole?",
        "image.grafana=x|did you mean images.grafana?",
        "prometheus.storageSize=1Gi|did you mean prometheus.storage",
    })
    void should_reject_unknown_set_keys_with_a_suggestion(String assignment, String hint) {
        String message = usage(() -> bundled().values(sets(assignment)));
        assertTrue(message.startsWith("--set " + assignment + ": unknown key "), message);
        assertTrue(message.contains(hint), message);
    }

    @Test
    void should_name_the_users_values_file_when_it_holds_a_value_outside_the_schema() throws Exception {
        write("stack/values.yaml", "traefik:\n  nodePort: 99999\n");
        String message = usage(() -> withFolder().values(StackOptions.defaults()));
        assertTrue(message.startsWith(dir.resolve("stack/values.yaml") + ": traefik.nodePort takes a whole number from 1 "
                + "to 65535, not 99999"), message);
        write("stack/values.yaml", "traefik:\n  nodePort: \"80\"\n");
        message = usage(() -> withFolder().values(StackOptions.defaults()));
        assertTrue(message.startsWith(dir.resolve("stack/values.yaml") + ": traefik.nodePort takes a whole number "
                + "from 1 to 65535, not \"80\""), message);
        write("stack/values.yaml", "grafana:\n  anonymousRole:\n    role: Admin\n");
        message = usage(() -> withFolder().values(StackOptions.defaults()));
        assertTrue(message.endsWith("grafana.anonymousRole takes one of Admin, Editor, Viewer (spelled exactly), not a "
                + "group of keys"), message);
        // the check runs on the merged result: a --set that repairs the file's value wins
        write("stack/values.yaml", "traefik:\n  nodePort: 0\n");
        assertEquals(30080, withFolder().values(sets("traefik.nodePort=30080")).traefikNodePort());
    }

    @Test
    void should_accept_keys_a_users_values_file_adds_and_type_them_like_their_default() throws Exception {
        write("stack/values.yaml", "loki:\n  retention: forever\n  replicas: 1\n");
        StackValues values = withFolder().values(sets("loki.retention=3d"));
        assertEquals("3d", values.get("loki.retention").orElseThrow());
        String message = usage(() -> withFolder().values(sets("loki.replicas=two")));
        assertEquals("--set loki.replicas=two: loki.replicas takes a whole number (default 1)", message);
        message = usage(() -> withFolder().values(sets("loki.retenton=1d")));
        assertTrue(message.contains("did you mean loki.retention?"), message);
    }

    @Test
    void should_check_keys_a_users_schema_declares() throws Exception {
        write("stack/values.yaml", "loki:\n  replicas: 1\n");
        write("stack/values.schema.yaml", "loki.replicas: {type: integer, minimum: 1, maximum: 3, hint: one is plenty on a laptop}\n"
                + "traefik.logLevel: {type: string, enum: [DEBUG, INFO]}\n");
        assertEquals(3, withFolder().values(sets("loki.replicas=3")).get("loki.replicas").orElseThrow());
        assertEquals("--set loki.replicas=5: loki.replicas takes a whole number from 1 to 3, not 5; one is plenty on a laptop",
                usage(() -> withFolder().values(sets("loki.replicas=5"))));
        // an entry of the user's schema replaces the bundled one of the same key; the others stay
        assertTrue(usage(() -> withFolder().values(sets("traefik.logLevel=WARN"))).contains("one of DEBUG, INFO"));
        assertTrue(usage(() -> withFolder().values(sets("traefik.nodePort=0"))).contains("from 1 to 65535"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "x.y: {type: integr}|x.y: type must be one of array, boolean, integer, number, string, not \"integr\"",
        "x.y: {type: integer, maximun: 3}|x.y: unknown keyword 'maximun'",
        "x.y: {type: string, format: url}|x.y: format must be one of dns-label, dns-name, duration, image, quantity, not \"url\"",
        "x.y: {type: string, pattern: '[a-'}|x.y: pattern is not a valid regular expression",
        "x.y: 3|x.y: expected a mapping of keywords",
        "x.y: {type: integer, minimum: one}|x.y: minimum must be a number, not \"one\"",
    })
    void should_name_a_mistake_in_a_users_schema(String line, String expected) throws Exception {
        write("stack/values.schema.yaml", line + "\n");
        String message = usage(() -> withFolder().values(StackOptions.defaults()));
        assertTrue(message.startsWith(dir.resolve("stack/values.schema.yaml") + ": " + expected), message);
    }

    @Test
    void should_give_every_bundled_value_an_entry_and_every_entry_a_value() {
        RenderService service = bundled();
        ValuesSchema schema = service.schema();
        Map<String, Object> values = new LinkedHashMap<>(service.values(StackOptions.defaults()).values());
        assertEquals(List.of(), schema.uncovered(values), "values without a type in stack/values.schema.yaml");
        List<String> leaves = new ArrayList<>();
        ValueOverrides.leafKeys("", values, leaves);
        for (String key : schema.keys()) {
            if (key.contains("*")) {
                continue; // a pattern also describes keys a --templates folder may add (limits.cpu, images.loki)
            }
            assertTrue(leaves.stream().anyMatch(leaf -> ValuesSchema.covers(key, leaf)),
                    "stack/values.schema.yaml describes " + key + ", which no value has");
        }
    }

    @Test
    void should_read_kubernetes_quantities() {
        assertEquals(0, new BigDecimal("2147483648").compareTo(ValuesSchema.quantity("2Gi").orElseThrow()));
        assertEquals(0, new BigDecimal("0.1").compareTo(ValuesSchema.quantity("100m").orElseThrow()));
        assertEquals(0, new BigDecimal("1500").compareTo(ValuesSchema.quantity("1.5k").orElseThrow()));
        assertEquals(0, new BigDecimal("1000").compareTo(ValuesSchema.quantity("1e3").orElseThrow()));
        assertEquals(0, new BigDecimal("-1").compareTo(ValuesSchema.quantity("-1").orElseThrow()));
        for (String bad : List.of("", "Gi", "1 Gi", "1GB", "1gi", "1.2.3", "lots", "1e999")) {
            assertTrue(ValuesSchema.quantity(bad).isEmpty(), bad);
        }
    }

    @ParameterizedTest(name = "--components {0}")
    @CsvSource(delimiter = '|', value = {
        "',,'|--components ',,': names no component; name at least one, or leave the flag out for all; known components: traefik, prometheus, grafana, jaeger",
        "''|--components '': names no component",
        "' , '|--components ' , ': names no component",
        "trafik|--components trafik: unknown component 'trafik'; did you mean traefik? known components: traefik, prometheus, grafana, jaeger",
        "'grafana,,loki'|--components grafana,,loki: unknown component 'loki'; known components",
    })
    void should_reject_components_that_name_nothing_or_something_unknown(String flag, String expected) {
        String message = usage(() -> bundled().renderStack(new StackOptions(null, null, List.of(), List.of(flag))));
        assertTrue(message.startsWith(expected), message);
    }
}
