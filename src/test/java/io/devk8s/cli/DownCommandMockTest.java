package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.service.HostsService;
import io.devk8s.service.StackOptions;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.StackOnMock;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code devk8s down} through the real CLI against the mock API server holding the rendered stack, with the
 * minikube stand-in first on PATH and a hosts file in a temporary folder.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DownCommandMockTest {
    private static final String HOSTS_BEFORE = "127.0.0.1 localhost\n";

    @TempDir
    Path dir;

    @RegisterExtension
    final MockCluster cluster = new MockCluster().nodePortRange(80, 32767).hostsContent(HOSTS_BEFORE);

    private MockKubernetes mock;
    private CliRunner cli;
    private Path hosts;
    private Path log;

    @BeforeEach
    void setUp() {
        mock = cluster.mock();
        cli = cluster.cli();
        hosts = cluster.hosts();
        log = cluster.minikubeLog();
        new HostsFile(hosts).apply("minikube", "192.168.49.2", HostsService.hostnames("minikube", List.of()));
    }

    private String[] down(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("down", "--hosts-file", hosts.toString(), "--timeout", "5s"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private void userConfigMap(String namespace) {
        mock.admin().configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("user-config").withNamespace(namespace).endMetadata().addToData("k", "v").build()).create();
    }

    private boolean hostsBlockPresent() {
        return new HostsFile(hosts).read("minikube").isPresent();
    }

    private static Set<String> names(List<ObjectRef> refs) {
        return refs.stream().map(ObjectRef::toString).collect(Collectors.toSet());
    }

    @Test
    void should_remove_every_stack_object_and_the_hosts_block_and_leave_an_unlabelled_object_alone_on_the_mock()
            throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        userConfigMap("default");
        List<ObjectRef> before = StackOnMock.labelled(mock);
        assertTrue(before.size() > 20, before.toString());
        assertTrue(names(before).contains("Namespace devk8s"));

        var r = cli.runAndExpect(ExitCode.OK, down());

        assertEquals(List.of(), StackOnMock.labelled(mock), "no object with the stack labels is left");
        assertNull(mock.admin().namespaces().withName("devk8s").get());
        assertNotNull(mock.admin().configMaps().inNamespace("default").withName("user-config").get(),
                "an object without the labels stays");
        assertFalse(hostsBlockPresent());
        assertEquals(HOSTS_BEFORE, Files.readString(hosts));
        List<String> err = r.err().lines().toList();
        assertEquals("✓ stack removed (" + before.size() + " objects), hosts block removed", err.get(err.size() - 1),
                r.err());
        assertEquals("", r.out());
        assertTrue(mock.writeLines().get(mock.writeLines().size() - 1).startsWith("DELETE /api/v1/namespaces/devk8s"),
                "the namespace goes last: " + mock.writeLines());
        assertTrue(mock.writes().stream().allMatch(w -> w.method().equals("DELETE")), mock.writeLines().toString());
        assertEquals(before.size(), mock.writes().size(), "one DELETE per object: " + mock.writeLines());
        List<MockKubernetes.Request> requests = mock.requests();
        int firstDelete = requests.indexOf(mock.writes().get(0));
        assertTrue(requests.subList(firstDelete, requests.size()).stream()
                        .noneMatch(q -> q.method().equals("GET") && q.path().contains("labelSelector")),
                "deletes the planned objects, no list after the plan: " + requests);
    }

    @Test
    void should_report_an_object_that_does_not_go_in_time_and_exit_1_on_the_mock() {
        StackOnMock.deploy(mock, StackOptions.defaults());
        var held = mock.admin().configMaps().inNamespace("devk8s").list().getItems().stream()
                .filter(c -> c.getMetadata().getLabels() != null
                        && "devk8s".equals(c.getMetadata().getLabels().get("app.kubernetes.io/managed-by")))
                .findFirst().orElseThrow();
        String name = held.getMetadata().getName();
        mock.admin().configMaps().inNamespace("devk8s").withName(name).edit(c -> new ConfigMapBuilder(c)
                .editMetadata().addToFinalizers("example.com/hold").endMetadata().build());

        var r = cli.runAndExpect(ExitCode.FAILURE, down("--timeout", "1s"));

        assertTrue(r.err().contains("1 object still carries the devk8s labels after 1s: ConfigMap devk8s/" + name
                + "; check with `kubectl --context minikube -n devk8s get"), r.err());
        assertTrue(r.err().contains("stack partly removed ("), r.err());
    }

    @Test
    void should_leave_a_second_stack_in_another_namespace_alone_on_the_mock() {
        StackOnMock.deploy(mock, StackOptions.defaults());
        StackOnMock.deploy(mock, new StackOptions("other", null, List.of(), List.of()));
        assertNotNull(mock.admin().rbac().clusterRoles().withName("other-traefik").get());

        cli.runAndExpect(ExitCode.OK, down());

        assertNull(mock.admin().rbac().clusterRoles().withName("devk8s-traefik").get());
        assertNull(mock.admin().namespaces().withName("devk8s").get());
        assertNotNull(mock.admin().rbac().clusterRoles().withName("other-traefik").get(), "the other stack's ClusterRole");
        assertNotNull(mock.admin().namespaces().withName("other").get(), "the other stack's namespace");
        assertNotNull(mock.admin().apps().deployments().inNamespace("other").withName("grafana").get());
    }

    @Test
    void should_keep_the_namespace_when_it_holds_an_object_devk8s_did_not_create_on_the_mock() {
        StackOnMock.deploy(mock, StackOptions.defaults());
        userConfigMap("devk8s");

        var r = cli.runAndExpect(ExitCode.OK, down());

        assertEquals(List.of("Namespace devk8s"), StackOnMock.labelled(mock).stream().map(ObjectRef::toString).toList());
        assertNotNull(mock.admin().configMaps().inNamespace("devk8s").withName("user-config").get());
        assertTrue(r.err().contains("namespace devk8s stays: it holds 1 object devk8s did not create "
                + "(ConfigMap devk8s/user-config)"), r.err());
        assertTrue(r.err().contains("; kept namespace devk8s, hosts block removed"), r.err());
    }

    @Test
    void should_keep_the_volume_claims_and_the_namespace_with_keep_data_on_the_mock() {
        StackOnMock.deploy(mock, StackOptions.defaults());

        var r = cli.runAndExpect(ExitCode.OK, down("--keep-data"));

        assertEquals(Set.of("Namespace devk8s", "PersistentVolumeClaim devk8s/prometheus-data",
                "PersistentVolumeClaim devk8s/grafana-data"), names(StackOnMock.labelled(mock)));
        assertTrue(mock.writeLines().stream().noneMatch(w -> w.contains("persistentvolumeclaims")
                || w.startsWith("DELETE /api/v1/namespaces/devk8s?") || w.equals("DELETE /api/v1/namespaces/devk8s")),
                mock.writeLines().toString());
        assertTrue(r.err().contains("kept the PersistentVolumeClaims and namespace devk8s"), r.err());
        assertFalse(hostsBlockPresent());
    }

    @Test
    void should_list_what_it_would_delete_and_change_nothing_with_dry_run_on_the_mock() throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        List<ObjectRef> before = StackOnMock.labelled(mock);
        String hostsBefore = Files.readString(hosts);

        var r = cli.runAndExpect(ExitCode.OK, down("--dry-run"));

        assertEquals(List.of(), mock.writes(), "a dry run sends no write request");
        assertEquals(names(before), names(StackOnMock.labelled(mock)));
        assertEquals(hostsBefore, Files.readString(hosts));
        List<String> lines = r.out().lines().toList();
        assertEquals(before.size() + 1, lines.size(), r.out());
        Set<String> listed = lines.stream().filter(l -> l.startsWith("would delete "))
                .map(l -> l.substring("would delete ".length())).collect(Collectors.toSet());
        assertEquals(names(before), listed);
        assertEquals("would delete Namespace devk8s", lines.get(lines.size() - 2), "the namespace is listed last");
        assertEquals("would remove the devk8s block for profile minikube from " + hosts, lines.get(lines.size() - 1));
        assertTrue(r.err().contains("would delete " + before.size() + " objects"), r.err());
    }

    @Test
    void should_do_nothing_and_exit_0_when_run_a_second_time_on_the_mock() {
        StackOnMock.deploy(mock, StackOptions.defaults());
        cli.runAndExpect(ExitCode.OK, down());
        mock.clearRequests();

        var again = cli.runAndExpect(ExitCode.OK, down());

        assertEquals(List.of(), mock.writes());
        assertEquals("nothing to delete: no devk8s objects in namespace devk8s and cluster-wide (context minikube), "
                + "no hosts block for profile minikube", again.errLines());
    }

    @Test
    void should_refuse_a_prod_context_with_one_line_and_no_api_request_unless_allowed_on_the_mock()
            throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        Path prod = MockKubernetes.writeKubeconfig(dir.resolve("prod-kubeconfig"), "prod", Map.of("prod", mock.url()));
        cli.env("KUBECONFIG", prod.toString());
        int objects = StackOnMock.labelled(mock).size();

        var refused = cli.runAndExpect(ExitCode.PRECONDITION, down());

        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.errLines().startsWith("error: kube context \"prod\" (" + mock.url()
                + ") is not Minikube profile \"minikube\"'s"), refused.err());
        assertTrue(refused.errLines().contains("--allow-context prod"), refused.err());
        assertEquals(List.of(), mock.requests(), "not a single request reaches a refused context's API");
        assertEquals(objects, StackOnMock.labelled(mock).size());
        assertTrue(hostsBlockPresent());

        var allowed = cli.runAndExpect(ExitCode.OK, down("--allow-context", "prod"));

        assertEquals(List.of(), StackOnMock.labelled(mock));
        assertFalse(hostsBlockPresent());
        assertTrue(allowed.errLines().endsWith("✓ stack removed (" + objects + " objects), hosts block removed"),
                allowed.err());
    }

    @Test
    void should_refuse_a_stopped_profile_with_one_line_naming_minikube_start_and_change_nothing() throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        cli.env("FIXTURE_MINIKUBE_STATE", "stopped");
        String hostsBefore = Files.readString(hosts);

        var r = cli.runAndExpect(ExitCode.PRECONDITION, down());

        assertEquals("error: minikube profile \"minikube\" is stopped; start it with `minikube start -p minikube` "
                + "and run devk8s down again; nothing was changed", r.errLines());
        assertEquals(List.of(), mock.requests());
        assertEquals(hostsBefore, Files.readString(hosts));
        assertTrue(MinikubeFixture.calls(log).contains("status -o json -p minikube"), MinikubeFixture.calls(log).toString());
    }

    @Test
    void should_leave_the_hosts_file_alone_with_no_hosts_on_the_mock() throws IOException {
        StackOnMock.deploy(mock, StackOptions.defaults());
        String hostsBefore = Files.readString(hosts);

        var r = cli.runAndExpect(ExitCode.OK, down("--no-hosts"));

        assertEquals(hostsBefore, Files.readString(hosts));
        assertTrue(r.errLines().endsWith(", hosts block kept (--no-hosts)"), r.err());
        assertEquals(List.of(), StackOnMock.labelled(mock));
    }

    @Test
    void should_reject_a_bad_timeout_with_the_flag_and_an_example() {
        var r = cli.runAndExpect(ExitCode.USAGE, "down", "--timeout", "soon", "--hosts-file", hosts.toString());

        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.errLines().contains("--timeout") && r.errLines().contains("'soon' is not a duration; use e.g. 90s"),
                r.err());
        assertEquals(List.of(), mock.requests());
    }
}
