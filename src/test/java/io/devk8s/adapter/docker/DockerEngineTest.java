package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which engine the settings point at; reaching a real engine is in {@link DockerEngineIT}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DockerEngineTest {
    @TempDir
    Path home;

    private Environment env(String... keyValues) {
        Map<String, String> vars = new HashMap<>();
        vars.put("HOME", home.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            vars.put(keyValues[i], keyValues[i + 1]);
        }
        return new Environment(vars, home);
    }

    private static final Map<String, String> MINIKUBE = Map.of(
            "DOCKER_TLS_VERIFY", "1",
            "DOCKER_HOST", "tcp://192.168.49.2:2376",
            "DOCKER_CERT_PATH", "/home/dev/.minikube/certs",
            "MINIKUBE_ACTIVE_DOCKERD", "minikube");

    @Test
    void should_default_to_the_local_socket_without_tls() {
        var s = DockerEngine.fromEnvironment(env()).settings();
        assertEquals("unix:///var/run/docker.sock", s.host());
        assertFalse(s.tlsVerify());
        assertEquals(Optional.empty(), s.certPath());
        assertEquals(DockerEngine.Source.ENVIRONMENT, s.source());
    }

    @Test
    void should_treat_an_empty_DOCKER_HOST_as_unset() {
        assertEquals(DockerEngine.DEFAULT_HOST, DockerEngine.fromEnvironment(env("DOCKER_HOST", "")).settings().host());
    }

    @Test
    void should_read_tls_settings_from_the_environment_like_the_docker_cli() {
        var s = DockerEngine.fromEnvironment(env("DOCKER_HOST", "tcp://10.0.0.5:2376", "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", "certs")).settings();
        assertEquals("tcp://10.0.0.5:2376", s.host());
        assertTrue(s.tlsVerify());
        assertEquals(Optional.of(home.resolve("certs")), s.certPath(), "relative to the working directory");
    }

    @Test
    void should_default_the_cert_path_to_dot_docker_when_tls_is_on() {
        var s = DockerEngine.fromEnvironment(env("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1")).settings();
        assertEquals(Optional.of(home.resolve(".docker")), s.certPath());
    }

    @Test
    void should_not_verify_tls_when_DOCKER_TLS_VERIFY_is_0() {
        var s = DockerEngine.fromEnvironment(env("DOCKER_HOST", "tcp://h:2375", "DOCKER_TLS_VERIFY", "0")).settings();
        assertFalse(s.tlsVerify());
    }

    @Test
    void should_use_minikubes_engine_when_DOCKER_HOST_is_not_set() {
        var s = DockerEngine.fromMinikube(MINIKUBE, env()).settings();
        assertEquals("tcp://192.168.49.2:2376", s.host());
        assertTrue(s.tlsVerify());
        assertEquals(Optional.of(Path.of("/home/dev/.minikube/certs")), s.certPath());
        assertEquals(DockerEngine.Source.MINIKUBE, s.source());
    }

    @Test
    void should_let_an_explicit_DOCKER_HOST_win_over_minikube_with_its_own_tls_settings() {
        var s = DockerEngine.fromMinikube(MINIKUBE, env("DOCKER_HOST", "unix:///run/user/1000/docker.sock")).settings();
        assertEquals("unix:///run/user/1000/docker.sock", s.host());
        assertFalse(s.tlsVerify(), "minikube's DOCKER_TLS_VERIFY must not leak into the user's engine");
        assertEquals(DockerEngine.Source.ENVIRONMENT, s.source());
    }

    @Test
    void should_refuse_minikube_output_without_DOCKER_HOST_with_one_line() {
        var e = assertThrows(Devk8sException.class, () -> DockerEngine.fromMinikube(Map.of(), env()));
        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertTrue(e.getMessage().contains("minikube docker-env"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void should_name_the_missing_certificate_file_before_connecting() throws Exception {
        Path certs = Files.createDirectories(home.resolve("certs"));
        Files.writeString(certs.resolve("ca.pem"), "x");
        Files.writeString(certs.resolve("cert.pem"), "x");
        var minikube = new HashMap<>(MINIKUBE);
        minikube.put("DOCKER_CERT_PATH", certs.toString());
        try (var engine = DockerEngine.fromMinikube(minikube, env())) {
            var e = assertThrows(Devk8sException.class, engine::ping);
            assertEquals(ExitCode.PRECONDITION, e.exitCode());
            assertTrue(e.getMessage().contains("DOCKER_CERT_PATH=" + certs), e.getMessage());
            assertTrue(e.getMessage().contains("key.pem"), e.getMessage());
            assertTrue(e.getMessage().contains("minikube docker-env"), e.getMessage());
        }
    }

    @Test
    void should_name_an_unreadable_certificate_file_in_one_line_before_connecting() throws Exception {
        Path certs = Files.createDirectories(home.resolve("bad-certs"));
        Files.writeString(certs.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n");
        Files.writeString(certs.resolve("cert.pem"), "x");
        Files.writeString(certs.resolve("key.pem"), "x");
        var minikube = new HashMap<>(MINIKUBE);
        minikube.put("DOCKER_CERT_PATH", certs.toString());
        try (var engine = DockerEngine.fromMinikube(minikube, env())) {
            var e = assertThrows(Devk8sException.class, engine::ping);
            assertEquals(ExitCode.PRECONDITION, e.exitCode());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().startsWith("DOCKER_CERT_PATH=" + certs + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("ca.pem cannot be used (the PEM block CERTIFICATE has no END line)"), e.getMessage());
            assertTrue(e.getMessage().contains("minikube docker-env"), e.getMessage());
        }
    }

    @Test
    void should_reject_a_DOCKER_HOST_it_cannot_use_with_one_line_and_the_right_form() {
        for (String host : new String[] {"ssh://dev@build-box", "127.0.0.1:2375", "tcp://[bad", "tcp://", "http://h:1"}) {
            var e = assertThrows(Devk8sException.class, () -> DockerEngine.fromEnvironment(env("DOCKER_HOST", host)), host);
            assertEquals(ExitCode.USAGE, e.exitCode(), host);
            assertTrue(e.getMessage().contains("DOCKER_HOST=" + host), e.getMessage());
            assertTrue(e.getMessage().contains("tcp://HOST:PORT"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void should_say_when_a_bad_DOCKER_HOST_came_from_minikube() {
        var e = assertThrows(Devk8sException.class,
                () -> DockerEngine.fromMinikube(Map.of("DOCKER_HOST", "192.168.49.2:2376"), env()));
        assertTrue(e.getMessage().startsWith("minikube docker-env printed DOCKER_HOST=192.168.49.2:2376"), e.getMessage());
    }

    @Test
    void should_say_the_cert_folder_is_missing_rather_than_that_certificates_changed() throws Exception {
        Path missing = home.resolve("no-such-certs");
        var fromMinikube = DockerEngine.fromMinikube(Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_HOST",
                "tcp://127.0.0.1:1", "DOCKER_CERT_PATH", missing.toString()), env());
        var e = assertThrows(io.devk8s.Devk8sException.class, fromMinikube::ping);
        assertEquals(io.devk8s.ExitCode.PRECONDITION, e.exitCode());
        assertEquals("DOCKER_CERT_PATH=" + missing + " is not a folder (it does not exist): minikube keeps its client "
                + "certificates there; check MINIKUBE_HOME and that the profile was started (minikube start), then "
                + "retry", e.getMessage());

        java.nio.file.Files.createDirectories(missing);
        var e2 = assertThrows(io.devk8s.Devk8sException.class, fromMinikube::ping);
        assertTrue(e2.getMessage().startsWith("DOCKER_CERT_PATH=" + missing + " has no readable ca.pem"), e2.getMessage());

        var fromEnv = DockerEngine.fromEnvironment(env("DOCKER_HOST", "tcp://127.0.0.1:1", "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", home.resolve("elsewhere").toString()));
        var e3 = assertThrows(io.devk8s.Devk8sException.class, fromEnv::ping);
        assertTrue(e3.getMessage().endsWith("point DOCKER_CERT_PATH at the folder with ca.pem, cert.pem and key.pem"),
                e3.getMessage());
    }

    @Test
    void should_name_a_broken_docker_client_config_file_and_its_fix_in_one_line() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(home.resolve(".docker"));
        java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"auths\": {\"r.example\": {\"auth\": \"not base64!\"}}}");
        var engine = DockerEngine.fromEnvironment(env("DOCKER_HOST", "unix:///nonexistent/docker.sock"));
        io.devk8s.Devk8sException e = org.junit.jupiter.api.Assertions.assertThrows(io.devk8s.Devk8sException.class,
                engine::client);
        assertEquals(io.devk8s.ExitCode.USAGE, e.exitCode());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("cannot read the Docker client "
                + "configuration " + dir.resolve("config.json") + " ("), e.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().endsWith("or point DOCKER_CONFIG at another folder"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
