package io.devk8s.adapter.minikube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.support.MinikubeFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MinikubeCli against the minikube stand-in, which prints what minikube prints, with its exit codes. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MinikubeCliTest {
    @TempDir
    Path dir;

    private final Map<String, String> vars = new HashMap<>();
    private Path log;

    @BeforeEach
    void setUp() {
        Path bin = MinikubeFixture.install(dir);
        log = dir.resolve("minikube.log");
        vars.put("PATH", MinikubeFixture.pathWith(bin));
        vars.put("HOME", dir.resolve("home").toString());
        vars.put("FIXTURE_MINIKUBE_LOG", log.toString());
    }

    private MinikubeCli minikube(String profile) {
        return new MinikubeCli(new ProcessRunner(new Environment(vars, dir)), profile, null);
    }

    @Test
    void should_report_a_running_profile() {
        ClusterStatus s = minikube("dev").status();
        assertEquals(ProfileStatus.RUNNING, s.state());
        assertEquals(0, s.exitCode());
        assertEquals("Running", s.apiServer());
        assertEquals("Configured", s.kubeconfig());
    }

    @Test
    void should_report_a_stopped_profile_from_exit_code_7() {
        vars.put("FIXTURE_MINIKUBE_STATE", "stopped");
        ClusterStatus s = minikube("dev").status();
        assertEquals(ProfileStatus.STOPPED, s.state());
        assertEquals(7, s.exitCode());
        assertEquals("Stopped", s.host());
    }

    @Test
    void should_report_a_paused_profile() {
        vars.put("FIXTURE_MINIKUBE_STATE", "paused");
        ClusterStatus s = minikube("dev").status();
        assertEquals(ProfileStatus.PAUSED, s.state());
        assertEquals(2, s.exitCode());
    }

    @Test
    void should_report_a_missing_profile_from_exit_code_85_with_minikubes_message() {
        vars.put("FIXTURE_MINIKUBE_STATE", "missing");
        ClusterStatus s = minikube("nosuch").status();
        assertEquals(ProfileStatus.MISSING, s.state());
        assertEquals(85, s.exitCode());
        assertEquals("Profile \"nosuch\" not found. Run \"minikube profile list\" to view all profiles.", s.message());
    }

    @Test
    void should_map_status_bits_and_unknown_exits() {
        String degraded = "{\"Name\":\"m\",\"Host\":\"Running\",\"Kubelet\":\"Running\",\"APIServer\":\"Stopped\","
                + "\"Kubeconfig\":\"Configured\",\"Worker\":false}";
        assertEquals(ProfileStatus.DEGRADED, MinikubeCli.parseStatus(2, degraded, "").state());
        assertEquals(ProfileStatus.UNKNOWN, MinikubeCli.parseStatus(69, "",
                "X Exiting due to PROVIDER_DOCKER_NOT_RUNNING: docker is not running\n").state());
        String multi = "[{\"Name\":\"m\",\"Host\":\"Running\",\"Kubelet\":\"Running\",\"APIServer\":\"Running\","
                + "\"Kubeconfig\":\"Configured\",\"Worker\":false},{\"Name\":\"m-m02\",\"Host\":\"Stopped\","
                + "\"Kubelet\":\"Stopped\",\"APIServer\":\"Irrelevant\",\"Kubeconfig\":\"Irrelevant\",\"Worker\":true}]";
        ClusterStatus s = MinikubeCli.parseStatus(3, multi, "");
        assertEquals(ProfileStatus.STOPPED, s.state(), "a stopped worker sets bit 1 for the whole cluster");
        assertEquals("Running", s.host(), "the control plane's view is reported");
    }

    @Test
    void should_pass_the_profile_on_every_call() {
        MinikubeCli mk = minikube("dev");
        mk.status();
        mk.ip();
        mk.dockerEnv();
        mk.profileInfo();
        mk.version();
        mk.start(List.of(), line -> { });
        List<String> calls = MinikubeFixture.calls(log);
        assertEquals(6, calls.size(), calls.toString());
        for (String call : calls) {
            assertTrue(call.endsWith("-p dev"), call);
        }
        assertEquals("status -o json -p dev", calls.get(0));
        assertEquals("docker-env --shell none -p dev", calls.get(2));
        assertEquals("profile list -o json --light -p dev", calls.get(3));
        assertEquals("version --short -p dev", calls.get(4));
    }

    @Test
    void should_read_the_node_ip() {
        vars.put("FIXTURE_MINIKUBE_IP", "192.168.58.7");
        assertEquals("192.168.58.7", minikube("dev").ip());
    }

    @Test
    void should_fail_ip_on_a_stopped_profile_with_exit_3_and_minikubes_reason() {
        vars.put("FIXTURE_MINIKUBE_STATE", "stopped");
        var ex = assertThrows(Devk8sException.class, () -> minikube("dev").ip());
        assertEquals(ExitCode.PRECONDITION, ex.exitCode());
        assertTrue(ex.getMessage().contains("exit 88"), ex.getMessage());
        assertTrue(ex.getMessage().contains("Exiting due to GUEST_CP_CONFIG"), ex.getMessage());
        assertTrue(ex.getMessage().contains("minikube start -p dev"), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"));
    }

    @Test
    void should_parse_docker_env_skipping_comments_blanks_and_empty_values() {
        vars.put("MINIKUBE_HOME", dir.resolve("mkhome").toString());
        vars.put("FIXTURE_MINIKUBE_DOCKER_PORT", "49153");
        vars.put("FIXTURE_MINIKUBE_DOCKER_ENV_EXTRA", "\\n# To point your shell to minikube's docker-daemon\\n"
                + "SSH_AUTH_SOCK=\\nSSH_AGENT_PID=\\nNO_PROXY=192.168.49.2\\n");
        Map<String, String> env = minikube("dev").dockerEnv();
        assertEquals(Map.of(
                "DOCKER_TLS_VERIFY", "1",
                "DOCKER_HOST", "tcp://127.0.0.1:49153",
                "DOCKER_CERT_PATH", dir.resolve("mkhome/.minikube/certs").toString(),
                "MINIKUBE_ACTIVE_DOCKERD", "dev",
                "NO_PROXY", "192.168.49.2"), env);
    }

    @Test
    void should_refuse_docker_env_on_a_containerd_profile_with_minikubes_reason() {
        vars.put("FIXTURE_MINIKUBE_RUNTIME", "containerd");
        var ex = assertThrows(Devk8sException.class, () -> minikube("dev").dockerEnv());
        assertEquals(ExitCode.PRECONDITION, ex.exitCode());
        assertTrue(ex.getMessage().contains("only compatible with the \"docker\" runtime"), ex.getMessage());
    }

    @Test
    void should_parse_the_profile_from_profile_list() {
        vars.put("FIXTURE_MINIKUBE_DRIVER", "kvm2");
        vars.put("FIXTURE_MINIKUBE_RUNTIME", "containerd");
        vars.put("FIXTURE_MINIKUBE_IP", "192.168.39.10");
        vars.put("FIXTURE_MINIKUBE_PORT", "8444");
        vars.put("FIXTURE_MINIKUBE_NODES", "3");
        vars.put("FIXTURE_MINIKUBE_NODE_PORT_RANGE", "80-32000");
        MinikubeProfile p = minikube("dev").profileInfo().orElseThrow();
        assertEquals("dev", p.name());
        assertEquals("kvm2", p.driver());
        assertEquals("containerd", p.containerRuntime());
        assertEquals("192.168.39.10", p.nodeIp());
        assertEquals(8444, p.nodePort());
        assertEquals(3, p.nodeCount());
        assertEquals("v1.34.0", p.kubernetesVersion());
        assertEquals("80-32000", p.extraOption("apiserver", "service-node-port-range").orElseThrow());
        assertTrue(p.nodePortRange().includes(80));
        assertFalse(p.supportsDockerEnv());
    }

    @Test
    void should_fall_back_to_the_default_node_port_range_without_the_extra_option() {
        vars.put("FIXTURE_MINIKUBE_NODE_PORT_RANGE", "none");
        MinikubeProfile p = minikube("dev").profileInfo().orElseThrow();
        assertTrue(p.extraOptions().isEmpty());
        assertEquals(MinikubeProfile.DEFAULT_NODE_PORT_RANGE, p.nodePortRange());
        assertFalse(p.nodePortRange().includes(80));
    }

    @Test
    void should_find_no_profile_info_for_a_missing_profile() {
        vars.put("FIXTURE_MINIKUBE_STATE", "missing");
        assertTrue(minikube("dev").profileInfo().isEmpty());
    }

    @Test
    void should_start_with_the_node_port_range_stream_its_output_and_leave_it_running() throws IOException {
        Path state = dir.resolve("state");
        Files.writeString(state, "missing");
        vars.put("FIXTURE_MINIKUBE_STATE_FILE", state.toString());
        MinikubeCli mk = minikube("dev");
        assertEquals(ProfileStatus.MISSING, mk.status().state());
        List<String> lines = new ArrayList<>();
        mk.start(List.of("--driver=docker", "--cpus=4"), lines::add);
        assertEquals("start --extra-config=apiserver.service-node-port-range=80-32767 --driver=docker --cpus=4 -p dev",
                MinikubeFixture.calls(log).get(1));
        assertTrue(lines.contains("  - apiserver.service-node-port-range=80-32767"), lines.toString());
        assertTrue(lines.get(lines.size() - 1).startsWith("* Done!"), lines.toString());
        assertEquals(ProfileStatus.RUNNING, mk.status().state());
    }

    @Test
    void should_fail_a_failed_start_with_exit_1_and_minikubes_reason() {
        vars.put("FIXTURE_MINIKUBE_START_EXIT", "69");
        List<String> lines = new ArrayList<>();
        var ex = assertThrows(Devk8sException.class, () -> minikube("dev").start(List.of(), lines::add));
        assertEquals(ExitCode.FAILURE, ex.exitCode());
        assertTrue(ex.getMessage().contains("exit 69"), ex.getMessage());
        assertTrue(ex.getMessage().contains("Exiting due to PROVIDER_DOCKER_NOT_RUNNING"), ex.getMessage());
        assertTrue(lines.stream().anyMatch(l -> l.contains("PROVIDER_DOCKER_NOT_RUNNING")), "stderr is streamed too");
    }

    @Test
    void should_read_the_short_version() {
        vars.put("FIXTURE_MINIKUBE_VERSION", "v1.36.0");
        assertEquals("v1.36.0", minikube("dev").version());
    }

    @Test
    void should_fail_with_exit_3_and_one_line_when_minikube_is_not_installed() {
        vars.put("PATH", dir.resolve("empty").toString());
        MinikubeCli mk = minikube("dev");
        assertFalse(mk.isInstalled());
        var ex = assertThrows(Devk8sException.class, mk::status);
        assertEquals(ExitCode.PRECONDITION, ex.exitCode());
        assertEquals("minikube not found on PATH; install it from https://minikube.sigs.k8s.io/docs/start/ "
                + "or pass --minikube PATH", ex.getMessage());
    }

    @Test
    void should_use_an_explicit_binary_instead_of_path() {
        Path bin = MinikubeFixture.install(dir.resolve("elsewhere"));
        vars.put("PATH", dir.resolve("empty").toString() + ":/usr/bin:/bin");
        var mk = new MinikubeCli(new ProcessRunner(new Environment(vars, dir)), "dev", bin.resolve("minikube"));
        assertEquals(ProfileStatus.RUNNING, mk.status().state());
        var missing = new MinikubeCli(new ProcessRunner(new Environment(vars, dir)), "dev", dir.resolve("no/minikube"));
        var ex = assertThrows(Devk8sException.class, missing::version);
        assertEquals(ExitCode.PRECONDITION, ex.exitCode());
        assertTrue(ex.getMessage().startsWith("--minikube " + dir.resolve("no/minikube")), ex.getMessage());
    }

    @Test
    void should_resolve_the_profile_from_flag_then_environment_then_default() {
        Environment none = new Environment(Map.of(), dir);
        Environment env = new Environment(Map.of("MINIKUBE_PROFILE", "team"), dir);
        assertEquals("minikube", MinikubeCli.resolveProfile(none, null));
        assertEquals("team", MinikubeCli.resolveProfile(env, null));
        assertEquals("mine", MinikubeCli.resolveProfile(env, "mine"));
    }

    @Test
    void should_locate_minikube_home_like_minikube_does() {
        Path home = dir.resolve("home");
        assertEquals(home.resolve(".minikube"),
                MinikubeCli.minikubeHome(new Environment(Map.of("HOME", home.toString()), dir)));
        assertEquals(dir.resolve("mk/.minikube"),
                MinikubeCli.minikubeHome(new Environment(Map.of("MINIKUBE_HOME", dir.resolve("mk").toString()), dir)));
        assertEquals(dir.resolve("x/.minikube"), MinikubeCli.minikubeHome(
                new Environment(Map.of("MINIKUBE_HOME", dir.resolve("x/.minikube").toString()), dir)));
    }

    @Test
    void should_know_the_node_ip_is_unreachable_on_docker_driver_under_macos_and_windows() {
        assertFalse(MinikubeCli.nodeIpReachableFromHost("docker", "Mac OS X"));
        assertFalse(MinikubeCli.nodeIpReachableFromHost("docker", "Windows 11"));
        assertFalse(MinikubeCli.nodeIpReachableFromHost("podman", "Mac OS X"));
        assertTrue(MinikubeCli.nodeIpReachableFromHost("docker", "Linux"));
        assertTrue(MinikubeCli.nodeIpReachableFromHost("hyperkit", "Mac OS X"));
        assertTrue(MinikubeCli.nodeIpReachableFromHost("hyperv", "Windows 11"));
        assertEquals("127.0.0.1", MinikubeCli.hostsAddress("docker", "Mac OS X", "192.168.49.2"));
        assertEquals("192.168.49.2", MinikubeCli.hostsAddress("docker", "Linux", "192.168.49.2"));
    }
}
