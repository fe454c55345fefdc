package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.service.HostsService;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s teardown} through the real CLI against fabric8's mock API server (CRUD store, the discovery
 * documents of a real server, plus a custom kind {@code Widget} served as an installed CRD would serve it), with the
 * minikube stand-in on PATH and a hosts file in a temporary folder. The mock deletes at once and has no garbage
 * collector: what it cannot check is foreground propagation really deleting a workload's pods before the workload,
 * and the waiting for objects with finalizers.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TeardownCommandMockTest {
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("example.com").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true)
            .build();

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private MockKubernetes mock;
    private KubernetesClient admin;
    private CliRunner cli;
    private Path project;

    @BeforeEach
    void setUp() throws IOException {
        mock = cluster.mock().serveKind("example.com/v1", "Widget", "widgets", true);
        admin = mock.admin();
        cli = cluster.cli();
        project = Files.createDirectories(cluster.dir().resolve("shop"));
        Files.writeString(project.resolve("devk8s.yaml"), "project: shop\nnamespace: shop\napps:\n  - name: web\n");
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\n");
        cli.workDir(project);
        for (String ns : List.of("shop", "other")) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
    }

    /** One object of each of many kinds in {@code namespace}, with these labels (none: unlabelled). */
    private void objects(String namespace, String suffix, Map<String, String> labels) {
        List<HasMetadata> all = new ArrayList<>();
        all.add(new DeploymentBuilder().withNewMetadata().withName("web" + suffix).withLabels(labels).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer()
                .withName("web").withImage("web:1").endContainer().endSpec().endTemplate().endSpec().build());
        all.add(new StatefulSetBuilder().withNewMetadata().withName("db" + suffix).withLabels(labels).endMetadata()
                .withNewSpec().withServiceName("db").endSpec().build());
        all.add(new CronJobBuilder().withNewMetadata().withName("nightly" + suffix).withLabels(labels).endMetadata()
                .withNewSpec().withSchedule("0 3 * * *").endSpec().build());
        all.add(new PodBuilder().withNewMetadata().withName("debugtool" + suffix).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("sh").withImage("busybox").endContainer().endSpec().build());
        all.add(new ServiceBuilder().withNewMetadata().withName("web" + suffix).withLabels(labels).endMetadata()
                .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build());
        all.add(new IngressBuilder().withNewMetadata().withName("web" + suffix).withLabels(labels).endMetadata()
                .withNewSpec().addNewRule().withHost("web" + suffix + ".shop.minikube").endRule().endSpec().build());
        all.add(new ConfigMapBuilder().withNewMetadata().withName("config" + suffix).withLabels(labels).endMetadata()
                .addToData("k", "v").build());
        all.add(new SecretBuilder().withNewMetadata().withName("token" + suffix).withLabels(labels).endMetadata()
                .addToStringData("k", "v").build());
        all.add(new ServiceAccountBuilder().withNewMetadata().withName("runner" + suffix).withLabels(labels)
                .endMetadata().build());
        all.add(new RoleBuilder().withNewMetadata().withName("reader" + suffix).withLabels(labels).endMetadata()
                .build());
        all.add(new RoleBindingBuilder().withNewMetadata().withName("reader" + suffix).withLabels(labels)
                .endMetadata().withNewRoleRef().withKind("Role").withName("reader").withApiGroup(
                        "rbac.authorization.k8s.io").endRoleRef().build());
        all.add(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("web" + suffix).withLabels(labels)
                .endMetadata().withNewSpec().withMaxReplicas(3).withNewScaleTargetRef().withKind("Deployment")
                .withName("web").withApiVersion("apps/v1").endScaleTargetRef().endSpec().build());
        all.add(new NetworkPolicyBuilder().withNewMetadata().withName("deny" + suffix).withLabels(labels)
                .endMetadata().withNewSpec().endSpec().build());
        all.add(new PodDisruptionBudgetBuilder().withNewMetadata().withName("web" + suffix).withLabels(labels)
                .endMetadata().withNewSpec().withMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(1))
                .endSpec().build());
        all.add(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data" + suffix).withLabels(labels)
                .endMetadata().withNewSpec().addToAccessModes("ReadWriteOnce").endSpec().build());
        for (HasMetadata o : all) {
            admin.resource(o).inNamespace(namespace).create();
        }
        GenericKubernetesResource widget = new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1")
                .withKind("Widget").withNewMetadata().withName("gizmo" + suffix).withNamespace(namespace)
                .withLabels(labels).endMetadata().build();
        admin.genericKubernetesResources(WIDGETS).inNamespace(namespace).resource(widget).create();
    }

    /** Every object of the kinds above in the namespace, as "Kind/name". */
    private Set<String> inNamespace(String namespace) {
        Set<String> names = new TreeSet<>();
        List<List<? extends HasMetadata>> lists = List.of(
                admin.apps().deployments().inNamespace(namespace).list().getItems(),
                admin.apps().statefulSets().inNamespace(namespace).list().getItems(),
                admin.batch().v1().cronjobs().inNamespace(namespace).list().getItems(),
                admin.pods().inNamespace(namespace).list().getItems(),
                admin.services().inNamespace(namespace).list().getItems(),
                admin.network().v1().ingresses().inNamespace(namespace).list().getItems(),
                admin.configMaps().inNamespace(namespace).list().getItems(),
                admin.secrets().inNamespace(namespace).list().getItems(),
                admin.serviceAccounts().inNamespace(namespace).list().getItems(),
                admin.rbac().roles().inNamespace(namespace).list().getItems(),
                admin.rbac().roleBindings().inNamespace(namespace).list().getItems(),
                admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).list().getItems(),
                admin.network().v1().networkPolicies().inNamespace(namespace).list().getItems(),
                admin.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems(),
                admin.persistentVolumeClaims().inNamespace(namespace).list().getItems(),
                admin.genericKubernetesResources(WIDGETS).inNamespace(namespace).list().getItems());
        for (List<? extends HasMetadata> list : lists) {
            list.forEach(o -> names.add(o.getKind() + "/" + o.getMetadata().getName()));
        }
        return names;
    }

    private void twoProjects() {
        objects("shop", "", Map.of("appgroup", "shop", "app", "web"));
        objects("shop", "-blog", Map.of("appgroup", "blog"));
        objects("shop", "-mine", Map.of());
        objects("other", "", Map.of("appgroup", "shop"));
    }

    private static Set<String> withSuffix(Set<String> names, String suffix) {
        Set<String> result = new TreeSet<>();
        names.stream().filter(n -> n.endsWith(suffix)).forEach(result::add);
        return result;
    }

    private String[] teardown(String... extra) {
        List<String> args = new ArrayList<>(List.of("teardown", "--hosts-file", cluster.hosts().toString(),
                "--timeout", "5s"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void should_delete_exactly_the_projects_objects_of_every_kind_and_count_them_per_kind_on_the_mock() {
        twoProjects();
        Set<String> before = inNamespace("shop");
        Set<String> otherBefore = inNamespace("other");
        assertEquals(48, before.size(), before.toString());

        var r = cli.runAndExpect(ExitCode.OK, teardown());

        Set<String> after = inNamespace("shop");
        Set<String> expected = new TreeSet<>(before);
        expected.removeIf(n -> !n.endsWith("-blog") && !n.endsWith("-mine"));
        assertEquals(expected, after, "only the appgroup=shop objects of namespace shop go");
        assertEquals(otherBefore, inNamespace("other"), "another namespace is not touched");
        List<String> out = r.out().lines().toList();
        for (String kind : List.of("Deployment (apps)", "StatefulSet (apps)", "CronJob (batch)", "Pod", "Service",
                "Ingress (networking.k8s.io)", "ConfigMap", "Secret", "ServiceAccount",
                "Role (rbac.authorization.k8s.io)", "RoleBinding (rbac.authorization.k8s.io)",
                "HorizontalPodAutoscaler (autoscaling)", "NetworkPolicy (networking.k8s.io)",
                "PodDisruptionBudget (policy)", "PersistentVolumeClaim", "Widget (example.com)")) {
            assertTrue(out.contains("deleted 1 " + kind), kind + " in " + r.out());
        }
        assertEquals(16, out.size(), r.out());
        assertTrue(r.errLines().endsWith("deleted 16 objects in namespace shop (context minikube, selector "
                + "appgroup=shop)"), r.err());
        List<String> deletes = mock.writeLines().stream().filter(l -> l.startsWith("DELETE")).toList();
        assertEquals(mock.writeLines().size(), deletes.size(), "only deletes: " + mock.writeLines());
        assertTrue(deletes.get(0).contains("/cronjobs"), "workloads first: " + deletes);
        assertTrue(deletes.stream().anyMatch(l -> l.startsWith("DELETE /api/v1/namespaces/shop/services/web")),
                "a Service is deleted by name: " + deletes);
        assertTrue(deletes.stream().anyMatch(l -> l.contains("/apis/example.com/v1/namespaces/shop/widgets?")
                && l.contains("labelSelector")), "one collection delete for the custom kind: " + deletes);
        assertTrue(deletes.stream().noneMatch(l -> l.contains("/namespaces/shop ") || l.endsWith("/namespaces/shop")),
                "the namespace stays: " + deletes);
        assertTrue(admin.namespaces().withName("shop").get() != null);
        var deploymentDelete = mock.writes().stream().filter(w -> w.path().contains("/deployments?")).findFirst()
                .orElseThrow();
        assertTrue(deploymentDelete.body().contains("Foreground"), "workloads go in the foreground: "
                + deploymentDelete.body());
        var configMapDelete = mock.writes().stream().filter(w -> w.path().contains("/configmaps?")).findFirst()
                .orElseThrow();
        assertFalse(configMapDelete.body().contains("Foreground"), configMapDelete.body());
    }

    @Test
    void should_keep_the_persistent_volume_claims_with_keep_data_on_the_mock() {
        twoProjects();

        var r = cli.runAndExpect(ExitCode.OK, teardown("--keep-data"));

        Set<String> shop = withSuffix(inNamespace("shop"), "");
        shop.removeIf(n -> n.endsWith("-blog") || n.endsWith("-mine"));
        assertEquals(Set.of("PersistentVolumeClaim/data"), shop, r.err());
        assertFalse(r.out().contains("PersistentVolumeClaim"), r.out());
    }

    @Test
    void should_list_what_would_go_and_delete_nothing_with_dry_run_on_the_mock() {
        twoProjects();
        Set<String> before = inNamespace("shop");
        mock.clearRequests();

        var r = cli.runAndExpect(ExitCode.OK, teardown("--dry-run"));

        assertEquals(List.of(), mock.writes(), "no write request");
        assertEquals(before, inNamespace("shop"));
        assertTrue(r.out().contains("would delete Deployment shop/web\n"), r.out());
        assertTrue(r.out().contains("would delete Widget shop/gizmo\n"), r.out());
        assertTrue(r.out().contains("would delete 1 CronJob (batch)\n"), r.out());
        assertFalse(r.out().contains("-blog") || r.out().contains("-mine"), r.out());
        assertTrue(r.errLines().endsWith("would delete 16 objects in namespace shop (context minikube, selector "
                + "appgroup=shop)"), r.err());
    }

    @Test
    void should_take_a_selector_and_all_namespaces_and_never_touch_the_stack_or_kube_system_on_the_mock() {
        twoProjects();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("kube-system").endMetadata()
                .build()).create();
        admin.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("coredns").addToLabels("appgroup", "shop").endMetadata().build()).create();
        admin.configMaps().inNamespace("other").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("grafana").addToLabels(Map.of("appgroup", "shop", "app.kubernetes.io/part-of", "devk8s"))
                .endMetadata().build()).create();

        var r = cli.runAndExpect(ExitCode.OK, teardown("--selector", "appgroup in (shop)", "--all-namespaces",
                "--no-wait"));

        assertEquals(Set.of(), withSuffix(inNamespace("other"), "").stream().filter(n -> !n.equals(
                "ConfigMap/grafana")).collect(java.util.stream.Collectors.toSet()), r.err());
        assertTrue(inNamespace("other").contains("ConfigMap/grafana"), "the devk8s stack's object stays");
        assertTrue(admin.configMaps().inNamespace("kube-system").withName("coredns").get() != null,
                "kube-system is skipped");
        assertEquals(32, inNamespace("shop").size(), "blog and unlabelled stay: " + inNamespace("shop"));
        assertTrue(r.errLines().contains("deleted 32 objects in all namespaces"), r.err());
    }

    @Test
    void should_drop_the_hosts_of_deleted_ingresses_from_the_hosts_block_on_the_mock() throws IOException {
        objects("shop", "", Map.of("appgroup", "shop"));
        objects("shop", "-blog", Map.of("appgroup", "blog"));
        new HostsFile(cluster.hosts()).apply("minikube", "192.168.49.2", HostsService.hostnames("minikube",
                List.of("web.shop.minikube", "web-blog.shop.minikube", "mine.example")));

        cli.runAndExpect(ExitCode.OK, teardown());

        List<String> names = new HostsFile(cluster.hosts()).read("minikube").orElseThrow().entries().stream()
                .flatMap(e -> e.hosts().stream()).toList();
        assertFalse(names.contains("web.shop.minikube"), names.toString());
        assertTrue(names.contains("web-blog.shop.minikube"), "another project's Ingress host stays: " + names);
        assertTrue(names.contains("mine.example") && names.contains("grafana.minikube"), names.toString());
    }

    @Test
    void should_refuse_a_bad_selector_with_its_position_and_exit_2_before_any_request_on_the_mock() {
        twoProjects();
        mock.clearRequests();

        var r = cli.runAndExpect(ExitCode.USAGE, teardown("--selector", "appgroup in shop"));

        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errLines().contains("label selector \"appgroup in shop\": position 13"), r.err());
        assertEquals(List.of(), mock.requests(), "no API request");
    }

    @Test
    void should_refuse_an_empty_selector_without_all_and_a_missing_project_without_selector_on_the_mock()
            throws IOException {
        twoProjects();
        Set<String> before = inNamespace("shop");

        var empty = cli.runAndExpect(ExitCode.USAGE, teardown("--selector", ""));
        assertEquals(1, empty.err().lines().count(), empty.err());
        assertTrue(empty.errLines().contains("--all"), empty.err());

        cli.workDir(Files.createDirectories(cluster.dir().resolve("elsewhere")));
        var noProject = cli.runAndExpect(ExitCode.USAGE, teardown());
        assertEquals(1, noProject.err().lines().count(), noProject.err());
        assertTrue(noProject.errLines().contains("--selector"), noProject.err());

        var system = cli.runAndExpect(ExitCode.USAGE, teardown("--selector", "", "--all", "-n", "kube-system"));
        assertTrue(system.errLines().contains("kube-system"), system.err());

        assertEquals(List.of(), mock.writes());
        assertEquals(before, inNamespace("shop"));
    }

    @Test
    void should_delete_everything_but_what_kubernetes_puts_in_every_namespace_with_all_on_the_mock() {
        objects("other", "", Map.of());
        admin.configMaps().inNamespace("other").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("kube-root-ca.crt").endMetadata().build()).create();
        admin.serviceAccounts().inNamespace("other").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("default").endMetadata().build()).create();

        var r = cli.runAndExpect(ExitCode.OK, teardown("--selector", "", "--all", "-n", "other"));

        assertEquals(Set.of("ConfigMap/kube-root-ca.crt", "ServiceAccount/default"), inNamespace("other"), r.err());
    }

    @Test
    void should_take_all_alone_as_the_empty_selector_without_a_project_file_on_the_mock() throws IOException {
        objects("other", "", Map.of());
        objects("shop", "", Map.of("appgroup", "shop"));
        Set<String> shop = inNamespace("shop");
        cli.workDir(Files.createDirectories(cluster.dir().resolve("elsewhere")));

        var r = cli.runAndExpect(ExitCode.OK, teardown("--all", "-n", "other"));

        assertEquals(Set.of(), inNamespace("other"), r.err());
        assertEquals(shop, inNamespace("shop"), "another namespace is untouched");
        assertTrue(r.err().contains("everything, --all"), r.err());

        // without --all, the error says every way out, --all included
        var refused = cli.runAndExpect(ExitCode.USAGE, teardown("-n", "other"));
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.errLines().contains("--selector SEL") && refused.errLines().contains("--all"),
                refused.err());
    }

    @Test
    void should_refuse_a_foreign_context_with_exit_3_and_delete_nothing_on_the_mock() {
        twoProjects();
        Set<String> before = inNamespace("shop");
        Path prod = MockKubernetes.writeKubeconfig(cluster.dir().resolve("prod-kubeconfig"), "prod",
                Map.of("prod", mock.url()));
        cli.env("KUBECONFIG", prod.toString());
        mock.clearRequests();

        var r = cli.runAndExpect(ExitCode.PRECONDITION, teardown());

        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.errLines().contains("kube context \"prod\""), r.err());
        assertEquals(List.of(), mock.requests());
        assertEquals(before, inNamespace("shop"));
    }
}
