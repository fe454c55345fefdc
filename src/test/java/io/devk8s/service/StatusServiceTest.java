package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.StackOnMock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StatusService} built from its collaborators: the minikube stand-in, a kube context given as a value,
 * and no API or fabric8's mock API server holding the rendered stack (it cannot tell what real pods would do).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatusServiceTest {
    @TempDir
    Path dir;

    private MockKubernetes mock;

    @AfterEach
    void tearDown() {
        if (mock != null) {
            mock.close();
        }
    }

    private StatusReport status(ServiceFakes fakes, KubeAccess kube, Path hosts) {
        StatusService service = new StatusService(fakes.minikube("minikube"), fakes.renderer(), kube,
                fakes.hostsFiles(), new HostsAddress("Linux"));
        return service.status(new StatusService.Request(ClusterSelection.of(new Environment(Map.of(), dir),
                "minikube", null, List.of(), null), Optional.empty(), hosts));
    }

    @Test
    void should_report_a_refused_context_as_unavailable_without_asking_for_its_api() throws IOException {
        ServiceFakes fakes = new ServiceFakes(dir, Map.of());
        Path hosts = Files.writeString(dir.resolve("hosts"), "");

        StatusReport report = status(fakes, fakes.kubeWithoutApi(ServiceFakes.context("prod", "https://35.1.2.3")),
                hosts);

        assertEquals(StatusReport.UNAVAILABLE, report.health());
        assertEquals(ExitCode.PRECONDITION, report.exitCode());
        assertTrue(report.problems().stream().anyMatch(p -> p.startsWith("kube context \"prod\"")), report.problems()
                .toString());
        assertEquals(0, fakes.clusterRequests.get());
    }

    @Test
    void should_say_how_to_start_a_stopped_profile() throws IOException {
        ServiceFakes fakes = new ServiceFakes(dir, Map.of("FIXTURE_MINIKUBE_STATE", "stopped"));
        StatusReport report = status(fakes, fakes.kubeWithoutApi(ServiceFakes.context("minikube", "https://x:8443")),
                Files.writeString(dir.resolve("hosts"), ""));

        assertEquals(StatusReport.UNAVAILABLE, report.health());
        assertEquals("minikube profile \"minikube\" is stopped: start it with `devk8s up --start` or `minikube start -p "
                + "minikube --extra-config=apiserver.service-node-port-range=80-32767`", report.problems().get(0));
        assertEquals(0, fakes.clusterRequests.get());
    }

    @Test
    void should_be_healthy_with_the_stack_deployed_on_the_mock_api_server_and_the_hosts_block_in_place()
            throws IOException {
        mock = MockKubernetes.start().nodePortRange(80, 32767);
        StackOnMock.deploy(mock, StackOptions.defaults());
        ServiceFakes fakes = new ServiceFakes(dir, Map.of("FIXTURE_MINIKUBE_DRIVER", "kvm2"));
        Path hosts = Files.writeString(dir.resolve("hosts"), "");
        new io.devk8s.adapter.hosts.HostsFile(hosts).apply("minikube", "192.168.49.2",
                HostsService.hostnames("minikube", List.of()));

        StatusReport report = status(fakes, fakes.kube(ServiceFakes.context("minikube", mock.url()),
                pinned -> new KubernetesCluster(mock.client())), hosts);

        assertEquals(StatusReport.HEALTHY, report.health(), report.problems().toString());
        assertEquals(StackCatalog.COMPONENT_NAMES, report.components().stream().map(StatusReport.Component::name)
                .toList());
        assertEquals("http://traefik-ui.minikube/dashboard/", report.urls().get(0).url());
        assertEquals(List.of(), mock.requests().stream().filter(MockKubernetes.Request::isWrite).toList(),
                "status only reads");
    }
}
