package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.support.TestDockerEngine;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real engine scripts/test.sh starts: over its unix socket and over Minikube-style TLS. */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DockerEngineIT {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir
    Path home;

    private Environment env(Map<String, String> vars) {
        return TestDockerEngine.cleanEnvironment(home, vars);
    }

    private static Map<String, String> minikubeDockerEnv(String host, Path certs) {
        // exactly the keys `minikube docker-env --shell none` prints
        return Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_HOST", host, "DOCKER_CERT_PATH", certs.toString(),
                "MINIKUBE_ACTIVE_DOCKERD", "minikube");
    }

    @Test
    void should_ping_report_the_version_and_build_an_image_over_the_unix_socket() throws Exception {
        try (DockerEngine engine = DockerEngine.fromEnvironment(env(Map.of("DOCKER_HOST", TestDockerEngine.unixHost())))) {
            engine.ping();
            assertTrue(engine.version().matches("\\d+\\.\\d+.*"), engine.version());
            assertEquals(DockerEngine.Source.ENVIRONMENT, engine.settings().source());
            buildAndRemoveBusyboxImage(engine);
        }
    }

    @Test
    void should_ping_report_the_version_and_build_an_image_over_tls_with_minikube_certificates() throws Exception {
        Path certs = TestDockerEngine.certPath();
        String key = Files.readString(certs.resolve("key.pem"));
        assertTrue(key.startsWith("-----BEGIN RSA PRIVATE KEY-----"), "the client key must be PKCS#1 like minikube's");
        try (DockerEngine engine = DockerEngine.fromMinikube(
                minikubeDockerEnv(TestDockerEngine.tlsHost(), certs), env(Map.of()))) {
            assertEquals(DockerEngine.Source.MINIKUBE, engine.settings().source());
            assertTrue(engine.settings().tlsVerify());
            engine.ping();
            assertTrue(engine.version().matches("\\d+\\.\\d+.*"), engine.version());
            buildAndRemoveBusyboxImage(engine);
        }
    }

    @Test
    void should_use_an_explicit_DOCKER_HOST_instead_of_minikubes_engine() {
        // minikube's engine here is unreachable: only the explicit DOCKER_HOST can answer the ping
        Map<String, String> minikube = minikubeDockerEnv("tcp://127.0.0.1:" + closedPort(), TestDockerEngine.certPath());
        try (DockerEngine engine = DockerEngine.fromMinikube(minikube,
                env(Map.of("DOCKER_HOST", TestDockerEngine.unixHost())))) {
            engine.ping();
            assertEquals(TestDockerEngine.unixHost(), engine.settings().host());
            assertEquals(DockerEngine.Source.ENVIRONMENT, engine.settings().source());
        }
    }

    @Test
    void should_fail_with_one_line_when_the_ca_does_not_match_the_engine() throws Exception {
        Path certs = Files.createDirectories(home.resolve("other-certs"));
        Files.copy(TestDockerEngine.certPath().resolve("cert.pem"), certs.resolve("cert.pem"));
        Files.copy(TestDockerEngine.certPath().resolve("key.pem"), certs.resolve("key.pem"));
        Files.writeString(certs.resolve("ca.pem"), otherCaPem());

        try (DockerEngine engine = DockerEngine.fromMinikube(minikubeDockerEnv(TestDockerEngine.tlsHost(), certs),
                env(Map.of()))) {
            Devk8sException e = assertThrows(Devk8sException.class, engine::ping);
            assertEquals(ExitCode.PRECONDITION, e.exitCode());
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().contains("DOCKER_CERT_PATH=" + certs), e.getMessage());
            assertTrue(e.getMessage().contains("do not match"), e.getMessage());
            assertTrue(e.getMessage().contains("minikube docker-env"), e.getMessage());
        }
    }

    @Test
    void should_fail_with_one_line_naming_DOCKER_HOST_when_nothing_listens_on_the_port() {
        String host = "tcp://127.0.0.1:" + closedPort();
        try (DockerEngine engine = DockerEngine.fromEnvironment(env(Map.of("DOCKER_HOST", host)))) {
            Devk8sException e = assertThrows(Devk8sException.class, engine::version);
            assertEquals(ExitCode.PRECONDITION, e.exitCode());
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().contains("DOCKER_HOST=" + host), e.getMessage());
            assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
            assertTrue(e.getMessage().contains("start Docker"), e.getMessage());
        }
    }

    @Test
    void should_fail_with_one_line_naming_DOCKER_HOST_when_the_socket_does_not_exist() {
        String host = "unix://" + home.resolve("no-such-docker.sock");
        try (DockerEngine engine = DockerEngine.fromEnvironment(env(Map.of("DOCKER_HOST", host)))) {
            Devk8sException e = assertThrows(Devk8sException.class, engine::ping);
            assertEquals(ExitCode.PRECONDITION, e.exitCode());
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().contains("DOCKER_HOST=" + host), e.getMessage());
            assertTrue(e.getMessage().contains("no socket there"), e.getMessage());
        }
    }

    private void buildAndRemoveBusyboxImage(DockerEngine engine) throws IOException {
        if (!Files.isRegularFile(BUSYBOX)) {
            fail(BUSYBOX + " is missing: install busybox-static (scripts/test.sh does)");
        }
        Path context = Files.createDirectories(home.resolve("context-" + UUID.randomUUID()));
        Files.copy(BUSYBOX, context.resolve("busybox"));
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\n");
        String tag = "devk8s-it/busybox:" + UUID.randomUUID().toString().substring(0, 8);
        var client = engine.client();
        try {
            String id = client.buildImageCmd(context.toFile()).withTags(Set.of(tag)).withPull(false)
                    .exec(new BuildImageResultCallback()).awaitImageId();
            var image = client.inspectImageCmd(tag).exec();
            assertTrue(image.getId().contains(id), image.getId() + " vs " + id);
            assertTrue(image.getSize() >= Files.size(BUSYBOX), "image size " + image.getSize());
        } finally {
            try {
                client.removeImageCmd(tag).withForce(true).exec();
            } catch (NotFoundException ignored) {
                // the build failed before tagging; the assertion above already says why
            }
        }
        assertThrows(NotFoundException.class, () -> client.inspectImageCmd(tag).exec());
    }

    private static void assertOneLine(String message) {
        assertFalse(message.isBlank());
        assertFalse(message.contains("\n") || message.contains("\r"), "not one line: " + message);
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA that did not sign the engine's certificate. */
    private static String otherCaPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=Some Other CA");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name,
                pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())).getEncoded();
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }
}
