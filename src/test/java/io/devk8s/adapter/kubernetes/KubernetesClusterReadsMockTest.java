package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The reads {@code status} and {@code down} need, against fabric8's mock API server (CRUD mode). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KubernetesClusterReadsMockTest {
    private MockKubernetes mock;
    private KubernetesCluster cluster;

    @BeforeEach
    void startMock() {
        mock = MockKubernetes.start();
        cluster = mock.cluster();
        cluster.apply(cluster.load(StackManifests.stack(), "stack.yaml"), ApplyListener.NONE);
    }

    @AfterEach
    void stopMock() {
        cluster.close();
        mock.close();
    }

    @Test
    void should_list_the_hosts_of_labelled_ingresses_with_component_and_url_path_from_the_mock() {
        mock.admin().network().v1().ingresses().inNamespace("devk8s").resource(new IngressBuilder()
                .withNewMetadata().withName("dashboard").withNamespace("devk8s")
                .addToLabels("app.kubernetes.io/name", "traefik")
                .addToLabels("app.kubernetes.io/part-of", "devk8s").addToLabels("app.kubernetes.io/managed-by", "devk8s")
                .addToAnnotations(IngressHost.URL_PATH_ANNOTATION, "/dashboard/").endMetadata()
                .withNewSpec().addNewRule().withHost("traefik-ui.devk8s.test").endRule()
                .addNewRule().withHost("ui.devk8s.test").endRule().addNewRule().endRule().endSpec().build()).create();
        mock.admin().network().v1().ingresses().inNamespace("devk8s").resource(new IngressBuilder()
                .withNewMetadata().withName("users-app").withNamespace("devk8s").endMetadata()
                .withNewSpec().addNewRule().withHost("app.devk8s.test").endRule().endSpec().build()).create();

        List<IngressHost> hosts = cluster.ingressHosts("devk8s", io.devk8s.service.StackCatalog.STACK_SELECTOR);

        assertEquals(List.of(
                new IngressHost("devk8s", "dashboard", "traefik", "traefik-ui.devk8s.test", "/dashboard/"),
                new IngressHost("devk8s", "dashboard", "traefik", "ui.devk8s.test", "/dashboard/"),
                new IngressHost("devk8s", "grafana", null, "grafana.devk8s.test", null)), hosts);
        assertEquals(List.of(), cluster.ingressHosts("elsewhere", io.devk8s.service.StackCatalog.STACK_SELECTOR));
    }

    @Test
    void should_read_a_services_node_port_by_port_name_from_the_mock() {
        mock.admin().services().inNamespace("devk8s").resource(new ServiceBuilder().withNewMetadata()
                .withName("dashboard").withNamespace("devk8s").endMetadata().withNewSpec().withType("ClusterIP")
                .addNewPort().withName("traefik").withPort(8080).endPort().endSpec().build()).create();

        assertEquals(Optional.of(30080), cluster.nodePort("devk8s", "traefik", "web"));
        assertEquals(Optional.of(30080), cluster.nodePort("devk8s", "traefik", null));
        assertEquals(Optional.empty(), cluster.nodePort("devk8s", "traefik", "websecure"));
        assertEquals(Optional.empty(), cluster.nodePort("devk8s", "dashboard", "traefik"), "ClusterIP: no nodePort");
        assertEquals(Optional.empty(), cluster.nodePort("devk8s", "missing", "web"));
    }

    @Test
    void should_find_unlabelled_objects_but_not_owned_or_kubernetes_made_ones_on_the_mock() {
        var admin = mock.admin();
        admin.configMaps().inNamespace("devk8s").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("user-config").withNamespace("devk8s").endMetadata().build()).create();
        admin.configMaps().inNamespace("devk8s").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("kube-root-ca.crt").withNamespace("devk8s").endMetadata().build()).create();
        admin.serviceAccounts().inNamespace("devk8s").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("default").withNamespace("devk8s").endMetadata().build()).create();
        admin.pods().inNamespace("devk8s").resource(new PodBuilder().withNewMetadata().withName("traefik-abc")
                .withNamespace("devk8s").addNewOwnerReference().withKind("ReplicaSet").withName("traefik-5d")
                .withApiVersion("apps/v1").withUid("u1").endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec().build()).create();
        admin.configMaps().inNamespace("other").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("elsewhere").withNamespace("other").endMetadata().build()).create();

        mock.clearRequests();

        assertEquals(List.of(ObjectRef.namespaced("ConfigMap", "devk8s", "user-config")),
                cluster.unmanagedObjects("devk8s", io.devk8s.service.StackCatalog.STACK_SELECTOR, StackManifests.TEARDOWN));
        long namespacedKinds = StackManifests.TEARDOWN.stream().filter(ResourceKind::namespaced).count();
        assertEquals(namespacedKinds, mock.requests().size(), "one list per kind: " + mock.requests());
    }

    @Test
    void should_match_labels_against_a_selector_like_the_api_server() {
        Map<String, String> labels = Map.of("app.kubernetes.io/part-of", "devk8s", "tier", "web");
        assertTrue(LabelSelector.parse(null).matches(null));
        assertTrue(LabelSelector.parse("app.kubernetes.io/part-of=devk8s,tier==web").matches(labels));
        assertFalse(LabelSelector.parse("app.kubernetes.io/part-of=devk8s,tier=db").matches(labels));
        assertTrue(LabelSelector.parse("tier!=db,tier,!missing").matches(labels));
        assertFalse(LabelSelector.parse("tier!=web").matches(labels));
        assertFalse(LabelSelector.parse("missing").matches(labels));
        assertFalse(LabelSelector.parse(io.devk8s.service.StackCatalog.STACK_SELECTOR).matches(null));
    }

    @Test
    void should_delete_named_objects_including_a_namespace_and_skip_ones_already_gone_on_the_mock() {
        ObjectRef namespace = ObjectRef.clusterScoped("Namespace", "devk8s");
        ObjectRef gone = ObjectRef.namespaced("ConfigMap", "devk8s", "never-existed");
        ObjectRef config = ObjectRef.namespaced("ConfigMap", "devk8s", "grafana-config");

        DeleteResult result = cluster.delete(List.of(config, gone, namespace), Duration.ofSeconds(5));

        assertEquals(List.of(config, namespace), result.deleted());
        assertTrue(result.complete());
        assertNull(mock.admin().namespaces().withName("devk8s").get());
        assertFalse(cluster.exists(config));
        assertTrue(mock.writeLines().contains("DELETE /api/v1/namespaces/devk8s"), mock.writeLines().toString());
    }
}
