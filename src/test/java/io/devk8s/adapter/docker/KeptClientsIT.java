package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Environment;
import io.devk8s.support.TcpRelay;
import io.devk8s.support.TestDockerEngine;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker clients kept between the background process's commands, against the real engine's TLS listener (the one
 * scripts/test.sh starts, like Minikube's), reached through a TCP relay in this test that counts the connections
 * opened and can cut them all, as an engine restart does.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KeptClientsIT {
    @TempDir
    Path home;

    private TcpRelay relay;
    private Environment env;

    @BeforeEach
    void keep() throws Exception {
        URI engine = URI.create(TestDockerEngine.tlsHost());
        relay = new TcpRelay(engine.getHost(), engine.getPort());
        Path certs = Files.createDirectories(home.resolve("certs"));
        for (String f : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
            Files.copy(TestDockerEngine.certPath().resolve(f), certs.resolve(f));
        }
        env = TestDockerEngine.cleanEnvironment(home, Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + relay.port(),
                "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString()));
        KeptClients.keepBetweenCommands();
    }

    @AfterEach
    void stop() throws IOException {
        KeptClients.stopKeeping();
        relay.close();
    }

    private DockerDaemon.Info connectAndList(boolean reused) {
        DockerEngine engine = DockerEngine.fromEnvironment(env);
        try (DockerDaemon daemon = DockerDaemon.connect(engine)) {
            assertEquals(reused, engine.reusesClient());
            assertTrue(daemon.findImageByLabel("devk8s.io/none", "x").isEmpty());
            return daemon.info();
        }
    }

    @Test
    void should_reuse_the_connection_of_an_earlier_command_to_the_same_engine() {
        connectAndList(false);
        int opened = relay.accepted.get();
        assertTrue(opened >= 1, "the first command connected");
        connectAndList(true);
        connectAndList(true);
        assertEquals(opened, relay.accepted.get(), "later commands opened no new connection (no TLS handshake)");
    }

    @Test
    void should_connect_afresh_when_the_engine_dropped_the_kept_connection() {
        DockerDaemon.Info before = connectAndList(false);
        relay.cutAll(); // what a restarted engine does to an idle connection
        int opened = relay.accepted.get();
        DockerEngine engine = DockerEngine.fromEnvironment(env);
        try (DockerDaemon daemon = DockerDaemon.connect(engine)) {
            assertEquals(before.apiVersion(), daemon.info().apiVersion());
            assertTrue(daemon.findImageByLabel("devk8s.io/none", "x").isEmpty());
        }
        assertTrue(relay.accepted.get() > opened, "a new connection was opened");
        connectAndList(true); // and that one is kept in turn
    }

    @Test
    void should_not_reuse_a_client_once_the_certificates_changed() throws Exception {
        connectAndList(false);
        int opened = relay.accepted.get();
        Path cert = home.resolve("certs/cert.pem");
        Files.writeString(cert, Files.readString(cert) + "\n"); // renewed in place: other bytes, same folder
        connectAndList(false);
        assertTrue(relay.accepted.get() > opened, "a new connection with the new certificates");
    }

    @Test
    void should_keep_nothing_in_a_process_that_runs_one_command() {
        KeptClients.stopKeeping();
        connectAndList(false);
        connectAndList(false);
        assertFalse(relay.accepted.get() < 2, "each command connected");
    }
}
