package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Environment;
import io.devk8s.support.TcpRelay;
import io.devk8s.support.TestDockerEngine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build context sent to the real engine's TLS listener (the one scripts/test.sh starts, like Minikube's) through a
 * relay in this test that reads the TLS record headers on the way: the context arrives whole, in full records.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CoalescingTlsIT {
    @TempDir
    Path home;

    @Test
    void should_send_a_build_context_in_full_tls_records_and_the_engine_should_receive_it_whole() throws Exception {
        URI engine = URI.create(TestDockerEngine.tlsHost());
        Path ctx = Files.createDirectories(home.resolve("ctx"));
        byte[] data = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(data);
        Files.write(ctx.resolve("data.bin"), data);
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY data.bin /\nCMD [\"/none\"]\n");
        String tag = "devk8s-it/coalesced:" + UUID.randomUUID().toString().substring(0, 8);
        try (TcpRelay relay = new TcpRelay(engine.getHost(), engine.getPort())) {
            Environment env = TestDockerEngine.cleanEnvironment(home, Map.of(
                    "DOCKER_HOST", "tcp://127.0.0.1:" + relay.port(), "DOCKER_TLS_VERIFY", "1",
                    "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString()));
            try (DockerDaemon daemon = DockerDaemon.connect(DockerEngine.fromEnvironment(env))) {
                relay.resetCounts();
                daemon.build(BuildContext.scan(ctx, "Dockerfile"),
                        new DockerDaemon.BuildRequest(List.of(tag), Map.of(), "", Map.of()), line -> { });
            }
            long bytes = relay.dataBytes.get();
            int records = relay.dataRecords.get();
            assertTrue(bytes > data.length, "the whole context went through: " + bytes);
            // 4 KiB chunks written one by one made records of 4 to 8 KiB on average; coalesced, most are 16 KiB
            assertTrue(bytes / records > 12 * 1024, records + " records for " + bytes + " bytes");
            // the file in the image is the one sent
            String container = "devk8s-it-coalesced-" + UUID.randomUUID().toString().substring(0, 8);
            var created = TestDockerEngine.cli("docker", home, home.resolve(".docker"), "create", "--name", container,
                    tag);
            assertEquals(0, created.exitCode(), created.describe());
            var copied = TestDockerEngine.cli("docker", home, home.resolve(".docker"), "cp", container + ":/data.bin",
                    home.resolve("out.bin").toString());
            TestDockerEngine.cli("docker", home, home.resolve(".docker"), "rm", "-f", container);
            assertEquals(0, copied.exitCode(), copied.describe());
            assertEquals(sha256(data), sha256(Files.readAllBytes(home.resolve("out.bin"))));
        } finally {
            TestDockerEngine.cli("docker", home, home.resolve(".docker"), "image", "rm", "-f", tag);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
