package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.devk8s.ExitCode;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.service.HostsService;
import io.devk8s.service.StackOptions;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.StackOnMock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code devk8s status} through the real CLI: the minikube stand-in first on PATH, and a kubeconfig whose context
 * {@code minikube} points at the mock API server holding the rendered stack.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatusCommandMockTest {
    private static final List<String> URLS = List.of("http://traefik-ui.minikube/dashboard/",
            "http://prometheus.minikube/", "http://grafana.minikube/", "http://jaeger.minikube/");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @RegisterExtension  // kvm2: the node IP is the hosts address on every OS
    final MockCluster cluster = new MockCluster().nodePortRange(80, 32767).driver("kvm2");

    private MockKubernetes mock;
    private CliRunner cli;
    private Path hosts;

    @BeforeEach
    void setUp() {
        mock = cluster.mock();
        cli = cluster.cli();
        hosts = cluster.hosts();
    }

    private void hostsBlock(String ip) {
        new HostsFile(hosts).apply("minikube", ip, HostsService.hostnames("minikube", List.of()));
    }

    private JsonNode json(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("status", "-o", "json", "--hosts-file", hosts.toString()));
        args.addAll(List.of(extra));
        var r = cli.run(args.toArray(String[]::new));
        assertEquals("", r.err(), "json mode writes nothing to stderr");
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(doc.path("health").asText(), switch (r.exitCode()) {
            case ExitCode.OK -> "healthy";
            case ExitCode.FAILURE -> "degraded";
            default -> "unavailable";
        }, r.out());
        return doc;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.path(field).asText()));
        return values;
    }

    private String image(String deployment) {
        return mock.admin().apps().deployments().inNamespace("devk8s").withName(deployment).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void should_report_a_healthy_stack_on_the_mock_as_json_with_urls_replicas_images_and_a_matching_hosts_block()
            throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        hostsBlock("192.168.49.2");

        JsonNode doc = json();

        assertEquals("healthy", doc.path("health").asText(), doc.toPrettyString());
        assertEquals(URLS, texts(doc.path("urls"), "url"));
        assertEquals(List.of("traefik", "prometheus", "grafana", "jaeger"), texts(doc.path("urls"), "name"));
        assertEquals(List.of("traefik", "prometheus", "grafana", "jaeger"), texts(doc.path("components"), "name"));
        for (JsonNode c : doc.path("components")) {
            assertEquals("available", c.path("status").asText(), c.toString());
            assertEquals(1, c.path("ready").asInt(), c.toString());
            assertEquals(1, c.path("desired").asInt(), c.toString());
            assertEquals(image(c.path("name").asText()), c.path("images").get(0).asText(), c.toString());
        }
        assertEquals("RUNNING", doc.path("profile").path("state").asText());
        assertEquals("192.168.49.2", doc.path("profile").path("ip").asText());
        assertEquals("kvm2", doc.path("profile").path("driver").asText());
        assertEquals("minikube", doc.path("context").path("name").asText());
        assertTrue(doc.path("context").path("allowed").asBoolean());
        assertEquals("devk8s", doc.path("namespace").asText());
        JsonNode h = doc.path("hosts");
        assertEquals("ok", h.path("status").asText(), h.toString());
        assertEquals(hosts.toString(), h.path("file").asText());
        assertEquals("192.168.49.2", h.path("expectedAddress").asText());
        assertEquals(0, h.path("missingHosts").size());
        assertEquals(0, doc.path("problems").size());
        assertTrue(mock.writes().isEmpty(), "status only reads: " + mock.writeLines());
    }

    @Test
    void should_expect_only_the_components_up_deployed_on_the_mock() throws IOException {
        StackOnMock.deploy(mock, new StackOptions(null, null, List.of(), List.of("traefik", "grafana")));
        hostsBlock("192.168.49.2");

        JsonNode doc = json();

        assertEquals("healthy", doc.path("health").asText(), doc.toPrettyString());
        assertEquals(List.of("traefik", "grafana"), texts(doc.path("components"), "name"));
        assertEquals(0, doc.path("problems").size(), doc.toPrettyString());
    }

    @Test
    void should_report_a_missing_hosts_block_as_degraded_with_the_fix() throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());

        JsonNode doc = json();

        assertEquals("degraded", doc.path("health").asText());
        JsonNode h = doc.path("hosts");
        assertEquals("missing", h.path("status").asText());
        assertFalse(h.path("present").asBoolean());
        assertEquals(4, h.path("missingHosts").size());
        assertEquals(1, doc.path("problems").size(), doc.path("problems").toString());
        assertTrue(doc.path("problems").get(0).asText().contains("devk8s hosts apply -p minikube"),
                doc.path("problems").toString());
    }

    @Test
    void should_report_a_hosts_block_with_a_stale_ip() throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        hostsBlock("192.168.49.7");

        JsonNode doc = json();

        JsonNode h = doc.path("hosts");
        assertEquals("stale", h.path("status").asText(), h.toString());
        assertEquals("192.168.49.7", h.path("addresses").get(0).asText());
        assertEquals("192.168.49.2", h.path("expectedAddress").asText());
        assertTrue(doc.path("problems").get(0).asText().contains("points at 192.168.49.7, not 192.168.49.2"),
                doc.path("problems").toString());
        assertEquals("degraded", doc.path("health").asText());
    }

    @Test
    void should_report_a_hosts_block_that_lacks_some_ingress_hosts_as_incomplete() throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        new HostsFile(hosts).apply("minikube", "192.168.49.2", List.of("grafana.minikube", "jaeger.minikube"));

        JsonNode doc = json();

        JsonNode h = doc.path("hosts");
        assertEquals("incomplete", h.path("status").asText(), h.toString());
        assertEquals(List.of("traefik-ui.minikube", "prometheus.minikube"),
                List.of(h.path("missingHosts").get(0).asText(), h.path("missingHosts").get(1).asText()));
        assertEquals(2, h.path("missingHosts").size());
        assertTrue(doc.path("problems").get(0).asText().contains("lacks traefik-ui.minikube, prometheus.minikube"),
                doc.path("problems").toString());
    }

    @Test
    void should_print_an_aligned_text_view_of_a_healthy_stack() {
        StackOnMock.deploy(mock, StackOptions.defaults());
        hostsBlock("192.168.49.2");

        var r = cli.runAndExpect(ExitCode.OK, "status", "--hosts-file", hosts.toString());

        List<String> lines = r.out().lines().toList();
        assertEquals("profile    minikube  running  192.168.49.2  (kvm2 driver)", lines.get(0));
        assertTrue(lines.get(1).startsWith("context    minikube  " + mock.url()), lines.get(1));
        assertTrue(lines.get(1).endsWith("(named after the profile)"), lines.get(1));
        assertEquals("namespace  devk8s", lines.get(2));
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("COMPONENT")).findFirst().orElseThrow());
        int statusColumn = lines.get(header).indexOf("STATUS");
        int imageColumn = lines.get(header).indexOf("IMAGE");
        for (String name : List.of("traefik", "prometheus", "grafana", "jaeger")) {
            String row = lines.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
            assertTrue(row.contains(" 1/1 "), row);
            assertEquals("available", row.substring(statusColumn).split("\\s+")[0], row);
            assertEquals(image(name), row.substring(imageColumn), row);
        }
        for (String url : URLS) {
            assertTrue(lines.stream().anyMatch(l -> l.matches("^\\w+\\s+" + java.util.regex.Pattern.quote(url) + "$")),
                    url + " in\n" + r.out());
        }
        assertTrue(r.out().contains("hosts      ok  " + hosts + " points the stack's hosts at 192.168.49.2"), r.out());
        assertFalse(r.out().contains("\u001b["), "no colour with NO_COLOR");
        assertEquals("✓ stack healthy", r.errLines());
    }

    @Test
    void should_append_the_node_port_to_every_url_when_traefik_listens_on_30080() throws IOException {
        StackOnMock.deploy(mock, new StackOptions(null, null, List.of("traefik.nodePort=30080"), List.of()));
        hostsBlock("192.168.49.2");

        JsonNode doc = json();

        assertEquals(List.of("http://traefik-ui.minikube:30080/dashboard/", "http://prometheus.minikube:30080/",
                "http://grafana.minikube:30080/", "http://jaeger.minikube:30080/"), texts(doc.path("urls"), "url"));
        assertEquals("healthy", doc.path("health").asText());
        var text = cli.runAndExpect(ExitCode.OK, "status", "--hosts-file", hosts.toString());
        assertTrue(text.out().contains("http://grafana.minikube:30080/"), text.out());
    }

    @Test
    void should_report_a_missing_cluster_scoped_object_only_for_a_component_that_is_deployed() throws IOException {
        // status asks for the whole stack's ClusterRoles with its other reads; only the deployed components' count
        StackOnMock.apply(mock, StackOptions.defaults());
        for (String name : List.of("traefik", "prometheus", "grafana", "jaeger")) {
            mock.markAvailable("devk8s", name);
        }
        hostsBlock("192.168.49.2");
        mock.admin().rbac().clusterRoles().withName("devk8s-traefik").delete();
        mock.admin().rbac().clusterRoles().withName("devk8s-prometheus").delete();
        mock.admin().apps().deployments().inNamespace("devk8s").withName("prometheus").delete();

        String problems = json().path("problems").toString();

        assertTrue(problems.contains("ClusterRole devk8s-traefik is missing (the stack in namespace devk8s needs it)"),
                problems);
        assertFalse(problems.contains("ClusterRole devk8s-prometheus"), "prometheus is not deployed: " + problems);
        assertTrue(problems.contains("prometheus is not deployed in namespace devk8s"), problems);
    }

    @Test
    void should_show_components_not_deployed_or_not_available_as_degraded_on_the_mock() throws IOException {
        StackOnMock.apply(mock, StackOptions.defaults());
        // someone deleted two components behind devk8s's back
        for (String gone : List.of("prometheus", "jaeger")) {
            mock.admin().apps().deployments().inNamespace("devk8s").withName(gone).delete();
            mock.admin().network().v1().ingresses().inNamespace("devk8s").withName(gone).delete();
        }
        mock.markAvailable("devk8s", "traefik");
        hostsBlock("192.168.49.2");

        JsonNode doc = json();

        assertEquals("degraded", doc.path("health").asText());
        assertEquals(List.of("traefik", "prometheus", "grafana", "jaeger"), texts(doc.path("components"), "name"),
                "stack order, missing ones included");
        assertEquals(List.of("available", "not deployed", "progressing", "not deployed"),
                texts(doc.path("components"), "status"));
        JsonNode grafana = doc.path("components").get(2);
        assertEquals(0, grafana.path("ready").asInt());
        assertEquals(List.of("http://traefik-ui.minikube/dashboard/", "http://grafana.minikube/"),
                texts(doc.path("urls"), "url"));
        String problems = doc.path("problems").toString();
        assertTrue(problems.contains("prometheus is not deployed in namespace devk8s: run `devk8s up`"), problems);
        assertTrue(problems.contains("grafana is not available (0/1 ready)"), problems);
        assertEquals("ok", doc.path("hosts").path("status").asText(), "the block covers the deployed ingress hosts");
        var text = cli.runAndExpect(ExitCode.FAILURE, "status", "--hosts-file", hosts.toString());
        assertTrue(text.out().lines().anyMatch(l -> l.matches("^jaeger\\s+-\\s+not deployed\\s+-$")), text.out());
        assertTrue(text.err().contains("stack degraded: 3 problems"), text.err());
    }

    @Test
    void should_show_what_is_known_of_a_stopped_profile_and_exit_3_without_calling_the_api() throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        hostsBlock("192.168.49.2");
        cli.env("FIXTURE_MINIKUBE_STATE", "stopped");

        JsonNode doc = json();

        assertEquals("unavailable", doc.path("health").asText());
        assertEquals("STOPPED", doc.path("profile").path("state").asText());
        assertTrue(doc.path("profile").path("ip").isNull());
        assertEquals(List.of("unknown", "unknown", "unknown", "unknown"), texts(doc.path("components"), "status"));
        assertEquals("unverified", doc.path("hosts").path("status").asText());
        assertTrue(doc.path("problems").get(0).asText().contains("is stopped: start it with `devk8s up --start` or "
                + "`minikube start -p minikube"), doc.path("problems").toString());
        assertEquals(List.of(), mock.requests(), "a stopped profile's API is not called");

        var text = cli.runAndExpect(ExitCode.PRECONDITION, "status", "--hosts-file", hosts.toString());
        assertTrue(text.out().startsWith("profile    minikube  stopped\n"), text.out());
        assertTrue(text.err().contains("stack unavailable: 1 problem"), text.err());
    }

    @Test
    void should_show_a_refused_context_and_never_call_its_api_unless_allowed() throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        hostsBlock("192.168.49.2");
        Path prod = MockKubernetes.writeKubeconfig(dir.resolve("prod-kubeconfig"), "prod", Map.of("prod", mock.url()));
        cli.env("KUBECONFIG", prod.toString());

        var r = cli.runAndExpect(ExitCode.PRECONDITION, "status", "-o", "yaml", "--hosts-file", hosts.toString());

        JsonNode doc = new YAMLMapper().readTree(r.out());
        assertEquals("unavailable", doc.path("health").asText());
        assertEquals("prod", doc.path("context").path("name").asText());
        assertFalse(doc.path("context").path("allowed").asBoolean());
        assertTrue(doc.path("context").path("refusal").asText().contains("kube context \"prod\""), r.out());
        assertTrue(doc.path("context").path("refusal").asText().contains("--allow-context prod"), r.out());
        assertEquals(List.of(), mock.requests(), "a refused context's API is never called");

        JsonNode allowed = json("--allow-context", "prod");
        assertEquals("healthy", allowed.path("health").asText(), allowed.toPrettyString());
        assertEquals("allowed with --allow-context", allowed.path("context").path("reason").asText());
        assertEquals(URLS, texts(allowed.path("urls"), "url"));
    }

    @Test
    void should_exit_3_and_say_how_to_install_minikube_when_it_is_missing() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        cli.env("PATH", empty.toString());

        JsonNode doc = json();

        assertEquals("NOT_INSTALLED", doc.path("profile").path("state").asText());
        assertTrue(doc.path("problems").get(0).asText().contains("https://minikube.sigs.k8s.io/docs/start/"),
                doc.path("problems").toString());
    }

    /** -o json and -o yaml print the same document (one printer); the mock stands in for the API server. */
    @Test
    void should_print_the_same_report_as_json_and_as_yaml_on_the_mock() throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        hostsBlock("192.168.49.2");
        var asJson = cli.runAndExpect(ExitCode.OK, "status", "-o", "json", "--hosts-file", hosts.toString());
        var asYaml = cli.runAndExpect(ExitCode.OK, "status", "--output=YAML", "--hosts-file", hosts.toString());
        assertEquals(JSON.readTree(asJson.out()), new YAMLMapper().readTree(asYaml.out()));
        assertEquals("", asYaml.err(), "yaml mode writes nothing to stderr");
        assertTrue(asYaml.out().startsWith("health: healthy"), asYaml.out());
        assertFalse(asYaml.out().contains("\u001b["), "no colour codes in yaml");
    }

    @Test
    void should_refuse_an_unknown_output_format_before_calling_minikube_or_the_api() {
        var r = cli.runAndExpect(ExitCode.USAGE, "status", "-o", "xml", "--hosts-file", hosts.toString());
        assertTrue(r.errLines().contains("--output") && r.errLines().contains("text, json, yaml"), r.err());
        assertTrue(mock.requests().isEmpty(), mock.requests().toString());
    }

    /** --kubeconfig wins over KUBECONFIG, for the guard and for the API client alike. */
    @Test
    void should_read_the_kubeconfig_named_by_the_flag_instead_of_the_environment() throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        hostsBlock("192.168.49.2");
        Path other = Files.createDirectories(dir.resolve("other"));
        Path flagFile = mock.writeKubeconfig(other, "minikube");
        cli.env("KUBECONFIG", dir.resolve("does-not-exist").toString());
        JsonNode doc = json("--kubeconfig", flagFile.toString());
        assertEquals("healthy", doc.path("health").asText(), doc.toPrettyString());
        assertEquals("minikube", doc.path("context").path("name").asText());
        assertFalse(mock.requests().isEmpty(), "the API was read through the flag's kubeconfig");

        JsonNode missing = json("--kubeconfig", dir.resolve("nope.yaml").toString());
        assertTrue(missing.path("context").path("refusal").asText().contains("nope.yaml"), missing.toPrettyString());
    }

    @Test
    void should_refuse_a_profile_name_minikube_would_refuse_before_anything_runs() {
        for (String bad : List.of("has space", "-dash-first", "a/b", "x".repeat(64))) {
            var r = cli.runAndExpect(ExitCode.USAGE, "status", "-p", bad, "--hosts-file", hosts.toString());
            assertTrue(r.errLines().startsWith("error: --profile '"), r.err());
            assertEquals(1, r.errLines().lines().count(), r.err());
        }
        var env = cli.env("MINIKUBE_PROFILE", "has space")
                .runAndExpect(ExitCode.USAGE, "status", "--hosts-file", hosts.toString());
        assertTrue(env.errLines().startsWith("error: MINIKUBE_PROFILE 'has space'"), env.err());
        assertTrue(mock.requests().isEmpty(), mock.requests().toString());
    }
    @Test
    void should_ask_minikube_for_the_state_and_the_profile_once_each_and_take_the_node_ip_from_the_profile()
            throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        hostsBlock("192.168.49.2");
        Path calls = dir.resolve("minikube-calls.log");
        cli.env("FIXTURE_MINIKUBE_LOG", calls.toString());

        JsonNode doc = json();

        assertEquals("healthy", doc.path("health").asText(), doc.toPrettyString());
        assertEquals("192.168.49.2", doc.path("profile").path("ip").asText());
        // in either order: they run at the same time
        assertEquals(List.of("profile list -o json --light -p minikube", "status -o json -p minikube"),
                java.nio.file.Files.readAllLines(calls).stream().map(String::strip).sorted().toList());
    }
}
