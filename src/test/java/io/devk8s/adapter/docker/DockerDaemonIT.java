package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.TestDockerEngine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minikube's daemon reached the way {@code devk8s deploy} reaches it: {@code minikube -p PROFILE docker-env
 * --shell none} (the minikube stand-in, pointed at the TLS listener of the real engine scripts/test.sh starts,
 * with its certificates under {@code ~/.minikube/certs}), then TLS and API version negotiation.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DockerDaemonIT {
    @TempDir
    Path home;

    private Environment minikubeEnvironment(Map<String, String> fixture) throws Exception {
        Path bin = MinikubeFixture.install(home);
        TestDockerEngine.minikubeCerts(home);
        Map<String, String> vars = new HashMap<>();
        vars.put("PATH", MinikubeFixture.pathWith(bin));
        vars.put("FIXTURE_MINIKUBE_DOCKER_PORT", String.valueOf(URI.create(TestDockerEngine.tlsHost()).getPort()));
        vars.put("FIXTURE_MINIKUBE_LOG", home.resolve("minikube.log").toString());
        vars.putAll(fixture);
        return TestDockerEngine.cleanEnvironment(home, vars);
    }

    @Test
    void should_connect_through_minikube_docker_env_with_tls_and_a_negotiated_api_version() throws Exception {
        Environment env = minikubeEnvironment(Map.of());
        MinikubeCli minikube = new MinikubeCli(new ProcessRunner(env), "dev", null);
        try (DockerDaemon daemon = DockerDaemon.ofMinikube(minikube, env)) {
            assertEquals(TestDockerEngine.tlsHost(), daemon.settings().host());
            assertTrue(daemon.settings().tlsVerify());
            assertEquals(DockerEngine.Source.MINIKUBE, daemon.settings().source());
            assertTrue(daemon.info().apiVersion().matches("1\\.\\d+"), daemon.info().toString());
            assertTrue(DockerDaemon.compare(daemon.info().apiVersion(), DockerDaemon.CLIENT_MAX_API) <= 0);
            assertFalse(daemon.info().targetArch().isBlank());
            assertTrue(daemon.findImageByLabel("devk8s.io/none", "x").isEmpty());
        }
        assertTrue(MinikubeFixture.calls(home.resolve("minikube.log")).contains("docker-env --shell none -p dev"),
                MinikubeFixture.calls(home.resolve("minikube.log")).toString());
    }

    @Test
    void should_say_in_one_line_that_a_containerd_profile_builds_with_minikube_image_build() throws Exception {
        Environment env = minikubeEnvironment(Map.of("FIXTURE_MINIKUBE_RUNTIME", "containerd"));
        MinikubeCli minikube = new MinikubeCli(new ProcessRunner(env), "dev", null);
        Devk8sException e = assertThrows(Devk8sException.class, () -> DockerDaemon.ofMinikube(minikube, env));
        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("containerd"), e.getMessage());
        assertTrue(e.getMessage().contains("minikube -p dev image build"), e.getMessage());
    }

    @Test
    void should_fail_in_one_line_naming_the_host_when_the_certificates_do_not_fit() throws Exception {
        Environment env = minikubeEnvironment(Map.of());
        // another CA's files in ~/.minikube/certs: the engine's certificate no longer verifies
        Path certs = home.resolve(".minikube/certs");
        Files.delete(certs.resolve("ca.pem"));
        Files.copy(certs.resolve("cert.pem"), certs.resolve("ca.pem"));
        MinikubeCli minikube = new MinikubeCli(new ProcessRunner(env), "dev", null);
        Devk8sException e = assertThrows(Devk8sException.class, () -> DockerDaemon.ofMinikube(minikube, env));
        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(TestDockerEngine.tlsHost()), e.getMessage());
        assertTrue(e.getMessage().contains("minikube docker-env"), e.getMessage());
    }
}
