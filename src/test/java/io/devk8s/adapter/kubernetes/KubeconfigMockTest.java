package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.Services;
import io.devk8s.console.Console;
import io.devk8s.support.MockKubernetes;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building the client from kubeconfig files named by the devk8s environment, against two mock API servers. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KubeconfigMockTest {
    @TempDir
    Path dir;
    private MockKubernetes minikube;
    private MockKubernetes other;

    @BeforeEach
    void startMocks() {
        minikube = MockKubernetes.start();
        other = MockKubernetes.start();
    }

    @AfterEach
    void stopMocks() {
        minikube.close();
        other.close();
    }

    private Environment env(String kubeconfig) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("HOME", dir.resolve("home").toString());
        if (kubeconfig != null) {
            vars.put("KUBECONFIG", kubeconfig);
        }
        return new Environment(vars, dir);
    }

    private static Map<String, String> servers(Object... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (String) pairs[i + 1]);
        }
        return map;
    }

    /** The cluster of context {@code minikube}, from the kubeconfig files the environment names. */
    private static KubernetesCluster minikubeCluster(Environment env) {
        return new KubernetesCluster("minikube", KubeConfig.candidateFiles(env));
    }

    private void applyMarker(KubernetesCluster cluster) {
        cluster.apply(cluster.load(StackManifests.configMap("marker", "x"), "marker.yaml"), ApplyListener.NONE);
    }

    @Test
    void should_talk_to_the_pinned_context_and_not_the_current_context_of_the_mock_kubeconfig() {
        Path file = MockKubernetes.writeKubeconfig(dir.resolve("config"), "other",
                servers("other", other.url(), "minikube", minikube.url()));

        try (KubernetesCluster cluster = minikubeCluster(env(file.toString()))) {
            assertEquals("minikube", cluster.context());
            assertEquals(minikube.url(), cluster.serverUrl());
            applyMarker(cluster);
        }

        assertNotNull(minikube.admin().configMaps().inNamespace("devk8s").withName("marker").get());
        assertNull(other.admin().configMaps().inNamespace("devk8s").withName("marker").get());
        assertFalse(minikube.requests().isEmpty());
        assertTrue(other.requests().isEmpty(), other.requests().toString());
    }

    @Test
    void should_merge_every_file_of_a_kubeconfig_list_like_kubectl_on_the_mock() {
        Path first = MockKubernetes.writeKubeconfig(dir.resolve("a.yaml"), "other", servers("other", other.url()));
        Path second = MockKubernetes.writeKubeconfig(dir.resolve("b.yaml"), "minikube",
                servers("minikube", minikube.url()));

        try (KubernetesCluster cluster = minikubeCluster(env(first + File.pathSeparator + second))) {
            applyMarker(cluster);
        }

        assertNotNull(minikube.admin().configMaps().inNamespace("devk8s").withName("marker").get());
        assertTrue(other.requests().isEmpty());
    }

    @Test
    void should_read_home_kube_config_when_kubeconfig_is_unset_on_the_mock() {
        MockKubernetes.writeKubeconfig(dir.resolve("home/.kube/config"), "minikube", servers("minikube", minikube.url()));

        try (KubernetesCluster cluster = minikubeCluster(env(null))) {
            applyMarker(cluster);
        }

        assertNotNull(minikube.admin().configMaps().inNamespace("devk8s").withName("marker").get());
    }

    @Test
    void should_name_the_available_contexts_when_the_pinned_one_is_missing() {
        Path file = MockKubernetes.writeKubeconfig(dir.resolve("config"), "other", servers("other", other.url()));

        try (KubernetesCluster cluster = minikubeCluster(env(file.toString()))) {
            Devk8sException e = assertThrows(Devk8sException.class, cluster::serverUrl);
            assertEquals(ExitCode.PRECONDITION, e.exitCode());
            assertEquals("context 'minikube' is not in the kubeconfig (" + file + "; contexts: other): start the cluster"
                    + " with `minikube start -p minikube`, or choose one of those with --context", e.getMessage());
        }
    }

    @Test
    void should_say_where_it_looked_when_no_kubeconfig_exists() {
        try (KubernetesCluster cluster = minikubeCluster(env(null))) {
            Devk8sException e = assertThrows(Devk8sException.class, cluster::serverUrl);
            assertEquals(ExitCode.PRECONDITION, e.exitCode());
            assertTrue(e.getMessage().startsWith("no kubeconfig found at " + dir.resolve("home/.kube/config")),
                    e.getMessage());
        }
    }

    @Test
    void should_fail_in_one_line_naming_context_and_server_when_the_api_is_unreachable() {
        String url = minikube.url();
        minikube.close(); // nothing listens there any more
        Path file = MockKubernetes.writeKubeconfig(dir.resolve("config"), "minikube", servers("minikube", url));

        try (KubernetesCluster cluster = minikubeCluster(env(file.toString()))) {
            long start = System.nanoTime();
            Devk8sException e = assertThrows(Devk8sException.class, cluster::serverVersion);
            assertEquals(ExitCode.PRECONDITION, e.exitCode());
            assertTrue(e.getMessage().startsWith("cannot reach the Kubernetes API of context 'minikube' at " + url
                    + ": connection refused: "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith(": is the cluster running? check with `minikube status -p minikube`,"
                    + " start it with `minikube start -p minikube`"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertTrue((System.nanoTime() - start) / 1_000_000_000 < 10, "fails fast");
        }
        minikube = MockKubernetes.start();
    }

    @Test
    void should_build_one_cluster_per_pinned_context_in_services_from_its_kubeconfig_files_on_the_mock() {
        Path file = MockKubernetes.writeKubeconfig(dir.resolve("config"), "other",
                servers("other", other.url(), "minikube", minikube.url()));
        PinnedContext pinned = new PinnedContext("minikube", minikube.url(), "default", List.of(file), "minikube",
                PinnedContext.Reason.CONTEXT_NAME);
        var sink = new java.io.PrintWriter(new java.io.StringWriter());
        try (Services services = new Services(env(null), Console.plain(sink, sink))) {
            KubernetesCluster cluster = services.kubernetes(pinned);
            assertSame(cluster, services.kubernetes(pinned));
            assertEquals(minikube.url(), cluster.serverUrl());
            applyMarker(cluster);
        }
        assertNotNull(minikube.admin().configMaps().inNamespace("devk8s").withName("marker").get());
        assertTrue(other.requests().isEmpty(), other.requests().toString());
    }

    @Test
    void should_name_the_minikube_profile_not_the_context_in_fix_hints() {
        String url = minikube.url();
        minikube.close(); // nothing listens there any more
        Path file = MockKubernetes.writeKubeconfig(dir.resolve("config"), "laptop", servers("laptop", url));
        PinnedContext pinned = new PinnedContext("laptop", url, "default", List.of(file), "dev",
                PinnedContext.Reason.NODE_ENDPOINT);
        var sink = new java.io.PrintWriter(new java.io.StringWriter());
        try (Services services = new Services(env(null), Console.plain(sink, sink))) {
            KubernetesCluster cluster = services.kubernetes(pinned);
            assertEquals("dev", cluster.profile());
            Devk8sException e = assertThrows(Devk8sException.class, cluster::serverVersion);
            assertTrue(e.getMessage().startsWith("cannot reach the Kubernetes API of context 'laptop' at " + url),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith(": is the cluster running? check with `minikube status -p dev`,"
                    + " start it with `minikube start -p dev`"), e.getMessage());
        }
        minikube = MockKubernetes.start();
    }

    @Test
    void should_report_the_mock_server_version() {
        Path file = MockKubernetes.writeKubeconfig(dir.resolve("config"), "minikube", servers("minikube", minikube.url()));
        try (KubernetesCluster cluster = minikubeCluster(env(file.toString()))) {
            assertFalse(cluster.serverVersion().isBlank());
        }
    }
}
