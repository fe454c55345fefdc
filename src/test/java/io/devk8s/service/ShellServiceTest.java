package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.DebugPods;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.PodExec;
import io.devk8s.config.ProjectFile;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ShellService}'s debug pod on fabric8's CRUD mock API server, with a test thread standing in for the
 * kubelet (it marks a new pod Running and Ready through a status update). The mock cannot run containers or
 * grace periods (a deleted pod is gone at once), so the exec step is a recording stand-in here; the exec protocol
 * itself is covered by {@code PodExecMockTest}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShellServiceTest {
    @TempDir
    Path dir;

    private MockKubernetes mock;
    private ServiceFakes fakes;
    private ScheduledExecutorService kubelet;
    private final List<List<String>> execs = new ArrayList<>();
    private final List<String> stdins = new ArrayList<>();
    private int remoteExitCode = 0;

    @BeforeEach
    void setUp() {
        mock = MockKubernetes.start();
        fakes = new ServiceFakes(dir, Map.of());
    }

    @AfterEach
    void tearDown() {
        if (kubelet != null) {
            kubelet.shutdownNow();
        }
        mock.close();
    }

    /** Marks every pod without a phase Running and Ready, as the kubelet would once its container started. */
    private void startKubelet() {
        kubelet = Executors.newSingleThreadScheduledExecutor();
        kubelet.scheduleWithFixedDelay(() -> {
            try {
                for (Pod pod : mock.admin().pods().inNamespace("default").list().getItems()) {
                    if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
                        mock.admin().pods().inNamespace("default").withName(pod.getMetadata().getName())
                                .editStatus(p -> {
                                    p.setStatus(new PodStatusBuilder().withPhase("Running").addNewCondition()
                                            .withType("Ready").withStatus("True").endCondition().build());
                                    return p;
                                });
                    }
                }
            } catch (RuntimeException e) {
                // the pod went away meanwhile, or the mock is closing
            }
        }, 0, 30, TimeUnit.MILLISECONDS);
    }

    private ShellService service() {
        KubeAccess kube = fakes.kube(ServiceFakes.context("minikube", mock.url()),
                pinned -> new KubernetesCluster(mock.client()).pollInterval(Duration.ofMillis(50)));
        ShellService.Exec exec = (namespace, pod, command, tty, stdin, stdout, stderr, started) -> {
            execs.add(List.of(namespace, pod, String.join(" ", command)));
            try {
                stdins.add(stdin == null ? null : new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
                stdout.write("ran\n".getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            return new PodExec.Outcome(Optional.of(remoteExitCode), null);
        };
        return new ShellService(fakes.console, kube, DebugPods::new, cluster -> exec, streams -> {
            throw new AssertionError("no terminal is opened without one");
        });
    }

    private ShellService.Request request(Optional<ProjectFile> project, String image, boolean reuse, boolean rm,
            String... command) {
        return new ShellService.Request(ClusterSelection.of(new Environment(Map.of(), dir), "minikube", null,
                List.of(), null), ProjectScope.of(project, Optional.empty()), Optional.ofNullable(image), "debugtool",
                reuse, rm, List.of(command), Duration.ofSeconds(10));
    }

    private static ShellService.Streams piped(String stdin, OutputStream out) {
        return new ShellService.Streams(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
                new ByteArrayOutputStream(), false);
    }

    private Optional<ProjectFile> project() {
        return Optional.of(new ProjectFile(dir.resolve("devk8s.yaml"), "myproject", Optional.empty(), List.of()));
    }

    private Pod debugPod() {
        return mock.admin().pods().inNamespace("default").withName("debugtool").get();
    }

    private void existingPod(Map<String, String> labels, String image, String phase) {
        Pod pod = new PodBuilder().withNewMetadata().withName("debugtool").withNamespace("default")
                .withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("debugtool").withImage(image).endContainer().endSpec()
                .build();
        mock.admin().pods().inNamespace("default").resource(pod).create();
        if (phase != null) {
            mock.admin().pods().inNamespace("default").withName("debugtool").editStatus(p -> {
                p.setStatus(new PodStatusBuilder().withPhase(phase).addNewCondition().withType("Ready")
                        .withStatus("True").endCondition().build());
                return p;
            });
        }
    }

    @Test
    void without_a_project_file_the_image_flag_is_required_before_any_api_call() {
        Devk8sException e = assertThrows(Devk8sException.class, () -> service().shell(
                request(Optional.empty(), null, false, false, "true"), piped("", new ByteArrayOutputStream())));

        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("--image IMAGE"), e.getMessage());
        assertEquals(0, fakes.clusterRequests.get());
    }

    @Test
    void creates_the_labelled_debug_pod_waits_until_it_runs_and_runs_the_command_with_piped_stdin_on_the_mock()
            throws Exception {
        startKubelet();
        remoteExitCode = 7;
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = service().shell(request(project(), "alpine:3.20", false, false, "cat"), piped("hi\n", out));

        assertEquals(7, code, "the remote exit code becomes devk8s's");
        Pod pod = debugPod();
        assertEquals(Map.of("appgroup", "myproject", "app.kubernetes.io/component", "debugtool",
                "app.kubernetes.io/managed-by", "devk8s"), pod.getMetadata().getLabels());
        assertEquals("Never", pod.getSpec().getRestartPolicy());
        var container = pod.getSpec().getContainers().get(0);
        assertEquals("alpine:3.20", container.getImage());
        assertEquals("IfNotPresent", container.getImagePullPolicy());
        assertEquals(ShellService.KEEP_ALIVE, container.getCommand());
        // stdin ends where the local one ended: its length bounds what the command reads
        assertEquals(List.of(List.of("default", "debugtool", "sh -c head -c \"$0\" | \"$@\" 3 cat")), execs);
        assertEquals(List.of("hi\n"), stdins);
        assertEquals("ran\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void an_interactive_session_runs_bash_when_the_image_has_it_else_sh_with_a_tty_sized_like_the_terminal()
            throws Exception {
        existingPod(Map.of("app.kubernetes.io/managed-by", "devk8s"), "alpine:3.20", "Running");
        List<String> calls = new ArrayList<>();
        ShellService.Exec exec = (namespace, pod, command, tty, stdin, stdout, stderr, started) -> {
            calls.add(command + " tty=" + tty);
            started.accept((columns, rows) -> calls.add("resize " + columns + "x" + rows));
            return new PodExec.Outcome(Optional.of(0), null);
        };
        ShellService.LocalTerminal terminal = new ShellService.LocalTerminal() {
            @Override
            public java.io.InputStream input() {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public OutputStream output() {
                return new ByteArrayOutputStream();
            }

            @Override
            public int columns() {
                return 120;
            }

            @Override
            public int rows() {
                return 40;
            }

            @Override
            public void onResize(PodExec.Session listener) {
                calls.add("listening for resizes");
            }

            @Override
            public void close() {
                calls.add("terminal restored");
            }
        };
        KubeAccess kube = fakes.kube(ServiceFakes.context("minikube", mock.url()),
                pinned -> new KubernetesCluster(mock.client()).pollInterval(Duration.ofMillis(50)));
        ShellService shell = new ShellService(fakes.console, kube, DebugPods::new, cluster -> exec, streams -> terminal);

        int code = shell.shell(request(project(), "alpine:3.20", true, false),
                new ShellService.Streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                        new ByteArrayOutputStream(), true));

        assertEquals(0, code);
        assertEquals(List.of("sh", "-c", "command -v bash >/dev/null && exec bash || exec sh"), ShellService.LOGIN_SHELL);
        assertEquals(List.of("[sh, -c, command -v bash >/dev/null && exec bash || exec sh] tty=true", "resize 120x40",
                "listening for resizes", "terminal restored"), calls);
    }

    @Test
    void a_pod_outside_a_project_carries_no_appgroup_label() throws Exception {
        startKubelet();

        service().shell(request(Optional.empty(), "busybox:1.36", false, false, "true"),
                piped("", new ByteArrayOutputStream()));

        assertNull(debugPod().getMetadata().getLabels().get("appgroup"));
        assertEquals("devk8s", debugPod().getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
    }

    @Test
    void replaces_an_existing_debug_pod_devk8s_created() throws Exception {
        existingPod(Map.of("app.kubernetes.io/managed-by", "devk8s"), "alpine:3.19", "Running");
        String oldUid = debugPod().getMetadata().getUid();
        startKubelet();

        assertEquals(0, service().shell(request(project(), "alpine:3.20", false, false, "true"),
                piped("", new ByteArrayOutputStream())));

        Pod pod = debugPod();
        assertNotEquals(oldUid, pod.getMetadata().getUid());
        assertEquals("alpine:3.20", pod.getSpec().getContainers().get(0).getImage());
        List<String> writes = mock.writes().stream().map(r -> r.method()).toList();
        assertEquals("DELETE", writes.get(0), "the old pod goes before the new one is created: " + writes);
        assertTrue(writes.contains("POST"), writes.toString());
        assertTrue(fakes.err.toString().contains("replacing pod debugtool in namespace default"), fakes.err.toString());
    }

    @Test
    void refuses_a_pod_of_that_name_devk8s_did_not_create_and_writes_nothing() {
        existingPod(Map.of("app", "mine"), "alpine:3.20", "Running");

        Devk8sException e = assertThrows(Devk8sException.class, () -> service().shell(
                request(project(), "alpine:3.20", false, false, "true"), piped("", new ByteArrayOutputStream())));

        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertEquals("pod debugtool in namespace default was not created by devk8s (no "
                + "app.kubernetes.io/managed-by=devk8s label), so devk8s leaves it alone: pass --name OTHER",
                e.getMessage());
        assertEquals(List.of(), mock.writes());
        assertEquals(Map.of("app", "mine"), debugPod().getMetadata().getLabels());
        assertTrue(execs.isEmpty());
    }

    @Test
    void reuse_attaches_to_a_running_pod_of_the_same_image_without_writing() throws Exception {
        existingPod(Map.of("app.kubernetes.io/managed-by", "devk8s"), "alpine:3.20", "Running");
        String uid = debugPod().getMetadata().getUid();

        assertEquals(0, service().shell(request(project(), "alpine:3.20", true, false, "true"),
                piped("", new ByteArrayOutputStream())));

        assertEquals(List.of(), mock.writes());
        assertEquals(uid, debugPod().getMetadata().getUid());
        assertEquals(1, execs.size());
    }

    @Test
    void reuse_replaces_a_pod_of_another_image() throws Exception {
        existingPod(Map.of("app.kubernetes.io/managed-by", "devk8s"), "alpine:3.19", "Running");
        startKubelet();

        assertEquals(0, service().shell(request(project(), "alpine:3.20", true, false, "true"),
                piped("", new ByteArrayOutputStream())));

        assertEquals("alpine:3.20", debugPod().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void rm_deletes_the_pod_when_the_command_ends() throws Exception {
        startKubelet();

        assertEquals(0, service().shell(request(project(), "alpine:3.20", false, true, "true"),
                piped("", new ByteArrayOutputStream())));

        assertEquals(1, execs.size());
        assertNull(debugPod());
    }

    @Test
    void a_pod_that_cannot_start_is_diagnosed_and_fails_without_exec() throws Exception {
        kubelet = Executors.newSingleThreadScheduledExecutor();
        kubelet.scheduleWithFixedDelay(() -> {
            try {
                mock.admin().pods().inNamespace("default").withName("debugtool").editStatus(p -> {
                    p.setStatus(new PodStatusBuilder().withPhase("Pending").withContainerStatuses(
                            new ContainerStatusBuilder().withName("debugtool").withImage("nope:1").withReady(false)
                                    .withNewState().withNewWaiting().withReason("ErrImageNeverPull")
                                    .withMessage("image nope:1 is not present").endWaiting().endState().build())
                            .build());
                    return p;
                });
            } catch (RuntimeException e) {
                // not created yet
            }
        }, 0, 30, TimeUnit.MILLISECONDS);

        int code = service().shell(request(project(), "nope:1", false, false, "true"),
                piped("", new ByteArrayOutputStream()));

        assertEquals(ExitCode.FAILURE, code);
        assertTrue(execs.isEmpty());
        assertTrue(fakes.err.toString().contains("ErrImageNeverPull"), fakes.err.toString());
        assertFalse(fakes.err.toString().isBlank());
    }
}
