package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code deploy} prunes: the objects of the app (its {@code appgroup}, {@code app} and managed-by labels) that
 * its manifests no longer render, of the kinds always pruned and of any other kind the manifests render (here a
 * CronJob), and nothing else; and that the plan takes the live objects from the prune's lists rather than reading
 * each again. Against fabric8's mock API server with {@code --no-build} (no image is built; the daemon is not
 * reachable, as before {@code minikube start}): the mock cannot show a garbage collector removing what a pruned
 * object owned.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeployPruneMockTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: app, image: "${IMAGE}"}]
            """;
    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web-settings}
            data: {GREETING: hello}
            """;
    private static final String CRON_JOB = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: web-cleanup}
            spec:
              schedule: "*/5 * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: cleanup, image: "${IMAGE}"}]
            """;

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private CliRunner cli;
    private Path project;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(cluster.dir().resolve("app"));
        projectFile("[deploy.yaml, settings.yaml, cleanup.yaml]");
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\nCOPY deploy.yaml /\n");
        Files.writeString(project.resolve("deploy.yaml"), DEPLOYMENT);
        Files.writeString(project.resolve("settings.yaml"), CONFIG_MAP);
        Files.writeString(project.resolve("cleanup.yaml"), CRON_JOB);
        cli = cluster.cli().workDir(project);
    }

    private void projectFile(String manifests) throws Exception {
        Files.writeString(project.resolve("devk8s.yaml"), """
                project: prunes
                apps:
                  - name: web
                    image: web
                    context: .
                    dockerfile: Dockerfile
                    manifests: %s
                """.formatted(manifests));
    }

    private CliRunner.Result deploy() {
        return cli.runAndExpect(ExitCode.OK, "deploy", "--no-build", "--tag", "v1", "--no-wait", "--no-hosts");
    }

    private void configMap(String name, Map<String, String> labels, boolean owned) {
        var cm = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").withLabels(labels)
                .endMetadata().addToData("k", "v");
        if (owned) {
            cm.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("web")
                    .withUid("0b6c0a2e-0000-4000-8000-000000000001").endOwnerReference().endMetadata();
        }
        cluster.mock().admin().configMaps().inNamespace("default").resource(cm.build()).create();
    }

    private boolean configMapExists(String name) {
        return cluster.mock().admin().configMaps().inNamespace("default").withName(name).get() != null;
    }

    @Test
    void should_prune_what_the_app_no_longer_renders_of_every_kind_it_rendered_and_nothing_else_on_the_mock()
            throws Exception {
        deploy();
        assertNotNull(cluster.mock().admin().batch().v1().cronjobs().inNamespace("default").withName("web-cleanup")
                .get(), "the first deploy created the CronJob");
        assertEquals("apps/v1/Deployment,batch/v1/CronJob,v1/ConfigMap", cluster.mock().admin().apps().deployments()
                .inNamespace("default").withName("web").get().getMetadata().getAnnotations()
                .get("devk8s.io/app-kinds"), "every object names the kinds the app rendered, for the next deploy");
        Map<String, String> ours = Map.of("appgroup", "prunes", "app", "web", "app.kubernetes.io/managed-by", "devk8s");
        configMap("other-app", Map.of("appgroup", "prunes", "app", "api", "app.kubernetes.io/managed-by", "devk8s"),
                false);
        configMap("not-managed", Map.of("appgroup", "prunes", "app", "web"), false);
        configMap("owned", ours, true);
        configMap("stray", ours, false);

        projectFile("[deploy.yaml]"); // the ConfigMap and the CronJob are gone from the manifests
        CliRunner.Result r = deploy();

        List<String> pruned = r.err().lines().filter(l -> l.strip().startsWith("pruned")).map(String::strip).toList();
        assertEquals(List.of("pruned     ConfigMap default/stray", "pruned     ConfigMap default/web-settings",
                "pruned     CronJob default/web-cleanup"), pruned.stream().sorted().toList(), r.err());
        assertNull(cluster.mock().admin().batch().v1().cronjobs().inNamespace("default").withName("web-cleanup")
                .get());
        assertTrue(!configMapExists("web-settings") && !configMapExists("stray"));
        assertTrue(configMapExists("other-app") && configMapExists("not-managed") && configMapExists("owned"),
                "another app's object, one without the managed-by label and an owned one stay");
        assertNotNull(cluster.mock().admin().apps().deployments().inNamespace("default").withName("web").get());
    }

    @Test
    void should_list_only_the_kinds_the_app_rendered_and_read_no_object_by_name_on_the_mock() {
        deploy();
        cluster.mock().clearRequests();

        CliRunner.Result r = deploy();

        assertTrue(r.err().contains("web: applied 3 objects: 3 unchanged"), r.err());
        List<String> reads = cluster.mock().requests().stream().filter(q -> q.method().equals("GET"))
                .map(q -> q.path().replaceAll("\\?.*", "")).toList();
        // the plan takes the live objects from the prune's lists: no GET of Deployment web, ConfigMap web-settings
        assertEquals(List.of(), reads.stream().filter(q -> q.matches(".*/namespaces/default/[a-z]+/[a-z-]+")).toList());
        // and those list the kinds the app rendered (and recorded), not every kind a prune could look at (the
        // Ingress list is the URLs' lookup)
        assertEquals(List.of("/api/v1/namespaces/default/configmaps", "/apis/apps/v1/namespaces/default/deployments",
                "/apis/batch/v1/namespaces/default/cronjobs", "/apis/networking.k8s.io/v1/namespaces/default/ingresses"),
                reads.stream().filter(q -> q.matches(".*/namespaces/default/[a-z]+")).distinct().sorted().toList());
        assertEquals(List.of(), reads.stream().filter(q -> q.matches("/apis?(/[a-z.0-9]+)?/v1/[a-z]+")).toList(),
                "no cluster-wide list (ClusterRoles, IngressClasses, ...)");
        assertEquals(List.of(), cluster.mock().writes(), "nothing changed, nothing written");
    }

    @Test
    void should_look_at_every_kind_always_pruned_when_no_object_records_the_apps_kinds_on_the_mock()
            throws Exception {
        deploy();
        // as applied by a devk8s that did not record the kinds: the Secret's kind is rendered nowhere
        cluster.mock().admin().apps().deployments().inNamespace("default").withName("web").edit(d -> {
            d.getMetadata().getAnnotations().remove("devk8s.io/app-kinds");
            return d;
        });
        cluster.mock().admin().configMaps().inNamespace("default").withName("web-settings").edit(c -> {
            c.getMetadata().getAnnotations().remove("devk8s.io/app-kinds");
            return c;
        });
        cluster.mock().admin().batch().v1().cronjobs().inNamespace("default").withName("web-cleanup").edit(c -> {
            c.getMetadata().getAnnotations().remove("devk8s.io/app-kinds");
            return c;
        });
        cluster.mock().admin().secrets().inNamespace("default").resource(new io.fabric8.kubernetes.api.model
                .SecretBuilder().withNewMetadata().withName("old-token").withNamespace("default").withLabels(Map.of(
                        "appgroup", "prunes", "app", "web", "app.kubernetes.io/managed-by", "devk8s"))
                .endMetadata().addToStringData("t", "x").build()).create();

        CliRunner.Result r = deploy();

        assertTrue(r.err().contains("pruned     Secret default/old-token"), r.err());
        assertNull(cluster.mock().admin().secrets().inNamespace("default").withName("old-token").get());
    }
}
