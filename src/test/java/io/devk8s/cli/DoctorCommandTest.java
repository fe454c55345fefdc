package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code devk8s doctor} through the real CLI, with the minikube stand-in first on PATH. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DoctorCommandTest {
    @TempDir
    Path dir;

    private CliRunner cli;
    private Path hosts;
    private Path log;

    @BeforeEach
    void setUp() throws IOException {
        Path bin = MinikubeFixture.install(dir);
        Path home = Files.createDirectories(dir.resolve("home"));
        log = dir.resolve("minikube.log");
        hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfig("minikube", "https://192.168.49.2:8443"));
        cli = new CliRunner()
                .env("PATH", MinikubeFixture.pathWith(bin))
                .env("HOME", home.toString())
                .env("KUBECONFIG", kubeconfig.toString())
                .env("FIXTURE_MINIKUBE_LOG", log.toString());
    }

    private static String kubeconfig(String context, String server) {
        return """
                apiVersion: v1
                kind: Config
                current-context: %s
                clusters:
                - name: %s
                  cluster: {server: "%s"}
                contexts:
                - name: %s
                  context: {cluster: %s, user: %s}
                users:
                - name: %s
                  user: {token: t}
                """.formatted(context, context, server, context, context, context, context);
    }

    private static String line(String out, String check) {
        return out.lines().filter(l -> l.matches("^\\w+\\s+" + check + "\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + check + "' line in:\n" + out));
    }

    @Test
    void should_pass_every_check_on_a_running_docker_profile_with_port_80() {
        var r = cli.runAndExpect(ExitCode.OK, "doctor", "--hosts-file", hosts.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(7, lines.size(), r.out());
        for (String l : lines) {
            assertTrue(l.startsWith("ok "), l);
        }
        assertTrue(line(r.out(), "minikube").contains("v1.37.0"), r.out());
        assertTrue(line(r.out(), "profile").contains("\"minikube\" is running"), r.out());
        assertTrue(line(r.out(), "node ports").contains("80-32767 includes 80"), r.out());
        assertTrue(line(r.out(), "runtime").contains("docker-env points at tcp://127.0.0.1:32770"), r.out());
        assertTrue(line(r.out(), "context").contains("named after the profile"), r.out());
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
        Files.writeString(dir.resolve("kubeconfig"), kubeconfig("prod", "https://35.1.2.3"));
        var refused = cli.runAndExpect(ExitCode.PRECONDITION, "doctor", "--hosts-file", hosts.toString());
        String context = line(refused.out(), "context");
        assertTrue(context.startsWith("fail"), context);
        assertTrue(context.contains("kube context \"prod\" (https://35.1.2.3) is not Minikube profile \"minikube\"'s"),
                context);

        var allowed = cli.runAndExpect(ExitCode.OK, "doctor", "--allow-context", "prod",
                "--hosts-file", hosts.toString());
        assertTrue(line(allowed.out(), "context").contains("allowed with --allow-context"), allowed.out());
    }

    @Test
    void should_pass_a_renamed_context_that_points_at_the_profiles_node() throws IOException {
        Files.writeString(dir.resolve("kubeconfig"), kubeconfig("laptop", "https://192.168.49.2:8443"));
        var r = cli.runAndExpect(ExitCode.OK, "doctor", "--hosts-file", hosts.toString());
        assertTrue(line(r.out(), "context").contains("its server is the profile's node"), r.out());
    }

    @Test
    void should_use_the_profile_from_the_environment_or_the_flag_on_every_minikube_call() throws IOException {
        Files.writeString(dir.resolve("kubeconfig"), kubeconfig("team", "https://192.168.49.2:8443"));
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
    void should_print_json_with_one_entry_per_check() throws IOException {
        var r = cli.env("FIXTURE_MINIKUBE_STATE", "stopped")
                .runAndExpect(ExitCode.PRECONDITION, "doctor", "-o", "json", "--hosts-file", hosts.toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertFalse(root.path("ok").asBoolean(true));
        assertEquals(7, root.path("checks").size());
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
}
