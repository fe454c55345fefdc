package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.service.StackCatalog;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
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
 * The lean reader ({@link LeanReads}: JDK HTTP, Jackson trees) against the fabric8 path ({@link ClusterQueries})
 * for every read {@code status} makes, both over the same kubeconfig and fabric8's mock API server (CRUD mode)
 * standing in for Kubernetes: the answers must be equal. What the mock cannot check: a real server's selector
 * handling (both paths also filter locally), Status bodies of a real server (see {@link LeanReadsErrorsTest}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LeanReadsMockTest {
    private static final String NS = "devk8s";
    private MockKubernetes mock;
    private List<Path> kubeconfig;
    private ClusterQueries fabric8;
    private LeanReads lean;
    private KubeConnection connection;

    @BeforeEach
    void startMock(@TempDir Path dir) {
        mock = MockKubernetes.start();
        try (KubernetesCluster setup = mock.cluster()) {
            setup.apply(setup.load(StackManifests.stack(), "stack.yaml"), ApplyListener.NONE);
        }
        kubeconfig = List.of(mock.writeKubeconfig(dir, "minikube"));
        connection = new KubeConnection("minikube", "minikube", kubeconfig);
        fabric8 = new ClusterQueries(connection, new ApiDiscovery(connection));
        lean = LeanReads.forContext("minikube", "minikube", kubeconfig).orElseThrow();
    }

    @AfterEach
    void stopMock() {
        connection.close();
        mock.close();
    }

    @Test
    void deployments_of_the_stack_on_the_mock_are_the_same_over_both_paths() {
        mock.markAvailable(NS, "traefik");
        LabelSelector stack = LabelSelector.parse(StackCatalog.STACK_SELECTOR);

        List<DeploymentState> expected = fabric8.deployments(NS, stack);

        assertFalse(expected.isEmpty());
        assertTrue(expected.stream().anyMatch(DeploymentState::available), expected.toString());
        assertTrue(expected.stream().anyMatch(d -> !d.available()), expected.toString());
        assertEquals(expected, lean.deployments(NS, stack));
        assertEquals(fabric8.deployments(null, stack), lean.deployments(null, stack));
        assertEquals(fabric8.deployments(NS, LabelSelector.everything()), lean.deployments(NS, LabelSelector.everything()));
        LabelSelector none = LabelSelector.parse("app.kubernetes.io/part-of=nothing");
        assertEquals(List.of(), lean.deployments(NS, none));
        assertEquals(List.of(), lean.deployments("elsewhere", stack));
    }

    @Test
    void ingress_hosts_on_the_mock_are_the_same_over_both_paths() {
        mock.admin().network().v1().ingresses().inNamespace(NS).resource(new IngressBuilder()
                .withNewMetadata().withName("dashboard").withNamespace(NS)
                .addToLabels("app.kubernetes.io/name", "traefik")
                .addToLabels("app.kubernetes.io/part-of", "devk8s").addToLabels("app.kubernetes.io/managed-by", "devk8s")
                .addToAnnotations(IngressHost.URL_PATH_ANNOTATION, "/dashboard/").endMetadata()
                .withNewSpec().addNewRule().withHost("traefik-ui.devk8s.test").endRule()
                .addNewRule().withHost("ui.devk8s.test").endRule().addNewRule().endRule().endSpec().build()).create();
        LabelSelector stack = LabelSelector.parse(StackCatalog.STACK_SELECTOR);

        List<IngressHost> expected = fabric8.ingressHosts(NS, stack);

        assertTrue(expected.size() >= 3, expected.toString());
        assertEquals(expected, lean.ingressHosts(NS, stack));
        assertEquals(fabric8.ingressHosts(null, stack), lean.ingressHosts(null, stack));
        assertEquals(List.of(), lean.ingressHosts("elsewhere", stack));
    }

    @Test
    void node_ports_on_the_mock_are_the_same_over_both_paths() {
        mock.admin().services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata()
                .withName("dashboard").withNamespace(NS).endMetadata().withNewSpec().withType("ClusterIP")
                .addNewPort().withName("traefik").withPort(8080).endPort().endSpec().build()).create();

        for (String[] q : new String[][] {{"traefik", "web"}, {"traefik", null}, {"traefik", "websecure"},
                {"dashboard", "traefik"}, {"missing", "web"}}) {
            assertEquals(fabric8.nodePort(NS, q[0], q[1]), lean.nodePort(NS, q[0], q[1]), String.join(" ", q[0],
                    String.valueOf(q[1])));
        }
        assertEquals(java.util.Optional.of(30080), lean.nodePort(NS, "traefik", "web"));
    }

    @Test
    void namespace_annotations_on_the_mock_are_the_same_over_both_paths() {
        mock.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("annotated")
                .addToAnnotations(StackCatalog.COMPONENTS_ANNOTATION, "traefik,grafana").endMetadata().build())
                .create();
        mock.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("plain").endMetadata()
                .build()).create();

        for (String ns : List.of("annotated", "plain", "missing", NS)) {
            assertEquals(fabric8.namespaceAnnotation(ns, StackCatalog.COMPONENTS_ANNOTATION),
                    lean.namespaceAnnotation(ns, StackCatalog.COMPONENTS_ANNOTATION), ns);
        }
        assertEquals(java.util.Optional.of("traefik,grafana"),
                lean.namespaceAnnotation("annotated", StackCatalog.COMPONENTS_ANNOTATION));
    }

    @Test
    void existence_of_cluster_and_namespaced_objects_on_the_mock_is_the_same_over_both_paths() {
        List<ObjectRef> refs = new ArrayList<>(stackClusterObjects());
        assertFalse(refs.isEmpty());
        refs.add(ObjectRef.clusterScoped("ClusterRole", "not-there"));
        refs.add(ObjectRef.clusterScoped("IngressClass", "not-there"));
        refs.add(ObjectRef.namespaced("Service", NS, "traefik"));
        refs.add(ObjectRef.namespaced("ConfigMap", NS, "not-there"));
        refs.add(ObjectRef.clusterScoped("Namespace", NS));

        var expected = fabric8.exist(refs);

        assertTrue(expected.containsValue(true) && expected.containsValue(false), expected.toString());
        assertEquals(expected, lean.exist(refs).orElseThrow());
        assertEquals(java.util.Optional.empty(), lean.exist(List.of(ObjectRef.namespaced("CronJob", NS, "x"))),
                "a kind the lean reader does not know is left to the full client");
    }

    @Test
    void a_cluster_from_a_plain_kubeconfig_answers_the_status_reads_without_building_the_client() {
        mock.markAvailable(NS, "grafana");
        KubernetesCluster fromKubeconfig = new KubernetesCluster("minikube", "minikube", kubeconfig);
        try (KubernetesCluster overClient = mock.cluster()) {
            String stack = StackCatalog.STACK_SELECTOR;
            assertEquals(overClient.deployments(NS, stack), fromKubeconfig.deployments(NS, stack));
            assertEquals(overClient.ingressHosts(NS, stack), fromKubeconfig.ingressHosts(NS, stack));
            assertEquals(overClient.nodePort(NS, "traefik", "web"), fromKubeconfig.nodePort(NS, "traefik", "web"));
            assertEquals(overClient.namespaceAnnotation(NS, "x"), fromKubeconfig.namespaceAnnotation(NS, "x"));
            var refs = stackClusterObjects();
            assertEquals(overClient.exist(refs), fromKubeconfig.exist(refs));
            assertFalse(fromKubeconfig.connection().clientBuilt(), "the reads went through the lean reader");
            assertTrue(KubernetesCluster.readsWithoutClient(KubeConfig.load(kubeconfig).context("minikube")));
        } finally {
            fromKubeconfig.close();
        }
    }

    @Test
    void secret_data_on_the_mock_is_the_same_over_both_paths() {
        mock.admin().secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("grafana-admin").withNamespace(NS).endMetadata()
                .addToData("admin-user", java.util.Base64.getEncoder().encodeToString("admin".getBytes()))
                .addToData("admin-password", java.util.Base64.getEncoder()
                        .encodeToString("p\u00e4ss".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build()).create();
        Secrets secrets = new Secrets(connection);

        assertEquals(secrets.data(NS, "grafana-admin"), lean.secretData(NS, "grafana-admin"));
        assertEquals(java.util.Optional.of(java.util.Map.of("admin-user", "admin", "admin-password", "p\u00e4ss")),
                lean.secretData(NS, "grafana-admin"));
        assertEquals(secrets.data(NS, "missing"), lean.secretData(NS, "missing"));
        assertEquals(java.util.Optional.empty(), lean.secretData(NS, "missing"));
    }

    /** The ClusterRoles, ClusterRoleBindings and IngressClasses the stack created on the mock. */
    private List<ObjectRef> stackClusterObjects() {
        List<ObjectRef> refs = new ArrayList<>();
        mock.admin().rbac().clusterRoles().list().getItems()
                .forEach(r -> refs.add(ObjectRef.clusterScoped("ClusterRole", r.getMetadata().getName())));
        mock.admin().rbac().clusterRoleBindings().list().getItems()
                .forEach(r -> refs.add(ObjectRef.clusterScoped("ClusterRoleBinding", r.getMetadata().getName())));
        mock.admin().network().v1().ingressClasses().list().getItems()
                .forEach(r -> refs.add(ObjectRef.clusterScoped("IngressClass", r.getMetadata().getName())));
        return refs;
    }

    @Test
    void the_lean_readers_kinds_agree_with_the_built_in_kinds() {
        for (ResourceKind kind : ResourceKind.values()) {
            var r = kind.resource();
            String prefix = r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.group() + "/" + r.version();
            assertEquals(prefix + " " + r.plural() + " " + r.namespaced(), LeanReads.KINDS.get(r.kind()), r.kind());
        }
        assertEquals(ResourceKind.values().length, LeanReads.KINDS.size());
        assertNotEquals(null, LeanReads.KINDS.get("IngressClass"));
    }
}
