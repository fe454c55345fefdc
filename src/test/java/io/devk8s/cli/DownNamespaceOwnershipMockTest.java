package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.service.StackOptions;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.StackOnMock;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code devk8s down} never deletes a namespace devk8s did not create, and deletes one it created only when it
 * holds nothing else, whatever its kind: through the real CLI against the mock API server, whose discovery serves
 * CronJob, NetworkPolicy and (after {@link MockKubernetes#serveKind}) a custom resource. The mock does not delete a
 * namespace's content with it (no namespace controller), so what stays is checked object by object.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DownNamespaceOwnershipMockTest {
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("example.com").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true)
            .build();

    @TempDir
    Path dir;

    private MockKubernetes mock;
    private CliRunner cli;
    private Path hosts;

    @BeforeEach
    void setUp() throws IOException {
        mock = MockKubernetes.start().nodePortRange(80, 32767).serveKind("example.com/v1", "Widget", "widgets", true);
        Path bin = MinikubeFixture.install(dir);
        hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        cli = new CliRunner()
                .env("PATH", MinikubeFixture.pathWith(bin))
                .env("HOME", Files.createDirectories(dir.resolve("home")).toString())
                .env("KUBECONFIG", mock.writeKubeconfig(dir, "minikube").toString())
                .env("FIXTURE_MINIKUBE_LOG", dir.resolve("minikube.log").toString());
    }

    @AfterEach
    void tearDown() {
        mock.close();
    }

    private CliRunner.Result down(String namespace) {
        return cli.runAndExpect(ExitCode.OK, "down", "-n", namespace, "--hosts-file", hosts.toString(), "--timeout",
                "5s");
    }

    /** The user's namespace, made before devk8s ever used it. */
    private void adopt(String namespace) {
        mock.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).create();
    }

    private void deployStack(String namespace) {
        StackOnMock.deploy(mock, new StackOptions(namespace, null, List.of(), List.of()));
    }

    private void cronJob(String namespace) {
        mock.admin().batch().v1().cronjobs().inNamespace(namespace).resource(new CronJobBuilder().withNewMetadata()
                .withName("backup").withNamespace(namespace).endMetadata().withNewSpec().withSchedule("0 * * * *")
                .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("b")
                .withImage("busybox").endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec()
                .endJobTemplate().endSpec().build()).create();
    }

    private void networkPolicy(String namespace) {
        mock.admin().network().v1().networkPolicies().inNamespace(namespace).resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName("deny-all").withNamespace(namespace).endMetadata().withNewSpec()
                .withNewPodSelector().endPodSelector().endSpec().build()).create();
    }

    private void widget(String namespace) {
        mock.admin().genericKubernetesResources(WIDGETS).inNamespace(namespace).resource(
                new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1").withKind("Widget")
                        .withNewMetadata().withName("w1").withNamespace(namespace).endMetadata()
                        .withAdditionalProperties(Map.of("spec", Map.of("size", 3))).build()).create();
    }

    private boolean namespaceExists(String namespace) {
        return mock.admin().namespaces().withName(namespace).get() != null;
    }

    private void assertStackGoneFrom(String namespace) {
        List<ObjectRef> left = StackOnMock.labelled(mock).stream()
                .filter(r -> !r.kind().equals("Namespace")).toList();
        assertEquals(List.of(), left, "every stack object of " + namespace + " is deleted");
    }

    @Test
    void should_keep_an_adopted_namespace_that_holds_only_a_cron_job_on_the_mock() {
        adopt("mine");
        deployStack("mine");
        cronJob("mine");

        var r = down("mine");

        assertTrue(namespaceExists("mine"), r.err());
        assertNotNull(mock.admin().batch().v1().cronjobs().inNamespace("mine").withName("backup").get());
        assertStackGoneFrom("mine");
        assertTrue(r.err().contains("kept namespace mine"), r.err());
    }

    @Test
    void should_keep_an_adopted_namespace_that_holds_only_a_network_policy_on_the_mock() {
        adopt("mine");
        deployStack("mine");
        networkPolicy("mine");

        var r = down("mine");

        assertTrue(namespaceExists("mine"), r.err());
        assertNotNull(mock.admin().network().v1().networkPolicies().inNamespace("mine").withName("deny-all").get());
        assertStackGoneFrom("mine");
    }

    @Test
    void should_keep_an_adopted_namespace_that_holds_only_a_custom_resource_on_the_mock() {
        adopt("mine");
        deployStack("mine");
        widget("mine");

        var r = down("mine");

        assertTrue(namespaceExists("mine"), r.err());
        assertNotNull(mock.admin().genericKubernetesResources(WIDGETS).inNamespace("mine").withName("w1").get());
        assertStackGoneFrom("mine");
    }

    @Test
    void should_keep_an_empty_adopted_namespace_on_the_mock() {
        adopt("mine");
        deployStack("mine");
        assertEquals(java.util.Optional.empty(), mock.cluster().namespaceAnnotation("mine",
                KubernetesCluster.CREATED_BY_ANNOTATION), "an adopted namespace is never marked as created");

        var r = down("mine");

        assertTrue(namespaceExists("mine"), "devk8s did not create it, so it stays even when empty: " + r.err());
        assertStackGoneFrom("mine");
        assertTrue(r.err().contains("namespace mine stays: it existed before devk8s used it"), r.err());
        assertTrue(mock.writeLines().stream().noneMatch(w -> w.startsWith("DELETE /api/v1/namespaces/mine?")
                || w.equals("DELETE /api/v1/namespaces/mine")), mock.writeLines().toString());
    }

    @Test
    void should_delete_a_namespace_devk8s_created_on_the_mock() {
        deployStack("fresh");
        assertEquals(java.util.Optional.of("devk8s"), mock.cluster().namespaceAnnotation("fresh",
                KubernetesCluster.CREATED_BY_ANNOTATION));

        var r = down("fresh");

        assertNull(mock.admin().namespaces().withName("fresh").get(), r.err());
        assertStackGoneFrom("fresh");
    }

    @Test
    void should_keep_a_namespace_devk8s_created_when_it_holds_a_custom_resource_of_the_user_on_the_mock() {
        deployStack("fresh");
        widget("fresh");

        var r = down("fresh");

        assertTrue(namespaceExists("fresh"), r.err());
        assertTrue(r.err().contains("namespace fresh stays: it holds 1 object devk8s did not create (Widget fresh/w1)"),
                r.err());
        assertNotNull(mock.admin().genericKubernetesResources(WIDGETS).inNamespace("fresh").withName("w1").get());
    }

    @Test
    void should_delete_a_labelled_cron_job_of_the_stack_with_the_rest_on_the_mock() {
        deployStack("fresh");
        mock.admin().batch().v1().cronjobs().inNamespace("fresh").resource(new CronJobBuilder().withNewMetadata()
                .withName("stack-job").withNamespace("fresh").withLabels(Map.of("app.kubernetes.io/part-of", "devk8s",
                        "app.kubernetes.io/managed-by", "devk8s", "app.kubernetes.io/instance", "fresh"))
                .endMetadata().withNewSpec().withSchedule("0 * * * *").withNewJobTemplate().endJobTemplate()
                .endSpec().build()).create();

        var r = down("fresh");

        assertNull(mock.admin().batch().v1().cronjobs().inNamespace("fresh").withName("stack-job").get(), r.err());
        assertNull(mock.admin().namespaces().withName("fresh").get(), r.err());
    }
}
