package io.devk8s.adapter.kubernetes;

import static io.devk8s.adapter.kubernetes.StackManifests.configMap;
import static io.devk8s.adapter.kubernetes.StackManifests.deployment;
import static io.devk8s.adapter.kubernetes.StackManifests.namespace;
import static io.devk8s.adapter.kubernetes.StackManifests.nodePortService;
import static io.devk8s.adapter.kubernetes.StackManifests.pvc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** {@link KubernetesCluster} against fabric8's mock API server (CRUD mode) with server-side apply added. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KubernetesClusterMockTest {
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

    private List<HasMetadata> stack() {
        return cluster.load(StackManifests.stack(), "stack.yaml");
    }

    // ------------------------------------------------------------------------------------------------ load

    @Test
    void should_load_typed_objects_in_document_order_from_multi_document_yaml() {
        List<HasMetadata> objects = stack();
        assertEquals(List.of("Namespace devk8s", "ClusterRole traefik", "IngressClass traefik",
                "ConfigMap devk8s/grafana-config", "Deployment devk8s/traefik", "Service devk8s/traefik",
                "Deployment devk8s/grafana", "Ingress devk8s/grafana"),
                objects.stream().map(o -> ObjectRef.of(o).toString()).toList());
        assertTrue(objects.get(4) instanceof Deployment);
        assertTrue(objects.get(5) instanceof Service);
    }

    @Test
    void should_name_the_source_and_document_when_yaml_does_not_parse() {
        String yaml = namespace() + "---\n" + configMap("ok", "a") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                + "  name: broken\n  labels: [not, a, map\n";
        Devk8sException e = assertThrows(Devk8sException.class, () -> cluster.load(yaml, "stack.yaml"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("stack.yaml line 24 (document 3): while parsing a flow sequence: expected ',' or ']', but got"
                + " <stream end>: fix the manifest or the template it comes from", e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void should_name_the_field_when_a_value_has_the_wrong_type() {
        Devk8sException e = assertThrows(Devk8sException.class, () -> cluster.load(namespace() + "---\n"
                + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [1]\n", "app.yaml"));
        assertEquals("app.yaml document 2 (line 9): data.a: expected a string, got a list: fix the manifest or the "
                + "template it comes from", e.getMessage());
        e = assertThrows(Devk8sException.class, () -> cluster.load(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: \"notamap\"\n", "app.yaml"));
        assertEquals("app.yaml document 1 (line 1): data: expected a mapping (key: value lines), got a string: fix "
                + "the manifest or the template it comes from", e.getMessage());
        e = assertThrows(Devk8sException.class, () -> cluster.load("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                + "  name: x\nspec:\n  replicas: many\n  template:\n    spec:\n      containers: none\n", "app.yaml"));
        assertEquals("app.yaml document 1 (line 1): spec.replicas: expected a whole number, got the string \"many\": "
                + "fix the manifest or the template it comes from", e.getMessage());
        e = assertThrows(Devk8sException.class, () -> cluster.load("---\napiVersion: v1\nkind: Service\nmetadata:\n"
                + "  name: x\nspec:\n  ports:\n  - port: eighty\n", "app.yaml"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("app.yaml document 1 (line 2): spec.ports[0].port: expected a whole number, got the string \"eighty\": "
                + "fix the manifest or the template it comes from", e.getMessage());
        e = assertThrows(Devk8sException.class, () -> cluster.load("apiVersion: v1\nkind: Secret\nmetadata: mine\n",
                "app.yaml"));
        assertEquals("app.yaml document 1 (line 1): metadata: expected a mapping of fields, got the string \"mine\": "
                + "fix the manifest or the template it comes from", e.getMessage());
        assertFalse(e.getMessage().matches(".*(java|fabric8|jackson|Exception|LinkedHashMap).*"), e.getMessage());
    }

    @Test
    void should_reject_a_document_without_a_name() {
        Devk8sException e = assertThrows(Devk8sException.class,
                () -> cluster.load("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: x\n", "app.yaml"));
        assertEquals("app.yaml document 1 (line 1): ConfigMap has no metadata.name: give it a name in the manifest",
                e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ apply

    @Test
    void should_create_every_object_with_its_labels_on_the_mock_api() {
        List<Applied> events = new ArrayList<>();
        List<Applied> result = cluster.apply(stack(), events::add);

        assertEquals(8, result.size());
        assertEquals(result, events);
        assertTrue(result.stream().allMatch(a -> a.outcome() == ApplyOutcome.CREATED), result.toString());
        var admin = mock.admin();
        Deployment traefik = admin.apps().deployments().inNamespace("devk8s").withName("traefik").get();
        assertEquals("devk8s", traefik.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
        assertEquals("devk8s", traefik.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertEquals("traefik:v3.3", traefik.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertTrue(traefik.getMetadata().getAnnotations().get(KubernetesCluster.APPLIED_HASH_ANNOTATION)
                .startsWith("sha256:"));
        assertNotNull(admin.rbac().clusterRoles().withName("traefik").get());
        assertNotNull(admin.network().v1().ingressClasses().withName("traefik").get());
        assertNotNull(admin.namespaces().withName("devk8s").get());
        assertEquals(30080, admin.services().inNamespace("devk8s").withName("traefik").get()
                .getSpec().getPorts().get(0).getNodePort());
        // every write was a server-side apply with our field manager and forced conflicts
        assertEquals(8, mock.writes().size());
        assertTrue(mock.writes().stream().allMatch(w -> w.method().equals("PATCH")
                && w.contentType().startsWith("application/apply-patch")
                && w.path().contains("fieldManager=devk8s") && w.path().contains("force=true")), mock.writeLines()::toString);
    }

    @Test
    void should_write_a_run_of_one_tier_together_but_after_every_object_of_another_tier_listed_before_it() {
        String yaml = namespace() + "---\n" + configMap("a", "1") + "---\n" + configMap("b", "2") + "---\n"
                + configMap("c", "3") + "---\n" + deployment("x", "x:1") + "---\n" + deployment("y", "y:1") + "---\n"
                + nodePortService("s", 30080) + "---\n" + configMap("d", "4");
        List<Applied> events = new ArrayList<>();

        cluster.apply(cluster.load(yaml, "app.yaml"), events::add);

        assertEquals(List.of("Namespace devk8s", "ConfigMap devk8s/a", "ConfigMap devk8s/b", "ConfigMap devk8s/c",
                "Deployment devk8s/x", "Deployment devk8s/y", "Service devk8s/s", "ConfigMap devk8s/d"),
                events.stream().map(a -> a.object().toString()).toList(), "reported in manifest order");
        List<String> written = mock.writes().stream().map(w -> w.path().replaceAll("\\?.*", "")).toList();
        assertEquals(8, written.size(), written.toString());
        // the runs: [Namespace] [a b c] [x y] [s d]; inside a run any order, between runs the manifest's
        assertTrue(written.get(0).endsWith("/namespaces/devk8s"), written.toString());
        assertEquals(Set.of("a", "b", "c"), names(written.subList(1, 4)), written.toString());
        assertEquals(Set.of("x", "y"), names(written.subList(4, 6)), written.toString());
        assertEquals(Set.of("s", "d"), names(written.subList(6, 8)), written.toString());
    }

    @Test
    void should_write_an_object_listed_twice_in_its_order_so_the_later_manifest_wins_on_the_mock() {
        String yaml = namespace() + "---\n" + configMap("a", "first") + "---\n" + configMap("b", "x") + "---\n"
                + configMap("a", "second");

        cluster.apply(cluster.load(yaml, "app.yaml"), ApplyListener.NONE);

        assertEquals("second", mock.admin().configMaps().inNamespace("devk8s").withName("a").get().getData()
                .get("setting"));
        List<String> written = mock.writes().stream().map(w -> w.path().replaceAll("\\?.*", "")).toList();
        assertTrue(written.get(3).endsWith("/configmaps/a"), "the second write of a comes last: " + written);
    }

    private static Set<String> names(List<String> paths) {
        return paths.stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).collect(Collectors.toSet());
    }

    @Test
    void should_report_only_the_objects_before_a_failed_write_and_throw_its_error_on_the_mock() {
        List<HasMetadata> objects = cluster.load(namespace() + "---\n" + configMap("a", "1") + "---\n"
                + nodePortService("traefik", 80) + "---\n" + configMap("b", "2"), "stack.yaml");
        List<Applied> events = new ArrayList<>();

        assertThrows(NodePortRangeException.class, () -> cluster.apply(objects, events::add));

        assertEquals(List.of("Namespace devk8s", "ConfigMap devk8s/a"),
                events.stream().map(a -> a.object().toString()).toList());
        assertNull(mock.admin().services().inNamespace("devk8s").withName("traefik").get());
    }

    @Test
    void should_put_namespaces_definitions_webhooks_config_and_workloads_in_tiers_of_their_own() {
        Map<String, Integer> tiers = new java.util.LinkedHashMap<>();
        for (String[] kind : new String[][] {{"v1", "Namespace"}, {"apiextensions.k8s.io/v1", "CustomResourceDefinition"},
                {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"},
                {"apiregistration.k8s.io/v1", "APIService"}, {"v1", "ConfigMap"}, {"v1", "Service"},
                {"example.com/v1", "Namespace"}, {"apps/v1", "Deployment"}, {"batch/v1", "CronJob"}, {"v1", "Pod"},
                {"example.com/v1", "Deployment"}}) {
            var object = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                    .withApiVersion(kind[0]).withKind(kind[1]).withNewMetadata().withName("n").endMetadata().build();
            tiers.put(kind[0] + " " + kind[1],
                    Applier.tier(new ApplyPlan.Step(ObjectRef.of(object), object, ApplyOutcome.CREATED)));
        }
        assertEquals(Map.ofEntries(Map.entry("v1 Namespace", 0), Map.entry("apiextensions.k8s.io/v1 CustomResourceDefinition", 1),
                Map.entry("admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration", 2),
                Map.entry("apiregistration.k8s.io/v1 APIService", 2), Map.entry("v1 ConfigMap", 3),
                Map.entry("v1 Service", 3), Map.entry("example.com/v1 Namespace", 3), Map.entry("apps/v1 Deployment", 4),
                Map.entry("batch/v1 CronJob", 4), Map.entry("v1 Pod", 4), Map.entry("example.com/v1 Deployment", 3)),
                tiers);
    }

    /** What the prune's lists hold for these manifests, with the stack's selector. */
    private PruneCandidates stackLists(List<Manifest> manifests) {
        return cluster.pruneCandidates(LabelSelector.parse("app.kubernetes.io/part-of=devk8s"),
                cluster.kindsOf(manifests), null);
    }

    @Test
    void should_read_again_only_the_live_objects_the_prune_lists_do_not_hold_on_the_mock() {
        cluster.apply(stack(), ApplyListener.NONE);
        // one object loses the selector's label behind devk8s's back: the lists no longer hold it
        mock.admin().services().inNamespace("devk8s").withName("traefik")
                .edit(svc -> { svc.getMetadata().getLabels().remove("app.kubernetes.io/part-of"); return svc; });
        List<Manifest> manifests = cluster.manifests(StackManifests.stack(), "stack.yaml");
        PruneCandidates listed = stackLists(manifests);
        mock.clearRequests();

        ApplyPlan plan = cluster.plan(manifests, false, listed);

        assertTrue(plan.steps().stream().allMatch(step -> step.outcome() == ApplyOutcome.UNCHANGED),
                plan.steps().toString());
        // the Namespace (never listed: never pruned) and the unlabelled Service; discovery aside
        assertEquals(List.of("GET /api/v1/namespaces/devk8s", "GET /api/v1/namespaces/devk8s/services/traefik"),
                mock.requests().stream().filter(q -> !q.path().matches("/apis?(/[a-z.0-9]+)?/v1"))
                        .map(q -> q.method() + " " + q.path()).sorted().toList());
    }

    @Test
    void should_not_read_the_objects_of_a_namespace_that_does_not_exist_yet_on_the_mock() {
        List<Manifest> manifests = cluster.manifests(StackManifests.stack(), "stack.yaml");
        PruneCandidates listed = stackLists(manifests);
        mock.clearRequests();

        ApplyPlan plan = cluster.plan(manifests, false, listed);

        assertTrue(plan.steps().stream().allMatch(step -> step.outcome() == ApplyOutcome.CREATED),
                plan.steps().toString());
        // the Namespace, then only the cluster-scoped objects: nothing can be in a namespace that does not exist
        List<String> reads = mock.requests().stream().filter(q -> q.method().equals("GET")
                && !q.path().matches("/apis?(/[a-z.0-9]+)?/v1")).map(q -> q.path()).toList();
        assertEquals("/api/v1/namespaces/devk8s", reads.get(0), reads.toString());
        assertEquals(List.of(), reads.stream().filter(p -> p.contains("/namespaces/devk8s/")).toList());
        assertEquals(manifests.stream().filter(m -> m.ref().namespace() == null).count(), reads.size(), reads.toString());
    }

    @Test
    void should_read_the_objects_of_a_namespace_that_exists_though_the_lists_hold_nothing_in_it_on_the_mock() {
        mock.admin().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("devk8s").endMetadata().build()).create();
        // an object of the user's, without the stack's labels: the plan must see it
        mock.admin().configMaps().inNamespace("devk8s").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("grafana-config").endMetadata().addToData("k", "v").build()).create();
        List<Manifest> manifests = cluster.manifests(StackManifests.stack(), "stack.yaml");
        PruneCandidates listed = stackLists(manifests);

        ApplyPlan plan = cluster.plan(manifests, false, listed);

        assertEquals(ApplyOutcome.CONFIGURED, plan.steps().stream()
                .filter(step -> step.ref().name().equals("grafana-config")).findFirst().orElseThrow().outcome());
        assertEquals(ApplyOutcome.CONFIGURED, plan.steps().get(0).outcome(), "the Namespace exists");
    }

    @Test
    void should_report_unchanged_and_issue_no_writes_on_a_second_apply_to_the_mock() {
        cluster.apply(stack(), ApplyListener.NONE);
        mock.clearRequests();

        List<Applied> second = cluster.apply(stack(), ApplyListener.NONE);

        assertTrue(second.stream().allMatch(a -> a.outcome() == ApplyOutcome.UNCHANGED), second.toString());
        assertEquals(List.of(), mock.writes());
        assertEquals(8, mock.requests().size(), "one GET per object: " + mock.requests());
    }

    @Test
    void should_report_configured_for_a_changed_object_and_write_only_that_one_on_the_mock() {
        cluster.apply(stack(), ApplyListener.NONE);
        mock.clearRequests();

        String changed = StackManifests.stack().replace("grafana/grafana:11.5.0", "grafana/grafana:11.6.0");
        List<Applied> result = cluster.apply(cluster.load(changed, "stack.yaml"), ApplyListener.NONE);

        Map<ApplyOutcome, List<String>> byOutcome = result.stream().collect(Collectors.groupingBy(Applied::outcome,
                Collectors.mapping(a -> a.object().toString(), Collectors.toList())));
        assertEquals(List.of("Deployment devk8s/grafana"), byOutcome.get(ApplyOutcome.CONFIGURED));
        assertEquals(7, byOutcome.get(ApplyOutcome.UNCHANGED).size());
        assertEquals(List.of("PATCH"), mock.writes().stream().map(MockKubernetes.Request::method).toList());
        assertTrue(mock.writes().get(0).path().startsWith("/apis/apps/v1/namespaces/devk8s/deployments/grafana"));
        assertEquals("grafana/grafana:11.6.0", mock.admin().apps().deployments().inNamespace("devk8s")
                .withName("grafana").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void should_reapply_a_manually_edited_object_only_with_force_on_the_mock() {
        cluster.apply(stack(), ApplyListener.NONE);
        // a kubectl edit behind devk8s's back keeps the applied hash
        mock.admin().configMaps().inNamespace("devk8s").withName("grafana-config")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("setting", "edited").build());

        List<Applied> plain = cluster.apply(stack(), ApplyListener.NONE);
        assertTrue(plain.stream().allMatch(a -> a.outcome() == ApplyOutcome.UNCHANGED));
        assertEquals("edited", mock.admin().configMaps().inNamespace("devk8s").withName("grafana-config").get()
                .getData().get("setting"));

        List<Applied> forced = cluster.apply(stack(), true, ApplyListener.NONE);
        assertTrue(forced.stream().allMatch(a -> a.outcome() == ApplyOutcome.CONFIGURED), forced.toString());
        assertEquals("a", mock.admin().configMaps().inNamespace("devk8s").withName("grafana-config").get()
                .getData().get("setting"));
    }

    @Test
    void should_turn_the_node_port_rejection_of_the_mock_api_into_a_one_line_fix() {
        List<HasMetadata> objects = cluster.load(namespace() + "---\n" + nodePortService("traefik", 80), "stack.yaml");

        NodePortRangeException e = assertThrows(NodePortRangeException.class,
                () -> cluster.apply(objects, ApplyListener.NONE));

        assertEquals("Service devk8s/traefik: nodePort 80 is outside the API server's node port range 30000-32767: "
                + "restart the cluster with `minikube start -p mock --extra-config=apiserver.service-node-port-range=80-32767`"
                + ", or use --node-port 30080", e.getMessage());
        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertEquals(80, e.nodePort());
        assertTrue(e.forProfile("devk8s").getMessage().contains("`minikube start -p devk8s --extra-config="));
        assertNull(mock.admin().services().inNamespace("devk8s").withName("traefik").get(), "nothing half-written");
    }

    @Test
    void should_accept_node_port_80_when_the_mock_api_range_allows_it() {
        mock.nodePortRange(80, 32767);
        List<HasMetadata> objects = cluster.load(nodePortService("traefik", 80), "stack.yaml");

        assertEquals(ApplyOutcome.CREATED, cluster.apply(objects, ApplyListener.NONE).get(0).outcome());
        assertEquals(80, mock.admin().services().inNamespace("devk8s").withName("traefik").get()
                .getSpec().getPorts().get(0).getNodePort());
    }

    // ------------------------------------------------------------------------------------------------ prune

    @Test
    void should_prune_only_the_objects_the_new_set_drops_on_the_mock_api() {
        cluster.apply(stack(), ApplyListener.NONE);
        // an object of someone else without the stack labels, same namespace
        mock.admin().configMaps().inNamespace("devk8s").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("user-config").withNamespace("devk8s").endMetadata().build()).create();

        String without = String.join("---\n", namespace(), StackManifests.clusterRole("traefik"),
                configMap("grafana-config", "a"), deployment("traefik", "traefik:v3.3"),
                nodePortService("traefik", 30080));
        List<HasMetadata> rendered = cluster.load(without, "stack.yaml");
        Set<ObjectRef> keep = rendered.stream().map(ObjectRef::of).collect(Collectors.toSet());

        List<ObjectRef> wouldPrune = cluster.prune(io.devk8s.service.StackCatalog.STACK_SELECTOR, keep, StackManifests.PRUNABLE, null, true);
        assertEquals(3, wouldPrune.size(), "dry run lists: " + wouldPrune);
        assertNotNull(mock.admin().apps().deployments().inNamespace("devk8s").withName("grafana").get(), "dry run deletes nothing");

        List<ObjectRef> pruned = cluster.prune(io.devk8s.service.StackCatalog.STACK_SELECTOR, keep,
                List.of(ResourceKind.values()), null, false);

        assertEquals(Set.of(ObjectRef.namespaced("Deployment", "devk8s", "grafana"),
                ObjectRef.namespaced("Ingress", "devk8s", "grafana"), ObjectRef.clusterScoped("IngressClass", "traefik")),
                Set.copyOf(pruned));
        var admin = mock.admin();
        assertNull(admin.apps().deployments().inNamespace("devk8s").withName("grafana").get());
        assertNull(admin.network().v1().ingresses().inNamespace("devk8s").withName("grafana").get());
        assertNull(admin.network().v1().ingressClasses().withName("traefik").get());
        assertNotNull(admin.apps().deployments().inNamespace("devk8s").withName("traefik").get());
        assertNotNull(admin.rbac().clusterRoles().withName("traefik").get());
        assertNotNull(admin.namespaces().withName("devk8s").get(), "the Namespace is never pruned");
        assertNotNull(admin.configMaps().inNamespace("devk8s").withName("user-config").get());
    }

    @Test
    void should_prune_from_lists_read_earlier_only_what_still_carries_the_selector_on_the_mock_api() {
        cluster.apply(stack(), ApplyListener.NONE);
        String without = String.join("---\n", namespace(), StackManifests.clusterRole("traefik"),
                configMap("grafana-config", "a"), deployment("traefik", "traefik:v3.3"),
                nodePortService("traefik", 30080));
        Set<ObjectRef> keep = cluster.load(without, "stack.yaml").stream().map(ObjectRef::of)
                .collect(Collectors.toSet());
        PruneCandidates listed = stackLists(cluster.manifests(StackManifests.stack(), "stack.yaml"));
        // while devk8s builds: someone takes the grafana Deployment out of the stack (drops its label), and the
        // grafana Ingress changes but stays in it
        mock.admin().apps().deployments().inNamespace("devk8s").withName("grafana")
                .edit(d -> { d.getMetadata().getLabels().remove("app.kubernetes.io/part-of"); return d; });
        mock.admin().network().v1().ingresses().inNamespace("devk8s").withName("grafana")
                .edit(i -> { i.getMetadata().setAnnotations(Map.of("touched", "yes")); return i; });

        List<ObjectRef> pruned = cluster.prune(listed, keep, false);

        assertEquals(Set.of(ObjectRef.namespaced("Ingress", "devk8s", "grafana"),
                ObjectRef.clusterScoped("IngressClass", "traefik")), Set.copyOf(pruned));
        var admin = mock.admin();
        assertNotNull(admin.apps().deployments().inNamespace("devk8s").withName("grafana").get(),
                "no longer the stack's: left alone");
        assertNull(admin.network().v1().ingresses().inNamespace("devk8s").withName("grafana").get());
        assertNull(admin.network().v1().ingressClasses().withName("traefik").get());
        // the deletes named the version each object was listed at
        assertTrue(mock.requests().stream().filter(q -> q.method().equals("DELETE"))
                .allMatch(q -> q.body().contains("\"preconditions\"")), mock.requests().toString());
    }

    @Test
    void should_keep_a_cluster_scoped_object_whose_manifest_names_a_namespace_on_a_second_apply_and_prune_on_the_mock() {
        String yaml = String.join("---\n", namespace(),
                StackManifests.clusterRole("r").replace("  name: r\n", "  name: r\n  namespace: devk8s\n"));
        for (int round = 1; round <= 2; round++) {
            List<HasMetadata> rendered = cluster.load(yaml, "stack.yaml");
            assertNull(rendered.get(1).getMetadata().getNamespace(), "a ClusterRole has no namespace");
            cluster.apply(rendered, ApplyListener.NONE);
            Set<ObjectRef> keep = rendered.stream().map(ObjectRef::of).collect(Collectors.toSet());
            assertEquals(List.of(), cluster.prune(io.devk8s.service.StackCatalog.STACK_SELECTOR, keep, StackManifests.PRUNABLE, null,
                    false), "round " + round);
            assertNotNull(mock.admin().rbac().clusterRoles().withName("r").get(), "round " + round);
        }
    }

    @Test
    void should_answer_a_namespaced_path_of_a_cluster_scoped_kind_with_an_error_status_on_the_mock() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var patch = java.net.http.HttpRequest.newBuilder(java.net.URI.create(mock.url()
                        + "apis/rbac.authorization.k8s.io/v1/namespaces/devk8s/clusterroles/r?fieldManager=t&force=true"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/apply-patch+yaml")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"apiVersion\":"
                        + "\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"r\","
                        + "\"namespace\":\"devk8s\"}}"))
                .build();

        var response = http.send(patch, java.net.http.HttpResponse.BodyHandlers.ofString());

        assertEquals(404, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"kind\":\"Status\""), response.body());
    }

    @Test
    void should_fail_in_one_line_instead_of_blocking_when_the_client_classes_do_not_load() {
        var failed = java.util.concurrent.CompletableFuture.<io.fabric8.kubernetes.client.utils.KubernetesSerialization>
                failedFuture(new NoClassDefFoundError("io/fabric8/kubernetes/api/model/Pod"));

        Devk8sException e = assertThrows(Devk8sException.class, () -> KubernetesCluster.serialization(failed));

        assertEquals(ExitCode.FAILURE, e.exitCode());
        assertEquals("cannot load the Kubernetes client: NoClassDefFoundError io/fabric8/kubernetes/api/model/Pod:"
                + " the devk8s installation looks broken, reinstall it", e.getMessage());
    }

    @Test
    void should_stop_before_writing_when_an_unchanged_object_is_being_deleted_on_the_mock() {
        List<HasMetadata> objects = cluster.load(namespace() + "---\n" + configMap("settings", "a"), "stack.yaml");
        cluster.apply(objects, ApplyListener.NONE);
        var admin = mock.admin();
        admin.configMaps().inNamespace("devk8s").withName("settings")
                .edit(c -> new ConfigMapBuilder(c).editMetadata().addToFinalizers("example.com/hold").endMetadata().build());
        admin.configMaps().inNamespace("devk8s").withName("settings").delete();
        assertNotNull(admin.configMaps().inNamespace("devk8s").withName("settings").get().getMetadata()
                .getDeletionTimestamp(), "the finalizer holds the ConfigMap in deletion");
        mock.clearRequests();

        Devk8sException e = assertThrows(Devk8sException.class, () -> cluster.apply(objects, ApplyListener.NONE));

        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertEquals("ConfigMap devk8s/settings is being deleted; wait for it to go (kubectl --context mock get"
                + " configmap -n devk8s settings -w), then run the command again", e.getMessage());
        assertEquals(List.of(), mock.writes());
    }

    @Test
    void should_explain_the_403_of_a_namespace_being_terminated_as_a_wait_not_a_missing_right() {
        var status = new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("configmaps \"settings\" is forbidden: unable to create new content in namespace devk8s"
                        + " because it is being terminated").build();
        var forbidden = new io.fabric8.kubernetes.client.KubernetesClientException(status);

        Devk8sException e = ApiErrors.translate(ObjectRef.namespaced("ConfigMap", "devk8s", "settings"), forbidden,
                cluster);

        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertEquals("ConfigMap devk8s/settings: Namespace devk8s is being deleted; wait for it to go (kubectl"
                + " --context mock get namespace devk8s -w), then run the command again", e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ delete

    @Test
    void should_delete_by_label_across_kinds_and_keep_pvcs_when_asked_on_the_mock_api() {
        cluster.apply(cluster.load(StackManifests.stack() + "---\n" + pvc("grafana-data"), "stack.yaml"),
                ApplyListener.NONE);
        mock.admin().configMaps().inNamespace("devk8s").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("user-config").withNamespace("devk8s").endMetadata().build()).create();

        DeleteResult kept = cluster.deleteByLabel("devk8s", LabelSelector.parse(io.devk8s.service.StackCatalog.STACK_SELECTOR),
                StackManifests.resources(StackManifests.TEARDOWN, true), Duration.ofSeconds(5));

        assertEquals(Set.of("Deployment devk8s/traefik", "Deployment devk8s/grafana", "Service devk8s/traefik",
                "Ingress devk8s/grafana", "ConfigMap devk8s/grafana-config", "ClusterRole traefik",
                "IngressClass traefik"), kept.deleted().stream().map(ObjectRef::toString).collect(Collectors.toSet()));
        assertTrue(kept.complete());
        var admin = mock.admin();
        assertNotNull(admin.persistentVolumeClaims().inNamespace("devk8s").withName("grafana-data").get());
        assertNotNull(admin.namespaces().withName("devk8s").get());
        assertNotNull(admin.configMaps().inNamespace("devk8s").withName("user-config").get());
        assertNull(admin.rbac().clusterRoles().withName("traefik").get());
        assertEquals(List.of(ObjectRef.namespaced("PersistentVolumeClaim", "devk8s", "grafana-data")),
                cluster.list("devk8s", io.devk8s.service.StackCatalog.STACK_SELECTOR, StackManifests.TEARDOWN));

        DeleteResult all = cluster.deleteByLabel("devk8s", LabelSelector.parse(io.devk8s.service.StackCatalog.STACK_SELECTOR),
                StackManifests.resources(StackManifests.TEARDOWN, false), Duration.ZERO);
        assertEquals(List.of(ObjectRef.namespaced("PersistentVolumeClaim", "devk8s", "grafana-data")), all.deleted());

        DeleteResult again = cluster.deleteByLabel("devk8s", LabelSelector.parse(io.devk8s.service.StackCatalog.STACK_SELECTOR),
                StackManifests.resources(StackManifests.TEARDOWN, false), Duration.ZERO);
        assertEquals(List.of(), again.deleted(), "nothing left is not an error");
    }

    // ------------------------------------------------------------------------------------------------ wait

    @Test
    void should_wait_until_the_simulated_controller_marks_deployments_available_on_the_mock() {
        cluster.apply(stack(), ApplyListener.NONE);
        List<Rollout.Progress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        mock.startController();

        Rollout.Result result = cluster.waitForDeployments("devk8s", List.of("traefik", "grafana"),
                Duration.ofSeconds(10), seen::add);

        assertTrue(result.ready(), result.toString());
        assertFalse(result.timedOut());
        assertEquals(List.of(), result.diagnoses());
        assertEquals(List.of("traefik", "grafana"), result.deployments().stream().map(Rollout.Progress::deployment).toList());
        assertTrue(result.deployments().stream().allMatch(p -> p.phase() == Rollout.Phase.READY && p.ready() == 1
                && p.desired() == 1));
        assertTrue(seen.stream().anyMatch(p -> p.deployment().equals("grafana") && p.isReady()));
        assertEquals(List.of(new DeploymentState("devk8s", "grafana", 1, 1, 1, 1, true, List.of("grafana/grafana:11.5.0")),
                new DeploymentState("devk8s", "traefik", 1, 1, 1, 1, true, List.of("traefik:v3.3"))),
                cluster.deployments("devk8s", io.devk8s.service.StackCatalog.STACK_SELECTOR));
    }

    @Test
    void should_time_out_with_the_pod_reason_and_the_fix_when_an_image_cannot_be_pulled_on_the_mock() {
        cluster.apply(stack(), ApplyListener.NONE);
        mock.startController(d -> !d.getMetadata().getName().equals("grafana"));
        mock.addWaitingPod("devk8s", "grafana", "grafana-6d5f7-abcde", "ImagePullBackOff",
                "Back-off pulling image \"grafana/grafana:11.5.0\"");
        mock.addPodEvent("devk8s", "grafana-6d5f7-abcde", "Normal", "Pulling", "Pulling image \"grafana/grafana:11.5.0\"");
        mock.addPodEvent("devk8s", "grafana-6d5f7-abcde", "Warning", "Failed",
                "Failed to pull image \"grafana/grafana:11.5.0\": manifest unknown");
        List<Rollout.Progress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        Rollout.Result result = cluster.waitForDeployments("devk8s", List.of("traefik", "grafana"),
                Duration.ofMillis(800), seen::add);

        assertFalse(result.ready());
        assertTrue(result.timedOut());
        assertEquals(1, result.diagnoses().size(), result.diagnoses().toString());
        Rollout.Diagnosis d = result.diagnoses().get(0);
        assertEquals("grafana", d.deployment());
        assertEquals("grafana-6d5f7-abcde", d.pod());
        assertEquals("ImagePullBackOff", d.reason());
        assertTrue(d.detail().contains("manifest unknown"), d.detail());
        assertTrue(d.fix().contains("check the image name and tag \"grafana/grafana:11.5.0\""), d.fix());
        assertTrue(d.fix().contains("eval $(minikube -p mock docker-env)"), d.fix());
        assertFalse(d.oneLine().contains("\n"));
        assertTrue(seen.stream().anyMatch(p -> p.deployment().equals("grafana") && p.phase() == Rollout.Phase.FAILING));
        assertEquals(Rollout.Phase.READY, result.deployments().get(0).phase());
    }

    @Test
    void should_stop_early_on_err_image_never_pull_and_point_at_the_docker_daemon_on_the_mock() {
        cluster.apply(cluster.load(deployment("web", "web:dev"), "app.yaml"), ApplyListener.NONE);
        mock.addWaitingPod("devk8s", "web", "web-1", "ErrImageNeverPull",
                "Container image \"web:dev\" is not present with pull policy of Never");

        long start = System.nanoTime();
        Rollout.Result result = cluster.waitForDeployments("devk8s", List.of("web"), Duration.ofSeconds(30),
                Rollout.Listener.NONE);

        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "stopped before the timeout");
        assertFalse(result.ready());
        assertFalse(result.timedOut());
        Rollout.Diagnosis d = result.diagnoses().get(0);
        assertEquals("ErrImageNeverPull", d.reason());
        assertTrue(d.fix().contains("MINIKUBE_ACTIVE_DOCKERD"), d.fix());
    }

    @Test
    void should_diagnose_crash_loops_and_unschedulable_pods_on_the_mock() {
        cluster.apply(cluster.load(deployment("api", "api:1") + "---\n" + deployment("db", "postgres:17"), "app.yaml"),
                ApplyListener.NONE);
        mock.addWaitingPod("devk8s", "api", "api-1", "CrashLoopBackOff", "back-off 40s restarting failed container");
        mock.addUnschedulablePod("devk8s", "db", "db-1", "0/1 nodes are available: 1 Insufficient memory.");

        Rollout.Result result = cluster.waitForDeployments("devk8s", List.of("api", "db"), Duration.ofMillis(300),
                Rollout.Listener.NONE);

        Rollout.Diagnosis api = result.diagnoses().get(0);
        assertEquals("CrashLoopBackOff", api.reason());
        assertTrue(api.fix().contains("kubectl --context mock -n devk8s logs -p api-1 -c api"), api.fix());
        Rollout.Diagnosis db = result.diagnoses().get(1);
        assertEquals("Pending Unschedulable", db.reason());
        assertTrue(db.detail().contains("Insufficient memory"), db.detail());
    }

    @Test
    void should_report_pulling_while_the_kubelet_pulls_the_image_on_the_mock() {
        cluster.apply(cluster.load(deployment("web", "web:dev"), "app.yaml"), ApplyListener.NONE);
        mock.addWaitingPod("devk8s", "web", "web-1", "ContainerCreating", null);
        mock.addPodEvent("devk8s", "web-1", "Normal", "Scheduled", "Successfully assigned devk8s/web-1 to minikube");
        mock.addPodEvent("devk8s", "web-1", "Normal", "Pulling", "Pulling image \"web:dev\"");
        List<Rollout.Progress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        Rollout.Result result = cluster.waitForDeployments("devk8s", List.of("web"), Duration.ofMillis(200), seen::add);

        assertTrue(result.timedOut());
        assertTrue(seen.stream().allMatch(p -> p.phase() == Rollout.Phase.PULLING), seen.toString());
        assertEquals("Pulling: Pulling image \"web:dev\"", seen.get(0).detail());
        assertEquals("Pulling", result.diagnoses().get(0).reason());
    }

    @Test
    void should_say_no_pod_was_created_when_a_deployment_has_none_on_the_mock() {
        cluster.apply(cluster.load(deployment("web", "web:dev"), "app.yaml"), ApplyListener.NONE);

        Rollout.Result result = cluster.waitForDeployments("devk8s", List.of("web"), Duration.ofMillis(200),
                Rollout.Listener.NONE);

        assertTrue(result.timedOut());
        assertEquals("NoPods", result.diagnoses().get(0).reason());
        assertTrue(result.diagnoses().get(0).fix().contains("describe deployment web"));
    }

    // ------------------------------------------------------------------------------------------------ reads

    @Test
    void should_read_deployment_state_and_existence_from_the_mock() {
        cluster.apply(stack(), ApplyListener.NONE);

        DeploymentState traefik = cluster.deployment("devk8s", "traefik").orElseThrow();
        assertEquals("0/1", traefik.readyOfDesired());
        assertFalse(traefik.available());
        assertEquals(List.of("traefik:v3.3"), traefik.images());
        assertTrue(cluster.deployment("devk8s", "nope").isEmpty());
        assertTrue(cluster.exists(ObjectRef.clusterScoped("ClusterRole", "traefik")));
        assertFalse(cluster.exists(ObjectRef.namespaced("Service", "devk8s", "grafana")));
        assertEquals(Map.of(ObjectRef.namespaced("Ingress", "devk8s", "grafana"), true),
                cluster.exist(List.of(ObjectRef.namespaced("Ingress", "devk8s", "grafana"))));
    }

    @Test
    void should_fill_in_the_default_namespace_for_namespaced_objects_without_one() {
        List<HasMetadata> objects = cluster.load("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n", "app.yaml");
        assertEquals("default", objects.get(0).getMetadata().getNamespace());
        assertTrue(objects.get(0) instanceof ConfigMap);
    }
}
