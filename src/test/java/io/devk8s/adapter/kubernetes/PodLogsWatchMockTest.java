package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pod watch of {@link LogSource} ({@code PodLogs}, an informer) on the fabric8 CRUD mock API server: existing
 * pods first, then a new pod, a container's new instance and a deletion, only for pods the selector picks. The
 * mock has no kubelet: container ids and states are written into the pods by the test.
 */
class PodLogsWatchMockTest {

    private static Pod pod(String name, String app, String containerId) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("demo")
                .addToLabels("appgroup", "demo").addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("web").endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("app").withContainerID(containerId)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus().build();
    }

    @Test
    void should_report_existing_new_restarted_and_deleted_pods_of_the_selector_on_the_crud_mock() throws Exception {
        try (MockKubernetes mock = MockKubernetes.start()) {
            var admin = mock.admin().pods().inNamespace("demo");
            admin.resource(pod("web-1", "web", "c1")).create();
            admin.resource(pod("other-1", "other", "o1")).create();
            List<String> events = new CopyOnWriteArrayList<>();
            LogSource source = mock.cluster().logSource();

            try (AutoCloseable watch = source.watch("demo", LabelSelector.parse("appgroup=demo,app=web"),
                    new LogSource.PodListener() {
                        @Override
                        public void pod(LogSource.Pod pod) {
                            events.add(pod.name() + " " + pod.containers().get(0).containerId());
                        }

                        @Override
                        public void podGone(String name) {
                            events.add(name + " gone");
                        }
                    })) {
                await(events, 1);
                admin.resource(pod("web-2", "web", "c2")).create();
                await(events, 2);
                admin.withName("web-2").edit(p -> pod("web-2", "web", "c3"));
                await(events, 3);
                admin.withName("web-1").delete();
                await(events, 4);
            }

            assertEquals(List.of("web-1 c1", "web-2 c2", "web-2 c3", "web-1 gone"), events);
        }
    }

    private static void await(List<String> events, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
