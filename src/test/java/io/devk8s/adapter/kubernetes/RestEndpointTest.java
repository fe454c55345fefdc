package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.service.StackCatalog;
import io.devk8s.support.MockKubernetes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which kubeconfigs the lean reader takes ("plain") and which it leaves to the full Kubernetes client. */
class RestEndpointTest {
    @TempDir
    Path dir;

    private Path kubeconfig(String server, String clusterExtra, String user) throws IOException {
        return Files.writeString(dir.resolve("config"), "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                + "clusters:\n- name: c\n  cluster:\n    server: " + server + "\n" + clusterExtra
                + "contexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: ns\n"
                + "users:\n- name: u\n  user:\n" + user);
    }

    private Optional<RestEndpoint> endpoint(Path file) {
        return RestEndpoint.of("c", List.of(file));
    }

    @Test
    void a_token_user_on_http_is_plain_and_the_server_gets_its_slash() throws IOException {
        RestEndpoint e = endpoint(kubeconfig("http://127.0.0.1:8080", "", "    token: abc\n")).orElseThrow();
        assertEquals("http://127.0.0.1:8080/", e.server());
        assertEquals("abc", e.token());
        assertFalse(e.https());
        assertFalse(e.toString().contains("abc"), "the token is never printed");
    }

    @Test
    void a_token_file_is_read_relative_to_the_kubeconfig() throws IOException {
        Files.writeString(dir.resolve("token"), "from-file\n");
        RestEndpoint e = endpoint(kubeconfig("https://10.0.0.1:6443/", "    insecure-skip-tls-verify: true\n",
                "    tokenFile: token\n")).orElseThrow();
        assertEquals("from-file", e.token());
        assertTrue(e.insecure());
        assertTrue(e.https());
    }

    @Test
    void client_certificate_data_and_ca_data_are_decoded() throws IOException {
        String b64 = java.util.Base64.getEncoder().encodeToString("PEM".getBytes());
        RestEndpoint e = endpoint(kubeconfig("https://h:6443", "    certificate-authority-data: " + b64 + "\n",
                "    client-certificate-data: " + b64 + "\n    client-key-data: " + b64 + "\n")).orElseThrow();
        assertEquals("PEM", e.caPem());
        assertEquals("PEM", e.certPem());
        assertEquals("PEM", e.keyPem());
        assertNull(e.token());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: aws\n",
        "    auth-provider:\n      name: oidc\n",
        "    username: admin\n    password: secret\n",
        "    as: someone-else\n",
        "    as-groups: [admins]\n",
        "    client-certificate: missing.pem\n    client-key: missing.key\n",
        "    client-certificate-data: UEVN\n",
        "    tokenFile: does-not-exist\n"})
    void a_user_the_lean_reader_cannot_serve_falls_back_to_the_client(String user) throws IOException {
        assertEquals(Optional.empty(), endpoint(kubeconfig("https://h:6443", "", user)), user);
    }

    @ParameterizedTest
    @ValueSource(strings = {"    proxy-url: http://proxy:3128\n", "    tls-server-name: kubernetes\n",
        "    certificate-authority: missing-ca.pem\n"})
    void a_cluster_the_lean_reader_cannot_serve_falls_back_to_the_client(String cluster) throws IOException {
        assertEquals(Optional.empty(), endpoint(kubeconfig("https://h:6443", cluster, "    token: t\n")), cluster);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix:///var/run/k8s.sock", "h:6443", "", "https://user@h:6443"})
    void a_server_url_the_lean_reader_cannot_serve_falls_back_to_the_client(String server) throws IOException {
        assertEquals(Optional.empty(), endpoint(kubeconfig("\"" + server + "\"", "", "    token: t\n")), server);
    }

    @Test
    void a_missing_context_or_kubeconfig_falls_back_to_the_client_which_reports_it() throws IOException {
        Path file = kubeconfig("http://h:1", "", "    token: t\n");
        assertEquals(Optional.empty(), RestEndpoint.of("other", List.of(file)));
        assertEquals(Optional.empty(), RestEndpoint.of("c", List.of(dir.resolve("nothing"))));
    }

    /**
     * An exec-plugin kubeconfig against fabric8's mock API server (standing in for a cloud cluster whose plugin
     * prints a token): the reads go through the full client, which runs the plugin, and still answer.
     */
    @Test
    void an_exec_plugin_kubeconfig_reads_through_the_full_client_on_the_mock() throws IOException {
        Path plugin = dir.resolve("token-plugin");
        Files.writeString(plugin, "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                + "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"from-plugin\"}}'\n");
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (MockKubernetes mock = MockKubernetes.start()) {
            try (KubernetesCluster setup = mock.cluster()) {
                setup.apply(setup.load(StackManifests.stack(), "stack.yaml"), ApplyListener.NONE);
            }
            Path file = kubeconfig(mock.url(), "    insecure-skip-tls-verify: true\n",
                    "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: " + plugin
                            + "\n      interactiveMode: Never\n");
            KubeContext context = KubeConfig.load(List.of(file)).context("c");
            assertFalse(KubernetesCluster.readsWithoutClient(context));
            try (KubernetesCluster cluster = new KubernetesCluster("c", "c", List.of(file));
                    KubernetesCluster overClient = mock.cluster()) {
                assertEquals(overClient.deployments("devk8s", StackCatalog.STACK_SELECTOR),
                        cluster.deployments("devk8s", StackCatalog.STACK_SELECTOR));
                assertFalse(cluster.deployments("devk8s", StackCatalog.STACK_SELECTOR).isEmpty());
                assertTrue(cluster.connection().clientBuilt(), "the full client answered");
            }
        }
    }
}
