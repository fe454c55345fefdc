package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two stacks on one cluster (namespaces {@code devk8s} and {@code mine}) through the real CLI, on fabric8's mock
 * API server: each has its own ClusterRoles and ClusterRoleBindings (named after its namespace); the one
 * IngressClass {@code traefik} belongs to the stack that created it, the other shares it without changing or
 * deleting it. The mock cannot check what a real Traefik does with the IngressClass.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TwoStacksMockTest {
    private static final String INSTANCE = "app.kubernetes.io/instance";

    @RegisterExtension
    final MockCluster cluster = new MockCluster().nodePortRange(80, 32767).driver("kvm2");

    private MockKubernetes mock;
    private CliRunner cli;

    @BeforeEach
    void setUp() {
        mock = cluster.mock();
        cli = cluster.cli();
    }

    private CliRunner.Result up(String... extra) {
        List<String> args = new ArrayList<>(List.of("up", "--no-wait", "--no-hosts"));
        args.addAll(List.of(extra));
        return cli.runAndExpect(ExitCode.OK, args.toArray(String[]::new));
    }

    private CliRunner.Result down(String... extra) {
        List<String> args = new ArrayList<>(List.of("down", "--no-hosts", "--timeout", "5s"));
        args.addAll(List.of(extra));
        return cli.runAndExpect(ExitCode.OK, args.toArray(String[]::new));
    }

    private IngressClass ingressClass() {
        return mock.admin().network().v1().ingressClasses().withName("traefik").get();
    }

    private boolean clusterRole(String name) {
        return mock.admin().rbac().clusterRoles().withName(name).get() != null
                && mock.admin().rbac().clusterRoleBindings().withName(name).get() != null;
    }

    private JsonNode status(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("status", "-o", "json", "--hosts-file", cluster.hosts().toString()));
        args.addAll(List.of(extra));
        return new ObjectMapper().readTree(cli.run(args.toArray(String[]::new)).out());
    }

    private static List<String> problems(JsonNode status) {
        List<String> list = new ArrayList<>();
        status.path("problems").forEach(p -> list.add(p.asText()));
        return list;
    }

    @Test
    void should_leave_the_first_stacks_ingress_class_alone_when_a_second_stack_comes_up_and_goes() {
        up();
        assertEquals("devk8s", ingressClass().getMetadata().getLabels().get(INSTANCE));

        var second = up("-n", "mine", "--node-port", "30080");
        assertTrue(second.err().contains("shared     IngressClass traefik (owned by the stack in namespace devk8s"),
                second.err());
        assertFalse(second.err().matches("(?s).*(created|configured|unchanged)\\s+IngressClass traefik.*"),
                "the second stack does not apply the IngressClass:\n" + second.err());
        assertEquals("devk8s", ingressClass().getMetadata().getLabels().get(INSTANCE), "not taken over");
        assertTrue(clusterRole("devk8s-traefik") && clusterRole("mine-traefik"), "each stack has its own RBAC");
        assertTrue(clusterRole("devk8s-prometheus") && clusterRole("mine-prometheus"));

        down("-n", "mine");
        assertNotNull(ingressClass(), "the first stack's IngressClass survives the second stack's down");
        assertEquals("devk8s", ingressClass().getMetadata().getLabels().get(INSTANCE));
        assertFalse(clusterRole("mine-traefik"));
        assertTrue(clusterRole("devk8s-traefik"), "the first stack's RBAC survives");
    }

    @Test
    void should_keep_the_ingress_class_while_another_stack_uses_it_then_hand_it_over_and_delete_it_last() {
        up();
        up("-n", "mine", "--node-port", "30080");

        var first = down();
        assertTrue(first.err().contains("IngressClass traefik stays: the stack in namespace mine uses it too"),
                first.err());
        assertNotNull(ingressClass());
        assertFalse(clusterRole("devk8s-traefik"));

        var takeOver = up("-n", "mine", "--node-port", "30080");
        assertFalse(takeOver.err().contains("shared "), takeOver.err());
        assertEquals("mine", ingressClass().getMetadata().getLabels().get(INSTANCE), "the remaining stack owns it");

        down("-n", "mine");
        assertNull(ingressClass(), "the last stack's down deletes it");
    }

    @Test
    void should_delete_an_ingress_class_left_by_a_stack_that_is_gone_with_the_last_stack() {
        up();
        up("-n", "mine", "--node-port", "30080");
        down(); // keeps it for mine, still labelled for devk8s
        assertEquals("devk8s", ingressClass().getMetadata().getLabels().get(INSTANCE));

        down("-n", "mine");
        assertNull(ingressClass());
    }

    @Test
    void should_report_a_missing_cluster_scoped_object_in_status() throws IOException {
        up();
        up("-n", "mine", "--node-port", "30080");
        assertTrue(problems(status()).stream().noneMatch(p -> p.contains("is missing")), problems(status()).toString());

        mock.admin().network().v1().ingressClasses().withName("traefik").delete();
        mock.admin().rbac().clusterRoles().withName("mine-prometheus").delete();

        JsonNode first = status();
        assertTrue(problems(first).contains("IngressClass traefik is missing (the stack in namespace devk8s needs it):"
                + " run `devk8s up`"), problems(first).toString());
        assertFalse(first.path("health").asText().equals("healthy"));
        List<String> mine = problems(status("-n", "mine"));
        assertTrue(mine.contains("ClusterRole mine-prometheus is missing (the stack in namespace mine needs it): run "
                + "`devk8s up -n mine`"), mine.toString());
        assertTrue(mine.contains("IngressClass traefik is missing (the stack in namespace mine needs it): run "
                + "`devk8s up -n mine`"), mine.toString());
    }
}
