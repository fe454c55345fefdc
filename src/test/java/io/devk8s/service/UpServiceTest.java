package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.support.MockKubernetes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UpService} built from its collaborators, without the CLI: the minikube stand-in, a kube context given
 * as a value, and either no API at all or fabric8's mock API server (which cannot check admission or a real
 * controller's behaviour).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UpServiceTest {
    @TempDir
    Path dir;

    private MockKubernetes mock;

    @AfterEach
    void tearDown() {
        if (mock != null) {
            mock.close();
        }
    }

    private UpService.Request request(boolean start, boolean dryRun) throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        return new UpService.Request(ClusterSelection.of(new io.devk8s.Environment(Map.of(), dir), "minikube", null,
                List.of(), null), new UpService.Start(start, List.of()), StackOptions.defaults(), null,
                new WaitPolicy(false, Duration.ofSeconds(5)), new HostsStep(true, hosts, true), false, dryRun);
    }

    private UpService up(ServiceFakes fakes, KubeAccess kube) {
        return new UpService(fakes.console, fakes.minikube("minikube"), fakes.renderer(), fakes.hostsService(),
                new HostsAddress("Linux"), kube);
    }

    @Test
    void should_refuse_a_stopped_profile_with_the_preflight_message_and_never_ask_for_the_api() throws IOException {
        ServiceFakes fakes = new ServiceFakes(dir, Map.of("FIXTURE_MINIKUBE_STATE", "stopped"));
        UpService service = up(fakes, fakes.kubeWithoutApi(ServiceFakes.context("minikube", "https://192.168.49.2:8443")));

        Devk8sException e = assertThrows(Devk8sException.class, () -> service.up(request(false, false)));

        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertEquals("minikube profile 'minikube' is stopped: run `devk8s up --start` to start it (or `minikube start "
                + "-p minikube --extra-config=apiserver.service-node-port-range=80-32767`)", e.getMessage());
        assertEquals(0, fakes.clusterRequests.get());
    }

    @Test
    void should_refuse_a_foreign_context_before_its_api_is_asked_for() throws IOException {
        ServiceFakes fakes = new ServiceFakes(dir, Map.of());
        UpService service = up(fakes, fakes.kubeWithoutApi(ServiceFakes.context("prod", "https://35.1.2.3")));

        Devk8sException e = assertThrows(Devk8sException.class, () -> service.up(request(false, false)));

        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertTrue(e.getMessage().startsWith("kube context \"prod\" (https://35.1.2.3) is not Minikube profile"),
                e.getMessage());
        assertEquals(0, fakes.clusterRequests.get());
        assertEquals("127.0.0.1 localhost\n", Files.readString(dir.resolve("hosts")), "the hosts file is untouched");
    }

    @Test
    void should_list_the_plan_and_write_nothing_on_a_dry_run_on_the_mock_api_server() throws Exception {
        mock = MockKubernetes.start().nodePortRange(80, 32767);
        ServiceFakes fakes = new ServiceFakes(dir, Map.of("FIXTURE_MINIKUBE_DRIVER", "kvm2"));
        UpService service = up(fakes, fakes.kube(ServiceFakes.context("minikube", mock.url()),
                pinned -> new KubernetesCluster(mock.client())));

        assertEquals(ExitCode.OK, service.up(request(false, true)));

        assertTrue(fakes.out.toString().contains("apply  Deployment devk8s/traefik"), fakes.out.toString());
        assertTrue(fakes.out.toString().contains("hosts  traefik-ui.minikube prometheus.minikube"), fakes.out.toString());
        assertEquals(List.of(), mock.requests().stream().filter(MockKubernetes.Request::isWrite).toList());
        assertEquals("127.0.0.1 localhost\n", Files.readString(dir.resolve("hosts")));
    }
}
