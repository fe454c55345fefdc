package io.devk8s.adapter.kubernetes;

import static io.devk8s.adapter.kubernetes.StackManifests.configMap;
import static io.devk8s.adapter.kubernetes.StackManifests.namespace;
import static io.devk8s.adapter.kubernetes.StackManifests.nodePortService;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * API discovery, the pre-write checks of {@link KubernetesCluster#plan} and generic resources, against the mock
 * API server. What the mock cannot check: {@code fieldValidation=Strict} (it has no schemas, so an unknown field
 * passes its dry run; a real API server rejects it with 400/422), admission and quota.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KubernetesClusterDiscoveryMockTest {
    private static final String WIDGET = """
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w1
              namespace: devk8s
              labels:
                app.kubernetes.io/part-of: devk8s
                app.kubernetes.io/managed-by: devk8s
            spec:
              size: 3
            """;
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("example.com").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true)
            .build();

    private MockKubernetes mock;
    private KubernetesCluster cluster;

    @BeforeEach
    void startMock() {
        mock = MockKubernetes.start();
        cluster = mock.cluster();
    }

    @AfterEach
    void stopMock() {
        cluster.close();
        mock.close();
    }

    @Test
    void should_list_the_served_kinds_with_verbs_scope_and_plural_from_the_mock_discovery() {
        mock.serveKind("example.com/v1", "Widget", "widgets", true);

        List<ApiResource> kinds = cluster.servedKinds();

        assertTrue(kinds.contains(new ApiResource("batch", "v1", "CronJob", "cronjobs", true,
                List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"))), kinds.toString());
        ApiResource widget = kinds.stream().filter(k -> k.kind().equals("Widget")).findFirst().orElseThrow();
        assertEquals("example.com/v1", widget.apiVersion());
        assertEquals("widgets", widget.plural());
        assertTrue(widget.namespaced() && widget.can("list") && widget.can("delete"));
        ApiResource ingressClass = kinds.stream().filter(k -> k.kind().equals("IngressClass")).findFirst().orElseThrow();
        assertFalse(ingressClass.namespaced());
        assertTrue(kinds.stream().map(ApiResource::kind).collect(Collectors.toSet()).containsAll(Set.of(
                "HorizontalPodAutoscaler", "NetworkPolicy", "PodDisruptionBudget", "Deployment", "Namespace")));
        int requests = mock.requests().size();
        cluster.servedKinds();
        assertEquals(requests, mock.requests().size(), "discovery is read once per cluster");
    }

    @Test
    void should_name_file_and_line_of_a_kind_the_api_server_does_not_serve_and_write_nothing() {
        List<Manifest> manifests = cluster.manifests(namespace() + "---\n" + configMap("a", "b") + "---\n" + WIDGET,
                "stack/widget.yaml");

        Devk8sException e = assertThrows(Devk8sException.class, () -> cluster.plan(manifests, false));

        assertEquals(ExitCode.USAGE, e.exitCode());
        int kindLine = (namespace() + "---\n" + configMap("a", "b") + "---\n").split("\n", -1).length + 1;
        assertEquals("stack/widget.yaml line " + kindLine + ": kind Widget (apiVersion example.com/v1) is not served by"
                + " the API server of context 'mock' (it serves no example.com/v1): fix kind/apiVersion in the"
                + " template, or install the CustomResourceDefinition first", e.getMessage());
        assertEquals(List.of(), mock.writes());
        assertEquals(List.of(), mock.dryRuns(), "the discovery check comes before the dry run");
    }

    @Test
    void should_reject_a_kind_missing_from_a_served_group_version() {
        List<Manifest> manifests = cluster.manifests("apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n",
                "app.yaml");

        Devk8sException e = assertThrows(Devk8sException.class, () -> cluster.plan(manifests, false));

        assertTrue(e.getMessage().startsWith("app.yaml line 2: kind Deploymnet (apiVersion apps/v1) is not served by"
                + " the API server of context 'mock' (it serves apps/v1 but no kind Deploymnet in it)"), e.getMessage());
    }

    @Test
    void should_dry_run_every_object_that_would_be_written_before_the_first_write_on_the_mock() {
        cluster.apply(cluster.manifests(namespace(), "ns.yaml").stream().map(Manifest::object).toList(),
                ApplyListener.NONE);
        mock.clearRequests();
        List<Manifest> manifests = cluster.manifests(namespace() + "---\n" + configMap("a", "b") + "---\n"
                + configMap("c", "d"), "stack.yaml");

        ApplyPlan plan = cluster.plan(manifests, false);

        assertEquals(List.of("Namespace devk8s unchanged", "ConfigMap devk8s/a created", "ConfigMap devk8s/c created"),
                plan.outcomes().stream().map(Applied::toString).toList());
        assertEquals(2, mock.dryRuns().size(), mock.requests().toString());
        assertTrue(mock.dryRuns().stream().allMatch(r -> r.path().contains("dryRun=All")
                && r.path().contains("fieldValidation=Strict") && r.path().contains("fieldManager=devk8s")),
                mock.dryRuns().toString());
        assertEquals(List.of(), mock.writes(), "a dry run stores nothing");
        assertNull(mock.admin().configMaps().inNamespace("devk8s").withName("a").get(), "not saved by the mock");

        cluster.apply(plan, ApplyListener.NONE);
        assertNotNull(mock.admin().configMaps().inNamespace("devk8s").withName("a").get());
        assertEquals(2, mock.writes().size(), mock.writeLines().toString());
    }

    @Test
    void should_report_a_node_port_outside_the_range_in_the_dry_run_before_any_write_on_the_mock() {
        cluster.apply(cluster.manifests(namespace(), "ns.yaml").stream().map(Manifest::object).toList(),
                ApplyListener.NONE);
        mock.clearRequests();
        List<Manifest> manifests = cluster.manifests(configMap("first", "x") + "---\n" + nodePortService("traefik", 80),
                "stack.yaml");

        assertThrows(NodePortRangeException.class, () -> cluster.plan(manifests, false));

        assertEquals(List.of(), mock.writes());
        assertNull(mock.admin().configMaps().inNamespace("devk8s").withName("first").get(), "nothing half-applied");
    }

    @Test
    void should_leave_objects_in_a_namespace_the_plan_creates_out_of_the_dry_run() {
        List<Manifest> manifests = cluster.manifests(namespace() + "---\n" + configMap("a", "b"), "stack.yaml");

        cluster.plan(manifests, false);

        assertEquals(List.of("PATCH /api/v1/namespaces/devk8s"), mock.dryRuns().stream()
                .map(r -> r.method() + " " + r.path().substring(0, r.path().indexOf('?'))).toList(),
                "the ConfigMap cannot be dry-run into a namespace that does not exist yet");
    }

    @Test
    void should_apply_list_and_prune_a_custom_resource_through_generic_resources_on_the_mock() {
        mock.serveKind("example.com/v1", "Widget", "widgets", true);
        List<Manifest> manifests = cluster.manifests(namespace() + "---\n" + WIDGET, "stack.yaml");

        List<Applied> applied = cluster.apply(cluster.plan(manifests, false), ApplyListener.NONE);

        assertEquals("Widget devk8s/w1 created", applied.get(1).toString());
        var stored = mock.admin().genericKubernetesResources(WIDGETS).inNamespace("devk8s").withName("w1").get();
        assertNotNull(stored);
        assertTrue(stored.getMetadata().getAnnotations().get(KubernetesCluster.APPLIED_HASH_ANNOTATION)
                .startsWith("sha256:"));
        LabelSelector selector = LabelSelector.parse(io.devk8s.service.StackCatalog.STACK_SELECTOR);
        List<ApiResource> kinds = cluster.kindsOf(manifests);
        assertEquals(List.of("Namespace", "Widget"), kinds.stream().map(ApiResource::kind).toList());
        assertEquals(List.of(ObjectRef.namespaced("Widget", "devk8s", "w1")), cluster.list("devk8s", selector,
                kinds.subList(1, 2)));

        List<ObjectRef> pruned = cluster.prune(selector, Set.of(), kinds, null, false);

        assertEquals(List.of(ObjectRef.namespaced("Widget", "devk8s", "w1")), pruned, "the Namespace is never pruned");
        assertNull(mock.admin().genericKubernetesResources(WIDGETS).inNamespace("devk8s").withName("w1").get());
    }

    @Test
    void should_refuse_to_delete_a_kind_the_api_server_does_not_serve_in_one_line_before_deleting_anything() {
        cluster.apply(cluster.load(namespace() + "---\n" + configMap("a", "b"), "stack.yaml"), ApplyListener.NONE);
        mock.clearRequests();

        Devk8sException e = assertThrows(Devk8sException.class, () -> cluster.delete(List.of(
                ObjectRef.namespaced("ConfigMap", "devk8s", "a"), ObjectRef.namespaced("Gadget", "devk8s", "g")),
                Duration.ZERO));

        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("Gadget devk8s/g: the API server of context 'mock' serves no kind Gadget (kinds are"
                + " case-sensitive, e.g. Deployment, CronJob)", e.getMessage());
        assertEquals(List.of(), mock.writes());
        assertNotNull(mock.admin().configMaps().inNamespace("devk8s").withName("a").get());
    }

    @Test
    void should_mark_a_namespace_it_creates_and_never_one_it_adopts_on_the_mock() {
        mock.admin().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("mine").endMetadata().build()).create();
        String adopted = namespace().replace("name: devk8s", "name: mine");

        cluster.apply(cluster.plan(cluster.manifests(namespace() + "---\n" + adopted, "ns.yaml"), false),
                ApplyListener.NONE);
        assertTrue(cluster.namespaceCreatedByDevk8s("devk8s"));
        assertFalse(cluster.namespaceCreatedByDevk8s("mine"));
        assertFalse(cluster.namespaceCreatedByDevk8s("absent"));

        // a forced re-apply keeps the mark on the one and does not add it to the other
        cluster.apply(cluster.plan(cluster.manifests(namespace() + "---\n" + adopted, "ns.yaml"), true),
                ApplyListener.NONE);
        assertTrue(cluster.namespaceCreatedByDevk8s("devk8s"));
        assertFalse(cluster.namespaceCreatedByDevk8s("mine"));
    }

    @Test
    void should_find_a_foreign_custom_resource_cron_job_and_network_policy_through_discovery_on_the_mock() {
        mock.serveKind("example.com/v1", "Widget", "widgets", true);
        cluster.apply(cluster.load(namespace(), "ns.yaml"), ApplyListener.NONE);
        mock.admin().genericKubernetesResources(WIDGETS).inNamespace("devk8s").resource(
                new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("example.com/v1")
                        .withKind("Widget").withNewMetadata().withName("users").withNamespace("devk8s").endMetadata()
                        .build()).create();
        mock.admin().network().v1().networkPolicies().inNamespace("devk8s").resource(
                new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder().withNewMetadata()
                        .withName("deny").withNamespace("devk8s").endMetadata().withNewSpec().withNewPodSelector()
                        .endPodSelector().endSpec().build()).create();

        List<ObjectRef> foreign = cluster.unmanagedObjects("devk8s", io.devk8s.service.StackCatalog.STACK_SELECTOR);

        assertEquals(Set.of(ObjectRef.namespaced("Widget", "devk8s", "users"),
                ObjectRef.namespaced("NetworkPolicy", "devk8s", "deny")), Set.copyOf(foreign));
    }
}
