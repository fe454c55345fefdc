package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.service.GrafanaAdminSecret;
import io.devk8s.service.StackOptions;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.StackOnMock;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana admin Secret: created by {@code devk8s up} with a random password when missing, never overwritten,
 * owned by Grafana's data claim, and printed by {@code devk8s status --show-credentials}. Runs against the fabric8
 * mock API server (CRUD mode): it stores what is written but runs no garbage collector, so that the Secret really
 * goes with its owning claim, and that the Grafana pod picks it up, can only be seen on a real cluster.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GrafanaAdminMockTest {
    @TempDir
    Path dir;

    private MockKubernetes mock;
    private CliRunner cli;
    private Path hosts;

    @BeforeEach
    void setUp() throws IOException {
        mock = MockKubernetes.start().nodePortRange(80, 32767);
        Path bin = MinikubeFixture.install(dir);
        hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        cli = new CliRunner()
                .env("PATH", MinikubeFixture.pathWith(bin))
                .env("HOME", Files.createDirectories(dir.resolve("home")).toString())
                .env("KUBECONFIG", mock.writeKubeconfig(dir, "minikube").toString())
                .env("FIXTURE_MINIKUBE_DRIVER", "kvm2");
    }

    @AfterEach
    void tearDown() {
        mock.close();
    }

    private Secret secret() {
        return mock.admin().secrets().inNamespace("devk8s").withName("grafana-admin").get();
    }

    @Test
    void up_should_create_the_admin_secret_once_with_a_random_password_owned_by_the_data_claim() {
        var first = cli.run("up", "--no-wait", "--hosts-file", hosts.toString());
        assertEquals(ExitCode.OK, first.exitCode(), first.err());
        assertTrue(first.err().contains("Secret devk8s/grafana-admin"), first.err());

        Secret secret = secret();
        assertNotNull(secret, "up creates the Secret the Grafana Deployment references");
        KubernetesCluster cluster = mock.cluster();
        var credentials = GrafanaAdminSecret.read(cluster, "devk8s", "grafana-admin").orElseThrow();
        assertEquals("admin", credentials.user());
        assertTrue(credentials.password().matches("[A-Za-z0-9_-]{24}"), credentials.password());
        String claimUid = mock.admin().persistentVolumeClaims().inNamespace("devk8s").withName("grafana-data").get()
                .getMetadata().getUid();
        assertNotNull(claimUid);
        var owner = secret.getMetadata().getOwnerReferences();
        assertEquals(1, owner.size(), owner.toString());
        assertEquals("PersistentVolumeClaim", owner.get(0).getKind());
        assertEquals("grafana-data", owner.get(0).getName());
        assertEquals(claimUid, owner.get(0).getUid());
        assertFalse(secret.getMetadata().getLabels().containsKey("app.kubernetes.io/managed-by"),
                "not selected by down's label deletion, so down --keep-data keeps it with the data");

        mock.clearRequests();
        var second = cli.run("up", "--no-wait", "--hosts-file", hosts.toString());
        assertEquals(ExitCode.OK, second.exitCode(), second.err());
        // the Secret exists: read alone, the data claim not asked about it (the plan reads the claim once)
        assertEquals(1, mock.requests().stream().filter(q -> q.method().equals("GET")
                && q.path().equals("/api/v1/namespaces/devk8s/secrets/grafana-admin")).count());
        assertEquals(1, mock.requests().stream().filter(q -> q.method().equals("GET")
                && q.path().equals("/api/v1/namespaces/devk8s/persistentvolumeclaims/grafana-data")).count());
        assertFalse(second.err().contains("Secret devk8s/grafana-admin"), second.err());
        assertEquals(credentials, GrafanaAdminSecret.read(cluster, "devk8s", "grafana-admin").orElseThrow(),
                "a second up keeps the password (Grafana only reads it when it creates its database)");
        assertNotNull(secret(), "not pruned: it is owned, not rendered");
    }

    @Test
    void up_should_keep_a_secret_the_user_created() {
        StackOnMock.apply(mock, StackOptions.defaults()); // the namespace
        mock.admin().secrets().inNamespace("devk8s").resource(new SecretBuilder()
                .withNewMetadata().withName("grafana-admin").withNamespace("devk8s").endMetadata()
                .withStringData(Map.of("admin-user", "me", "admin-password", "mine")).build()).create();
        Map<String, String> before = secret().getData() != null ? secret().getData() : secret().getStringData();

        var r = cli.run("up", "--no-wait", "--hosts-file", hosts.toString());

        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertFalse(r.err().contains("Secret devk8s/grafana-admin"), r.err());
        assertEquals(before, secret().getData() != null ? secret().getData() : secret().getStringData());
    }

    @Test
    void two_secrets_built_for_the_same_stack_get_different_passwords() {
        GrafanaAdminSecret maker = new GrafanaAdminSecret();
        KubernetesCluster cluster = mock.cluster();
        assertTrue(maker.ensure(cluster, "a", "grafana-admin"));
        assertTrue(maker.ensure(cluster, "b", "grafana-admin"));
        assertFalse(maker.ensure(cluster, "a", "grafana-admin"), "an existing Secret is never replaced");
        assertNotEquals(GrafanaAdminSecret.read(cluster, "a", "grafana-admin").orElseThrow().password(),
                GrafanaAdminSecret.read(cluster, "b", "grafana-admin").orElseThrow().password());
        assertTrue(mock.admin().secrets().inNamespace("a").withName("grafana-admin").get().getMetadata()
                .getOwnerReferences().isEmpty(), "no data claim in that namespace: no owner");
    }

    @Test
    void status_should_print_the_admin_login_only_with_show_credentials() {
        var up = cli.run("up", "--no-wait", "--hosts-file", hosts.toString());
        assertEquals(ExitCode.OK, up.exitCode(), up.err());
        String password = GrafanaAdminSecret.read(mock.cluster(), "devk8s", "grafana-admin").orElseThrow().password();

        var plain = cli.run("status", "--hosts-file", hosts.toString());
        assertFalse(plain.out().contains(password), "no password without the flag");

        var shown = cli.run("status", "--show-credentials", "--hosts-file", hosts.toString());
        assertTrue(shown.out().contains("grafana admin: user admin  password " + password
                + "  (Secret devk8s/grafana-admin)"), shown.out());

        var json = cli.run("status", "--show-credentials", "-o", "json", "--hosts-file", hosts.toString());
        assertEquals(ExitCode.USAGE, json.exitCode());
        assertTrue(json.err().contains("--show-credentials: works with the text output only"), json.err());
        assertFalse(json.out().contains(password));
    }

    @Test
    void status_should_say_when_there_is_no_secret_yet() {
        StackOnMock.deploy(mock, StackOptions.defaults());
        var r = cli.run("status", "--show-credentials", "--hosts-file", hosts.toString());
        assertTrue(r.out().contains("grafana admin: no Secret devk8s/grafana-admin with keys admin-user and "
                + "admin-password: run `devk8s up` to create it"), r.out());
    }
}
