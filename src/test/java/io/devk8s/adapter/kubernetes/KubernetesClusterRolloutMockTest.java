package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The rollout wait for StatefulSets, DaemonSets, Jobs and single Pods, against the mock API server. No controller
 * runs there: each test sets the status a controller (or the kubelet) would write, through the harness's client.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KubernetesClusterRolloutMockTest {
    private static final Map<String, String> APP = Map.of("app", "db");

    private MockKubernetes mock;
    private KubernetesCluster cluster;

    @BeforeEach
    void startMock() {
        mock = MockKubernetes.start();
        cluster = mock.cluster();
    }

    @AfterEach
    void stopMock() {
        cluster.close();
        mock.close();
    }

    private static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(APP).endMetadata().withNewSpec()
                .addNewContainer().withName("main").withImage(image).endContainer().endSpec().build();
    }

    private Rollout.Result waitFor(ObjectRef ref, Duration timeout) {
        return cluster.waitFor("devk8s", List.of(ref), timeout, Rollout.Listener.NONE);
    }

    @Test
    void should_wait_for_a_stateful_set_until_its_replicas_are_ready_on_the_mock() {
        mock.admin().apps().statefulSets().inNamespace("devk8s").resource(new StatefulSetBuilder().withNewMetadata()
                .withName("db").withNamespace("devk8s").endMetadata().withNewSpec().withReplicas(2)
                .withServiceName("db").withNewSelector().withMatchLabels(APP).endSelector()
                .withTemplate(template("postgres:17")).endSpec().build()).create();
        ObjectRef db = ObjectRef.namespaced("StatefulSet", "devk8s", "db");

        Rollout.Result before = waitFor(db, Duration.ofMillis(200));
        assertTrue(before.timedOut());
        assertEquals("NoPods", before.diagnoses().get(0).reason());
        assertEquals("statefulset/db", before.diagnoses().get(0).deployment());
        assertTrue(before.diagnoses().get(0).fix().contains("describe statefulset db"), before.diagnoses().toString());

        mock.admin().apps().statefulSets().inNamespace("devk8s").withName("db").editStatus(s -> {
            s.setStatus(new StatefulSetStatusBuilder().withReplicas(2).withReadyReplicas(2).withUpdatedReplicas(2)
                    .withAvailableReplicas(2).withCurrentRevision("db-1").withUpdateRevision("db-1")
                    .withObservedGeneration(s.getMetadata().getGeneration()).build());
            return s;
        });

        Rollout.Result after = waitFor(db, Duration.ofSeconds(5));
        assertTrue(after.ready(), after.toString());
        assertEquals(new Rollout.Progress("statefulset/db", Rollout.Phase.READY, 2, 2,
                after.deployments().get(0).elapsed(), "postgres:17"), after.deployments().get(0));
    }

    @Test
    void should_not_call_a_stateful_set_ready_while_an_old_revision_runs_on_the_mock() {
        mock.admin().apps().statefulSets().inNamespace("devk8s").resource(new StatefulSetBuilder().withNewMetadata()
                .withName("db").withNamespace("devk8s").endMetadata().withNewSpec().withReplicas(1)
                .withServiceName("db").withNewSelector().withMatchLabels(APP).endSelector()
                .withTemplate(template("postgres:17")).endSpec().build()).create();
        mock.admin().apps().statefulSets().inNamespace("devk8s").withName("db").editStatus(s -> {
            s.setStatus(new StatefulSetStatusBuilder().withReplicas(1).withReadyReplicas(1).withUpdatedReplicas(1)
                    .withAvailableReplicas(1).withCurrentRevision("db-1").withUpdateRevision("db-2")
                    .withObservedGeneration(s.getMetadata().getGeneration()).build());
            return s;
        });

        assertFalse(waitFor(ObjectRef.namespaced("StatefulSet", "devk8s", "db"), Duration.ofMillis(200)).ready());
    }

    @Test
    void should_wait_for_a_daemon_set_on_the_mock() {
        mock.admin().apps().daemonSets().inNamespace("devk8s").resource(new DaemonSetBuilder().withNewMetadata()
                .withName("agent").withNamespace("devk8s").endMetadata().withNewSpec().withNewSelector()
                .withMatchLabels(APP).endSelector().withTemplate(template("agent:1")).endSpec().build()).create();
        ObjectRef agent = ObjectRef.namespaced("DaemonSet", "devk8s", "agent");
        assertFalse(waitFor(agent, Duration.ofMillis(200)).ready(), "no status yet");

        mock.admin().apps().daemonSets().inNamespace("devk8s").withName("agent").editStatus(d -> {
            d.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(1).withCurrentNumberScheduled(1)
                    .withNumberReady(1).withUpdatedNumberScheduled(1).withNumberAvailable(1).withNumberMisscheduled(0)
                    .withObservedGeneration(d.getMetadata().getGeneration()).build());
            return d;
        });

        assertTrue(waitFor(agent, Duration.ofSeconds(5)).ready());
    }

    @Test
    void should_wait_for_a_job_to_complete_and_stop_at_once_when_it_failed_on_the_mock() {
        for (String name : List.of("migrate", "broken")) {
            mock.admin().batch().v1().jobs().inNamespace("devk8s").resource(new JobBuilder().withNewMetadata()
                    .withName(name).withNamespace("devk8s").endMetadata().withNewSpec()
                    .withTemplate(template("migrate:1")).endSpec().build()).create();
        }
        mock.admin().batch().v1().jobs().inNamespace("devk8s").withName("migrate").editStatus(j -> {
            j.setStatus(new JobStatusBuilder().withSucceeded(1).withConditions(new JobConditionBuilder()
                    .withType("Complete").withStatus("True").build()).build());
            return j;
        });
        mock.admin().batch().v1().jobs().inNamespace("devk8s").withName("broken").editStatus(j -> {
            j.setStatus(new JobStatusBuilder().withFailed(6).withConditions(new JobConditionBuilder()
                    .withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit").build()).build());
            return j;
        });

        assertTrue(waitFor(ObjectRef.namespaced("Job", "devk8s", "migrate"), Duration.ofSeconds(5)).ready());

        long start = System.nanoTime();
        Rollout.Result broken = waitFor(ObjectRef.namespaced("Job", "devk8s", "broken"), Duration.ofSeconds(30));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "a failed Job is not waited out");
        assertFalse(broken.ready());
        assertFalse(broken.timedOut());
        Rollout.Diagnosis d = broken.diagnoses().get(0);
        assertEquals("JobFailed", d.reason());
        assertEquals("BackoffLimitExceeded: Job has reached the specified backoff limit", d.detail());
        assertTrue(d.fix().contains("kubectl --context mock -n devk8s logs job/broken"), d.fix());
    }

    @Test
    void should_wait_for_a_single_pod_to_run_and_be_ready_and_diagnose_it_like_a_deployment_pod_on_the_mock() {
        var pod = new PodBuilder().withNewMetadata().withName("shell").withNamespace("devk8s").endMetadata()
                .withNewSpec().addNewContainer().withName("shell").withImage("debug:1").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
        mock.admin().pods().inNamespace("devk8s").resource(pod).create();
        ObjectRef shell = ObjectRef.namespaced("Pod", "devk8s", "shell");
        mock.admin().pods().inNamespace("devk8s").withName("shell").editStatus(p -> {
            p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("shell")
                    .withImage("debug:1").withReady(false).withRestartCount(0).withNewState().withNewWaiting()
                    .withReason("ImagePullBackOff").withMessage("Back-off pulling image").endWaiting().endState()
                    .build()));
            return p;
        });

        Rollout.Result pulling = waitFor(shell, Duration.ofMillis(300));
        assertFalse(pulling.ready());
        Rollout.Diagnosis d = pulling.diagnoses().get(0);
        assertEquals("pod/shell", d.deployment());
        assertEquals("shell", d.pod());
        assertEquals("ImagePullBackOff", d.reason());
        assertTrue(d.fix().contains("check the image name and tag \"debug:1\""), d.fix());

        mock.admin().pods().inNamespace("devk8s").withName("shell").editStatus(p -> {
            p.getStatus().setPhase("Running");
            p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("shell")
                    .withImage("debug:1").withReady(true).withRestartCount(0).withNewState().withNewRunning()
                    .endRunning().endState().build()));
            p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()));
            return p;
        });

        assertTrue(waitFor(shell, Duration.ofSeconds(5)).ready());
    }

    @Test
    void should_read_a_workload_again_as_soon_as_it_changes_not_at_the_next_poll_on_the_mock() throws Exception {
        // the mock API server's watch stands in for the real one's: it cannot show the real one's bookmarks,
        // resourceVersion expiry (410 Gone) or a proxy that cuts long requests, after which the wait polls
        mock.admin().apps().deployments().inNamespace("devk8s").resource(new DeploymentBuilder().withNewMetadata()
                .withName("web").withNamespace("devk8s").endMetadata().withNewSpec().withReplicas(1)
                .withNewSelector().withMatchLabels(APP).endSelector().withTemplate(template("web:1")).endSpec()
                .build()).create();
        mock.admin().apps().statefulSets().inNamespace("devk8s").resource(new StatefulSetBuilder().withNewMetadata()
                .withName("db").withNamespace("devk8s").endMetadata().withNewSpec().withReplicas(1)
                .withServiceName("db").withNewSelector().withMatchLabels(APP).endSelector()
                .withTemplate(template("postgres:17")).endSpec().build()).create();
        ObjectRef web = ObjectRef.namespaced("Deployment", "devk8s", "web");
        ObjectRef db = ObjectRef.namespaced("StatefulSet", "devk8s", "db");
        cluster.pollInterval(Duration.ofMinutes(5)); // a poll would come after the wait's time is up

        Thread controller = new Thread(() -> {
            try {
                Thread.sleep(300);
                mock.markAvailable("devk8s", "web");
                Thread.sleep(300);
                mock.admin().apps().statefulSets().inNamespace("devk8s").withName("db").editStatus(s -> {
                    s.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(s.getMetadata().getGeneration())
                            .withReplicas(1).withReadyReplicas(1).withUpdatedReplicas(1).withAvailableReplicas(1)
                            .withCurrentRevision("db-1").withUpdateRevision("db-1").build());
                    return s;
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        controller.start();
        Rollout.Result result = cluster.waitFor("devk8s", List.of(web, db), Duration.ofSeconds(60),
                Rollout.Listener.NONE);
        controller.join();

        assertTrue(result.ready(), result.diagnoses().toString());
        assertTrue(result.elapsed().compareTo(Duration.ofSeconds(30)) < 0, "woken by the changes, not by the "
                + "deadline: " + result.elapsed());
    }

    @Test
    void should_refuse_to_wait_for_a_kind_that_does_not_roll_out() {
        Devk8sException e = assertThrows(Devk8sException.class,
                () -> waitFor(ObjectRef.namespaced("ConfigMap", "devk8s", "c"), Duration.ofSeconds(1)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("ConfigMap devk8s/c: cannot wait for a ConfigMap; a rollout wait handles DaemonSet, Deployment,"
                + " Job, Pod, StatefulSet", e.getMessage());
    }
}
