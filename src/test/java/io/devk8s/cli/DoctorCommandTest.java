package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devk8s.ExitCode;
import io.devk8s.adapter.sudo.Sudo;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.Kubeconfig;
import io.devk8s.support.MockCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s doctor} through the real CLI, with the minikube stand-in first on PATH and fabric8's mock API
 * server behind the kube context (it answers the version request; what a real API server would refuse beyond
 * that, e.g. the token, it cannot check).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DoctorCommandTest {
    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private Path dir;
    private CliRunner cli;
    private Path hosts;
    private Path log;

    @BeforeEach
    void setUp() {
        dir = cluster.dir();
        cli = cluster.cli();
        hosts = cluster.hosts();
        log = cluster.minikubeLog();
    }

    /** A kubeconfig with one context, {@code context}, on the mock API server. */
    private void kubeconfig(String context) {
        Kubeconfig.with(context, cluster.mock().url()).write(cluster.kubeconfig());
    }

    /** The minikube stand-in reports the mock API server's address as its node's. */
    private void nodeIsTheMock() {
        URI url = URI.create(cluster.mock().url());
        cli.env("FIXTURE_MINIKUBE_IP", url.getHost()).env("FIXTURE_MINIKUBE_PORT", String.valueOf(url.getPort()));
    }

    private static String line(String out, String check) {
        return out.lines().filter(l -> l.matches("^\\w+\\s+" + check + "\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + check + "' line in:\n" + out));
    }

    @Test
    void should_pass_every_check_on_a_running_docker_profile_with_port_80() {
        var r = cli.runAndExpect(ExitCode.OK, "doctor", "--hosts-file", hosts.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(8, lines.size(), r.out());
        for (String l : lines) {
            assertTrue(l.startsWith("ok "), l);
        }
        assertTrue(line(r.out(), "minikube").contains("v1.37.0"), r.out());
        assertTrue(line(r.out(), "profile").contains("\"minikube\" is running"), r.out());
        assertTrue(line(r.out(), "node ports").contains("80-32767 includes 80"), r.out());
        assertTrue(line(r.out(), "runtime").contains("docker-env points at tcp://127.0.0.1:32770"), r.out());
        assertTrue(line(r.out(), "context").contains("named after the profile"), r.out());
        assertTrue(line(r.out(), "api server").matches(".*" + cluster.mock().url() + " answers: Kubernetes v?\\d.*"),
                r.out());
        assertTrue(line(r.out(), "hosts file").contains(hosts + " is writable"), r.out());
        assertTrue(r.err().contains("ready for devk8s up"), r.err());
    }

    @Test
    void should_fail_with_exit_3_and_the_fix_when_the_profile_is_stopped() {
        var r = cli.env("FIXTURE_MINIKUBE_STATE", "stopped")
                .runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", hosts.toString());
        String profile = line(r.out(), "profile");
        assertTrue(profile.startsWith("fail"), profile);
        assertTrue(profile.contains("is stopped"), profile);
        assertTrue(profile.contains("fix: run `devk8s up --start` or "
                + "`minikube start -p minikube --extra-config=apiserver.service-node-port-range=80-32767`"), profile);
        assertTrue(r.err().contains("1 check failed"), r.err());
    }

    @Test
    void should_fail_with_exit_3_when_minikube_is_not_installed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        var r = cli.env("PATH", empty.toString())
                .runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", hosts.toString());
        String minikube = line(r.out(), "minikube");
        assertTrue(minikube.startsWith("fail"), minikube);
        assertTrue(minikube.contains("minikube not found on PATH; install it from https://minikube.sigs.k8s.io/docs/start/"),
                minikube);
        assertTrue(line(r.out(), "profile").startsWith("skip"), r.out());
        assertTrue(line(r.out(), "java").startsWith("ok"), r.out());
    }

    @Test
    void should_fail_with_the_extra_config_fix_when_port_80_is_outside_the_node_port_range() {
        var r = cli.env("FIXTURE_MINIKUBE_NODE_PORT_RANGE", "none")
                .runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", hosts.toString());
        String ports = line(r.out(), "node ports");
        assertTrue(ports.startsWith("fail"), ports);
        assertTrue(ports.contains("devk8s up --node-port 30080"), ports);
        assertTrue(ports.contains("30000-32767 (Kubernetes' default) does not include 80"), ports);
        assertTrue(ports.contains("minikube start -p minikube --extra-config=apiserver.service-node-port-range=80-32767"),
                ports);
    }

    @Test
    void should_warn_when_the_runtime_is_not_docker() {
        var r = cli.env("FIXTURE_MINIKUBE_RUNTIME", "containerd")
                .runAndExpect(ExitCode.OK, "doctor", "--hosts-file", hosts.toString());
        String runtime = line(r.out(), "runtime");
        assertTrue(runtime.startsWith("warn"), runtime);
        assertTrue(runtime.contains("container runtime is containerd"), runtime);
        assertTrue(runtime.contains("--container-runtime=docker"), runtime);
    }

    @Test
    void should_fail_on_a_foreign_context_unless_it_is_explicitly_allowed() throws IOException {
        kubeconfig("prod");
        var refused = cli.runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", hosts.toString());
        String context = line(refused.out(), "context");
        assertTrue(context.startsWith("fail"), context);
        assertTrue(context.contains("kube context \"prod\" (" + cluster.mock().url()
                        + ") is not Minikube profile \"minikube\"'s"), context);
        assertTrue(line(refused.out(), "api server").startsWith("skip"), refused.out());
        assertTrue(cluster.mock().requests().isEmpty(), "a refused context's API is not called");

        var allowed = cli.runAndExpect(ExitCode.OK, "doctor", "--allow-context", "prod",
                "--hosts-file", hosts.toString());
        assertTrue(line(allowed.out(), "context").contains("allowed with --allow-context"), allowed.out());
    }

    @Test
    void should_pass_a_renamed_context_that_points_at_the_profiles_node() throws IOException {
        kubeconfig("laptop");
        nodeIsTheMock();
        var r = cli.runAndExpect(ExitCode.OK, "doctor", "--hosts-file", hosts.toString());
        assertTrue(line(r.out(), "context").contains("its server is the profile's node"), r.out());
    }

    @Test
    void should_use_the_profile_from_the_environment_or_the_flag_on_every_minikube_call() throws IOException {
        kubeconfig("team");
        nodeIsTheMock();
        cli.env("MINIKUBE_PROFILE", "team").runAndExpect(ExitCode.OK, "doctor", "--hosts-file", hosts.toString());
        List<String> calls = MinikubeFixture.calls(log);
        assertFalse(calls.isEmpty());
        calls.forEach(c -> assertTrue(c.endsWith("-p team"), c));

        Files.delete(log);
        var r = cli.runAndExpect(ExitCode.OK, "doctor", "--profile", "other", "--hosts-file", hosts.toString());
        assertTrue(line(r.out(), "context").contains("its server is the profile's node"), r.out());
        MinikubeFixture.calls(log).forEach(c -> assertTrue(c.endsWith("-p other"), c));
    }

    @Test
    void should_fail_when_the_profile_does_not_exist() {
        var r = cli.env("FIXTURE_MINIKUBE_STATE", "missing")
                .runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", hosts.toString());
        assertTrue(line(r.out(), "profile").contains("\"minikube\" does not exist"), r.out());
        assertTrue(line(r.out(), "node ports").startsWith("skip"), r.out());
    }

    @Test
    void should_fail_when_the_hosts_file_does_not_exist() {
        var r = cli.runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", dir.resolve("nohosts").toString());
        assertTrue(line(r.out(), "hosts file").startsWith("fail"), r.out());
    }

    @Test
    void should_fail_a_hosts_file_that_is_a_directory_a_fifo_or_a_link_loop_naming_what_it_is() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("etc"));
        Path pipe = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor());
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        for (var c : List.of(List.of(folder, "a directory"), List.of(pipe, "a FIFO (named pipe)"),
                List.of(loop, "a symbolic link loop"))) {
            var r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cli.runAndExpect(ExitCode.PRECONDITION,
                    "doctor", "--hosts-file", c.get(0).toString()));
            String hostsLine = line(r.out(), "hosts file");
            assertTrue(hostsLine.startsWith("fail"), r.out());
            assertTrue(hostsLine.contains(c.get(0) + " is " + c.get(1)), r.out());
            assertTrue(hostsLine.contains("not a regular file"), r.out());
        }
        assertFalse(Files.exists(dir.resolve("pipe.devk8s.lock")));
    }

    @Test
    void should_fail_a_hosts_file_with_a_broken_devk8s_block_naming_the_line() throws IOException {
        Files.writeString(hosts, "127.0.0.1 localhost\n# BEGIN devk8s minikube\n10.0.0.1 grafana.minikube\n");
        var r = cli.runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", hosts.toString());
        String hostsLine = line(r.out(), "hosts file");
        assertTrue(hostsLine.startsWith("fail"), r.out());
        assertTrue(hostsLine.contains(hosts + " line 2"), r.out());
        // another profile's block is checked too: its markers must pair up as well
        Files.writeString(hosts, "# END devk8s dev\n");
        var other = cli.runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", hosts.toString());
        assertTrue(line(other.out(), "hosts file").contains("line 1: '# END devk8s dev' without"), other.out());
    }

    @Test
    void should_fail_an_immutable_hosts_file_as_root_without_suggesting_sudo() throws Exception {
        assumeTrue(Sudo.runningAsRoot() && HostsCommandTest.chattr("+i", hosts), "needs root and chattr +i");
        try {
            var r = cli.runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", hosts.toString());
            String hostsLine = line(r.out(), "hosts file");
            assertTrue(hostsLine.startsWith("fail"), r.out());
            assertTrue(hostsLine.contains("lsattr " + hosts), r.out());
            assertFalse(hostsLine.contains("sudo"), r.out());
        } finally {
            HostsCommandTest.chattr("-i", hosts);
        }
    }

    @Test
    void should_print_json_with_one_entry_per_check() throws IOException {
        var r = cli.env("FIXTURE_MINIKUBE_STATE", "stopped")
                .runAndExpect(ExitCode.PRECONDITION, "doctor", "-o", "json", "--hosts-file", hosts.toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertFalse(root.path("ok").asBoolean(true));
        assertEquals(8, root.path("checks").size());
        JsonNode profile = root.path("checks").get(2);
        assertEquals("profile", profile.path("name").asText());
        assertEquals("fail", profile.path("status").asText());
        assertTrue(profile.path("fix").asText().contains("minikube start -p minikube"), profile.toString());
        assertTrue(root.path("checks").get(0).path("fix").isNull());
    }

    @Test
    void should_document_its_flags_in_help() {
        var r = cli.runAndExpect(ExitCode.OK, "doctor", "--help");
        for (String flag : List.of("--profile", "--context", "--allow-context", "--minikube", "--hosts-file", "--output")) {
            assertTrue(r.out().contains(flag), flag + " missing from:\n" + r.out());
        }
    }

    @Test
    void should_fail_with_exit_3_when_the_api_server_does_not_answer() {
        cluster.mock().close(); // the context's server no longer listens
        var r = cli.runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", hosts.toString());
        String api = line(r.out(), "api server");
        assertTrue(api.startsWith("fail"), api);
        assertTrue(api.contains("cannot reach the Kubernetes API of context 'minikube'"), api);
        assertFalse(r.err().contains("ready for devk8s up"), r.err());
        assertTrue(r.err().contains("1 check failed"), r.err());
    }

    @Test
    void should_exit_3_on_a_kubeconfig_that_is_not_yaml_like_up_and_status() throws IOException {
        Files.writeString(cluster.kubeconfig(), "clusters: [unclosed\n");
        for (String command : List.of("doctor", "status", "up")) {
            var r = cli.runAndExpect(ExitCode.PRECONDITION, command, "--hosts-file", hosts.toString());
            assertTrue((r.out() + r.err()).contains(cluster.kubeconfig() + ":"), command + ": " + r.out() + r.err());
        }
    }

    @Test
    void should_refuse_a_profile_name_with_a_space_on_every_cluster_command_and_quote_it() {
        for (String command : List.of("doctor", "status", "up", "down")) {
            var r = cli.runAndExpect(ExitCode.USAGE, command, "-p", "has space", "--hosts-file", hosts.toString());
            assertEquals("error: --profile 'has space' is not a valid profile name; use letters, digits, '.', '_' "
                    + "and '-' (starting with a letter or digit), e.g. --profile minikube", r.errLines(), command);
        }
        assertEquals(List.of(), MinikubeFixture.calls(log), "refused before minikube runs");
    }
}
