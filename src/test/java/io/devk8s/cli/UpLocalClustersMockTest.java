package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s up} on kind and k3d contexts through the real CLI on fabric8's mock API server (Kubernetes' default
 * node port range 30000-32767; it stores the Services as applied but runs no load balancer and no kind port mapping,
 * so whether port 80 reaches Traefik on a real cluster is not checked here).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UpLocalClustersMockTest {
    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private CliRunner.Result up(String context) throws Exception {
        MockKubernetes mock = cluster.mock();
        MockKubernetes.writeKubeconfig(cluster.kubeconfig(), context, Map.of(context, mock.url()));
        return cluster.cli().runAndExpect(ExitCode.OK, "up", "--no-wait", "--hosts-file", cluster.hosts().toString());
    }

    private Service traefik() {
        return cluster.mock().admin().services().inNamespace("devk8s").withName("traefik").get();
    }

    @Test
    void should_put_traefik_on_a_node_port_kind_maps_to_port_80_and_print_the_cluster_config() throws Exception {
        CliRunner.Result r = up("kind-dev");
        Service traefik = traefik();
        assertEquals("NodePort", traefik.getSpec().getType());
        assertEquals(30080, traefik.getSpec().getPorts().get(0).getNodePort());
        assertTrue(r.err().contains("kind create cluster --name dev --config kind.yaml"), r.err());
        assertTrue(r.err().contains("        - containerPort: 30080\n          hostPort: 80"), r.err());
        assertTrue(r.out().contains("http://grafana.minikube/"), "no port in the URLs: " + r.out());
        assertTrue(Files.readString(cluster.hosts()).lines()
                .anyMatch(l -> l.startsWith("127.0.0.1") && l.contains("grafana.minikube")),
                Files.readString(cluster.hosts()));
        assertEquals(List.of(), MinikubeFixture.calls(cluster.minikubeLog()), "no minikube profile is started or asked");
    }

    @Test
    void should_put_traefik_behind_the_k3d_load_balancer_and_print_the_create_line() throws Exception {
        CliRunner.Result r = up("k3d-dev");
        Service traefik = traefik();
        assertEquals("LoadBalancer", traefik.getSpec().getType());
        assertTrue(!Integer.valueOf(80).equals(traefik.getSpec().getPorts().get(0).getNodePort()),
                "no nodePort 80 asked for: " + traefik.getSpec().getPorts());
        assertTrue(r.err().contains("k3d cluster create dev -p \"80:80@loadbalancer\" --k3s-arg "
                + "\"--disable=traefik@server:0\""), r.err());
    }

    @Test
    void should_show_status_of_a_kind_cluster_without_asking_minikube_and_say_how_port_80_reaches_it()
            throws Exception {
        up("kind-dev");
        CliRunner.Result r = cluster.cli().run("status", "--hosts-file", cluster.hosts().toString());
        assertTrue(r.out().contains("cluster    dev  "), r.out());
        assertTrue(r.out().contains("127.0.0.1  (kind cluster)"), r.out());
        assertTrue(r.out().contains("the URLs need kind cluster dev to map host port 80 to node port 30080"), r.out());
        assertTrue(r.out().contains("http://grafana.minikube/"), r.out());
        assertTrue(!r.out().contains("hosts: the block") && !r.err().contains("minikube start"),
                "the hosts block written for 127.0.0.1 matches, and no profile is asked for: " + r.out() + r.err());
        assertEquals(List.of(), MinikubeFixture.calls(cluster.minikubeLog()), "no minikube call at all");

        CliRunner.Result json = cluster.cli().run("status", "-o", "json", "--hosts-file", cluster.hosts().toString());
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals("RUNNING", doc.path("profile").path("state").asText(), json.out());
        assertEquals("kind", doc.path("profile").path("driver").asText(), json.out());
        assertEquals("ok", doc.path("hosts").path("status").asText(), json.out());
    }
}
