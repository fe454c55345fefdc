package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.service.RenderService;
import io.devk8s.service.RenderedDocument;
import io.devk8s.service.StackOptions;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
 * {@code devk8s up} through the real CLI, against fabric8's mock API server (CRUD mode, extended with
 * server-side apply and a simulated Deployment controller) and the minikube fixture executable.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UpCommandMockTest {
    private static final List<String> LABELS = List.of("app.kubernetes.io/name", "app.kubernetes.io/instance",
            "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by");

    @TempDir
    Path dir;

    @RegisterExtension
    final MockCluster cluster = new MockCluster().nodePortRange(80, 32767).driver("kvm2")
            .hostsContent("127.0.0.1 localhost\n# keep me\n");

    private MockKubernetes mock;
    private CliRunner cli;
    private Path hosts;
    private Path minikubeLog;

    @BeforeEach
    void setUp() {
        mock = cluster.mock();
        cli = cluster.cli();
        hosts = cluster.hosts();
        minikubeLog = cluster.minikubeLog();
    }

    private CliRunner.Result up(int expected, String... extra) {
        List<String> args = new ArrayList<>(List.of("up", "--hosts-file", hosts.toString(), "--timeout", "20s"));
        args.addAll(List.of(extra));
        return cli.runAndExpect(expected, args.toArray(String[]::new));
    }

    private List<HasMetadata> renderedObjects() {
        var stack = new RenderService(TemplateSource.bundled(), new Environment(Map.of(), dir))
                .renderStack(StackOptions.defaults());
        KubernetesCluster loader = new KubernetesCluster(mock.admin());
        List<HasMetadata> objects = new ArrayList<>();
        for (RenderedDocument d : stack.documents()) {
            objects.addAll(loader.load(d.yaml(), d.source()));
        }
        return objects;
    }

    @Test
    void should_create_every_stack_object_with_its_labels_on_the_mock_api_server() throws IOException {
        mock.startController();
        var r = up(ExitCode.OK);

        List<HasMetadata> objects = renderedObjects();
        assertTrue(objects.size() > 25, "the stack renders " + objects.size() + " objects");
        for (HasMetadata expected : objects) {
            HasMetadata live = mock.admin().resource(expected).get();
            assertNotNull(live, expected.getKind() + " " + expected.getMetadata().getName() + " was not created");
            for (String label : LABELS) {
                assertTrue(live.getMetadata().getLabels().containsKey(label),
                        live.getKind() + " " + live.getMetadata().getName() + " lacks " + label);
            }
        }
        assertTrue(r.err().contains("applied " + objects.size() + " objects: " + objects.size() + " created"), r.err());
        assertTrue(r.err().contains("stack ready"), r.err());
        for (String url : List.of("http://traefik-ui.minikube/dashboard/", "http://prometheus.minikube/",
                "http://grafana.minikube/", "http://jaeger.minikube/")) {
            assertTrue(r.out().contains(url), r.out());
        }
        String content = Files.readString(hosts);
        assertTrue(content.startsWith("127.0.0.1 localhost\n# keep me\n"), content);
        assertTrue(content.contains("# BEGIN devk8s minikube\n192.168.49.2 traefik-ui.minikube prometheus.minikube "
                + "grafana.minikube jaeger.minikube\n# END devk8s minikube\n"), content);
        // the kube context was pinned: every request went to the mock named by the profile's context
        assertFalse(mock.requests().isEmpty());
        // `minikube profile list` is slow on a real minikube: asked once per run
        assertEquals(1, MinikubeFixture.calls(minikubeLog).stream().filter(c -> c.startsWith("profile list")).count(),
                MinikubeFixture.calls(minikubeLog).toString());
    }

    @Test
    void should_report_unchanged_and_write_nothing_on_a_second_up() throws IOException {
        mock.startController();
        up(ExitCode.OK);
        FileTime written = Files.getLastModifiedTime(hosts);
        Object inode = Files.getAttribute(hosts, "unix:ino");
        mock.clearRequests();

        var again = up(ExitCode.OK);

        assertEquals(List.of(), mock.writes(), "a second up must not write");
        // the prune's lists hold the stack's IngressClass with its labels: whose it is needs no read of its own
        assertEquals(List.of(), mock.requests().stream()
                .filter(r -> r.path().startsWith("/apis/networking.k8s.io/v1/ingressclasses/")).toList());
        int objects = renderedObjects().size();
        assertEquals(objects, again.err().lines().filter(l -> l.strip().startsWith("unchanged ")).count(), again.err());
        assertTrue(again.err().contains(objects + " unchanged"), again.err());
        assertTrue(again.err().contains("hosts: unchanged"), again.err());
        assertEquals(written, Files.getLastModifiedTime(hosts));
        assertEquals(inode, Files.getAttribute(hosts, "unix:ino"));
    }

    @Test
    void should_configure_only_what_changed_and_wait_for_its_rollout() {
        mock.startController();
        up(ExitCode.OK);
        mock.clearRequests();

        var r = up(ExitCode.OK, "--set", "traefik.logLevel=DEBUG");

        assertTrue(r.err().contains("configured Deployment devk8s/traefik"), r.err());
        assertTrue(r.err().contains("1 configured, " + (renderedObjects().size() - 1) + " unchanged"), r.err());
        assertTrue(r.err().contains("stack ready"), r.err());
        assertEquals(1, mock.writes().stream().filter(w -> w.method().equals("PATCH")).count(), mock.writeLines().toString());
        var args = mock.admin().apps().deployments().inNamespace("devk8s").withName("traefik").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertTrue(args.contains("--log.level=DEBUG"), args.toString());
    }

    @Test
    void should_prune_an_object_that_the_new_stack_version_no_longer_renders() throws IOException {
        mock.startController();
        Path templates = dir.resolve("templates");
        Files.createDirectories(templates.resolve("stack/grafana"));
        Files.writeString(templates.resolve("stack/grafana/extra.yaml"), """
                {% import "stack/_helpers.yaml" as h %}
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: grafana-extra
                  namespace: {{ namespace }}
                  labels:
                    {{ h.labels("grafana") | indent(4) }}
                data:
                  a: b
                """);
        up(ExitCode.OK, "--templates", templates.toString());
        assertNotNull(mock.admin().configMaps().inNamespace("devk8s").withName("grafana-extra").get());
        // an object of the user's that happens to live in the namespace is none of devk8s's business
        mock.admin().configMaps().inNamespace("devk8s").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("mine").endMetadata().addToData("x", "y").build()).create();

        var r = up(ExitCode.OK);

        assertNull(mock.admin().configMaps().inNamespace("devk8s").withName("grafana-extra").get());
        assertNotNull(mock.admin().configMaps().inNamespace("devk8s").withName("mine").get());
        assertNotNull(mock.admin().configMaps().inNamespace("devk8s").withName("prometheus-config").get());
        assertTrue(r.err().contains("pruned") && r.err().contains("ConfigMap devk8s/grafana-extra"), r.err());
    }

    @Test
    void should_refuse_node_port_80_before_applying_when_the_profile_range_excludes_it() {
        cli.env("FIXTURE_MINIKUBE_NODE_PORT_RANGE", "none");
        var r = up(ExitCode.PRECONDITION);
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.err().contains("minikube start -p minikube --extra-config=apiserver.service-node-port-range=80-32767"), r.err());
        assertTrue(r.err().contains("--node-port 30080"), r.err());
        assertEquals(List.of(), mock.requests(), "nothing may reach the API server");
    }

    @Test
    void should_use_the_given_node_port_and_put_it_in_the_urls() {
        cli.env("FIXTURE_MINIKUBE_NODE_PORT_RANGE", "none");
        mock.nodePortRange(30000, 32767).startController();
        var r = up(ExitCode.OK, "--node-port", "30080");
        Service traefik = mock.admin().services().inNamespace("devk8s").withName("traefik").get();
        assertEquals(30080, traefik.getSpec().getPorts().get(0).getNodePort());
        assertTrue(r.out().contains("http://grafana.minikube:30080/"), r.out());
        assertTrue(r.out().contains("http://traefik-ui.minikube:30080/dashboard/"), r.out());
    }

    @Test
    void should_turn_the_api_servers_node_port_rejection_into_the_fix() {
        mock.nodePortRange(30000, 32767);
        var r = up(ExitCode.PRECONDITION, "--no-wait");
        assertEquals(1, r.errLines().lines().filter(l -> l.startsWith("error:")).count(), r.err());
        assertTrue(r.err().contains("--extra-config=apiserver.service-node-port-range=80-32767"), r.err());
        assertNull(mock.admin().services().inNamespace("devk8s").withName("traefik").get());
    }

    @Test
    void should_time_out_naming_the_failing_pod_and_its_reason() {
        mock.startController(d -> !d.getMetadata().getName().equals("grafana"));
        // the kubelet's side: once the Deployment exists, its pod cannot pull the image
        Thread kubelet = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                if (mock.admin().apps().deployments().inNamespace("devk8s").withName("grafana").get() != null) {
                    mock.addWaitingPod("devk8s", "grafana", "grafana-6d9f-x2x", "ImagePullBackOff",
                            "Back-off pulling image \"docker.io/grafana/grafana:13.2.0\"");
                    return;
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        kubelet.start();
        var r = up(ExitCode.FAILURE, "--timeout", "3s");
        assertTrue(r.err().contains("grafana-6d9f-x2x") && r.err().contains("ImagePullBackOff"), r.err());
        assertTrue(r.err().contains("fix:"), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("error: timed out after 3.0s: 3 of 4 deployments ready")), r.err());
    }

    @Test
    void should_refuse_a_context_that_is_not_the_profiles_and_proceed_when_allowed() throws IOException {
        Path kubeconfig = MockKubernetes.writeKubeconfig(dir.resolve("prod-kubeconfig"), "prod", Map.of("prod", mock.url()));
        cli.env("KUBECONFIG", kubeconfig.toString());
        var refused = up(ExitCode.PRECONDITION);
        assertEquals(1, refused.errLines().lines().count(), refused.err());
        assertTrue(refused.err().contains("\"prod\""), refused.err());
        assertEquals(List.of(), mock.requests(), "a refused context must not be talked to");
        assertFalse(Files.readString(hosts).contains("devk8s"), "nothing written on refusal");

        mock.startController();
        up(ExitCode.OK, "--allow-context", "prod");
        assertNotNull(mock.admin().apps().deployments().inNamespace("devk8s").withName("traefik").get());
    }

    @Test
    void should_accept_a_renamed_context_whose_server_is_the_profiles_node_and_ask_profile_list_once()
            throws IOException {
        int port = java.net.URI.create(mock.url()).getPort();
        Path kubeconfig = MockKubernetes.writeKubeconfig(dir.resolve("laptop-kubeconfig"), "laptop",
                Map.of("laptop", "http://127.0.0.1:" + port + "/"));
        cli.env("KUBECONFIG", kubeconfig.toString())
                .env("FIXTURE_MINIKUBE_IP", "127.0.0.1")
                .env("FIXTURE_MINIKUBE_PORT", String.valueOf(port));
        mock.startController();
        var r = up(ExitCode.OK);
        assertTrue(r.err().contains("context: laptop"), r.err());
        assertEquals(1, MinikubeFixture.calls(minikubeLog).stream().filter(c -> c.startsWith("profile list")).count(),
                MinikubeFixture.calls(minikubeLog).toString());
    }

    @Test
    void should_point_the_hosts_block_at_127_0_0_1_and_name_minikube_tunnel_for_the_docker_driver_on_macos()
            throws IOException {
        mock.startController();
        cli.env("FIXTURE_MINIKUBE_DRIVER", "docker");
        String os = System.getProperty("os.name");
        System.setProperty("os.name", "Mac OS X");
        CliRunner.Result r;
        try {
            r = up(ExitCode.OK);
        } finally {
            System.setProperty("os.name", os);
        }
        assertTrue(Files.readString(hosts).contains("127.0.0.1 traefik-ui.minikube prometheus.minikube"),
                Files.readString(hosts));
        assertTrue(r.err().contains("minikube tunnel -p minikube"), r.err());
    }

    @Test
    void should_start_a_stopped_profile_only_with_start() throws IOException {
        Path state = Files.writeString(dir.resolve("state"), "stopped");
        cli.env("FIXTURE_MINIKUBE_STATE_FILE", state.toString());
        var refused = up(ExitCode.PRECONDITION);
        assertEquals(1, refused.errLines().lines().count(), refused.err());
        assertTrue(refused.err().contains("devk8s up --start"), refused.err());
        assertEquals(List.of(), mock.requests());

        mock.startController();
        up(ExitCode.OK, "--start", "--minikube-arg=--cpus=4");
        assertTrue(MinikubeFixture.calls(minikubeLog).contains(
                "start --extra-config=apiserver.service-node-port-range=80-32767 --cpus=4 -p minikube"),
                MinikubeFixture.calls(minikubeLog).toString());
        assertNotNull(mock.admin().apps().deployments().inNamespace("devk8s").withName("jaeger").get());
    }

    @Test
    void should_return_right_after_the_apply_with_no_wait() {
        var r = up(ExitCode.OK, "--no-wait", "--no-hosts");
        assertNotNull(mock.admin().apps().deployments().inNamespace("devk8s").withName("prometheus").get());
        assertFalse(r.err().contains("waiting up to"), r.err());
        assertTrue(r.err().contains("applied without waiting"), r.err());
    }

    @Test
    void should_apply_nothing_when_one_manifest_does_not_match_its_api_type() throws IOException {
        Path templates = dir.resolve("templates");
        Files.createDirectories(templates.resolve("stack/jaeger"));
        String deployment = new TemplateSource(null).read("stack/jaeger/deployment.yaml")
                .replaceFirst("replicas: 1", "replicas: many");
        Files.writeString(templates.resolve("stack/jaeger/deployment.yaml"), deployment);
        var r = up(ExitCode.USAGE, "--templates", templates.toString());
        assertEquals(1, r.errLines().lines().filter(l -> l.startsWith("error:")).count(), r.err());
        assertTrue(r.err().contains("stack/jaeger/deployment.yaml"), r.err());
        assertEquals(List.of(), mock.writes(), "no half-applied stack");
    }

    @Test
    void should_not_start_minikube_on_a_dry_run() throws IOException {
        Path state = Files.writeString(dir.resolve("state"), "stopped");
        cli.env("FIXTURE_MINIKUBE_STATE_FILE", state.toString());
        var r = up(ExitCode.PRECONDITION, "--start", "--dry-run");
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.err().contains("would start it"), r.err());
        assertFalse(MinikubeFixture.calls(minikubeLog).stream().anyMatch(c -> c.startsWith("start")),
                MinikubeFixture.calls(minikubeLog).toString());
        assertEquals("stopped", Files.readString(state).strip());
    }

    @Test
    void should_reject_a_bad_hosts_file_before_anything_is_applied() {
        mock.startController();
        var r = cli.runAndExpect(ExitCode.USAGE, "up", "--hosts-file", dir.resolve("missing/hosts").toString());
        assertEquals(1, r.errLines().lines().filter(l -> l.startsWith("error:")).count(), r.err());
        assertTrue(r.err().contains("--hosts-file"), r.err());
        assertEquals(List.of(), mock.requests(), "no request before the input is known to be good");
    }

    @Test
    void should_change_nothing_on_a_dry_run() throws IOException {
        var r = up(ExitCode.OK, "--dry-run");
        assertEquals(List.of(), mock.writes());
        assertTrue(r.out().contains("apply  Deployment devk8s/traefik"), r.out());
        assertTrue(r.out().contains("hosts  traefik-ui.minikube"), r.out());
        assertFalse(Files.readString(hosts).contains("devk8s"));
    }
}
