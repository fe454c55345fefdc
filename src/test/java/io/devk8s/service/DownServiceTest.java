package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.StackOnMock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DownService} built from its collaborators: the minikube stand-in, a kube context given as a value, and
 * no API or fabric8's mock API server holding the rendered stack (it cannot check finalizers or garbage collection).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DownServiceTest {
    @TempDir
    Path dir;

    private MockKubernetes mock;

    @AfterEach
    void tearDown() {
        if (mock != null) {
            mock.close();
        }
    }

    private DownService down(ServiceFakes fakes, KubeAccess kube) {
        return new DownService(fakes.console, fakes.minikube("minikube"), fakes.renderer(), kube, fakes.hostsFiles(),
                fakes.hostsService());
    }

    private DownService.Request request(boolean dryRun) throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        return new DownService.Request(ClusterSelection.of(new Environment(Map.of(), dir), "minikube", null, List.of(),
                null), Optional.empty(), false, dryRun, new HostsStep(true, hosts, true), Duration.ofSeconds(5));
    }

    @Test
    void should_refuse_a_missing_profile_with_the_preflight_message_and_never_ask_for_the_api() {
        ServiceFakes fakes = new ServiceFakes(dir, Map.of("FIXTURE_MINIKUBE_STATE", "missing"));
        DownService service = down(fakes, fakes.kubeWithoutApi(ServiceFakes.context("minikube", "https://x:8443")));

        Devk8sException e = assertThrows(Devk8sException.class, () -> service.down(request(false)));

        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertEquals("minikube profile \"minikube\" does not exist, so there is no stack to take down; nothing was "
                + "changed (`devk8s hosts remove -p minikube` removes a leftover hosts block)", e.getMessage());
        assertEquals(0, fakes.clusterRequests.get());
    }

    @Test
    void should_print_the_plan_and_delete_nothing_on_a_dry_run_on_the_mock_api_server() throws Exception {
        mock = MockKubernetes.start().nodePortRange(80, 32767);
        StackOnMock.deploy(mock, StackOptions.defaults());
        int before = StackOnMock.labelled(mock).size();
        ServiceFakes fakes = new ServiceFakes(dir, Map.of());
        DownService service = down(fakes, fakes.kube(ServiceFakes.context("minikube", mock.url()),
                pinned -> new KubernetesCluster(mock.client())));

        assertEquals(ExitCode.OK, service.down(request(true)));

        assertTrue(fakes.out.toString().contains("would delete Deployment devk8s/traefik"), fakes.out.toString());
        assertTrue(fakes.out.toString().contains("would delete IngressClass traefik"), "the only stack's: "
                + fakes.out);
        assertEquals(before, StackOnMock.labelled(mock).size());
        assertEquals(List.of(), mock.requests().stream().filter(MockKubernetes.Request::isWrite).toList());
    }
}
