package io.devk8s.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A real Docker registry (Debian's {@code docker-registry}, the distribution project's {@code registry serve}) on a
 * free port of 127.0.0.1, storing in the test's folder; optionally with htpasswd basic auth (bcrypt, as the
 * registry requires, hashed here). Plain HTTP: the Docker daemon treats registries on localhost as insecure and
 * talks HTTP to them without configuration. Stopped by {@link #close()}.
 */
public final class TestRegistry implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final String MANIFEST_TYPES = String.join(", ",
            "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private final Process process;
    private final int port;
    private final Path log;
    private final Optional<String> basicAuth;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestRegistry(Process process, int port, Path log, Optional<String> basicAuth) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.basicAuth = basicAuth;
    }

    /** Starts a registry without auth. */
    public static TestRegistry start(Path dir) throws Exception {
        return start(dir, null, null);
    }

    /** Starts a registry that accepts only {@code user}/{@code password} (both null: no auth). */
    public static TestRegistry start(Path dir, String user, String password) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " is missing: install the docker-registry package (scripts/test.sh does)");
        }
        Path root = Files.createDirectories(dir.resolve("registry-" + System.nanoTime()));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StringBuilder config = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: info\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(root.resolve("data")).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        Optional<String> basic = Optional.empty();
        if (user != null) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5);
            Path htpasswd = Files.writeString(root.resolve("htpasswd"), user + ":" + hash + "\n");
            config.append("auth:\n  htpasswd:\n    realm: devk8s-test\n    path: ").append(htpasswd).append('\n');
            basic = Optional.of("Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        Path configFile = Files.writeString(root.resolve("config.yml"), config.toString());
        Path log = root.resolve("registry.log");
        Process p = new ProcessBuilder(BINARY.toString(), "serve", configFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestRegistry registry = new TestRegistry(p, port, log, basic);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("docker-registry exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try {
                int code = registry.get("/v2/", null).statusCode();
                if (code == 200 || code == 401) {
                    return registry;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        registry.close();
        fail("docker-registry did not answer on 127.0.0.1:" + port + " within 20 s: " + Files.readString(log));
        return registry;
    }

    /** {@code localhost:PORT}, as an image reference names it. */
    public String host() {
        return "localhost:" + port;
    }

    /** The manifest digest the registry serves for {@code repository:tag} ({@code Docker-Content-Digest}), if any. */
    public Optional<String> digest(String repository, String tag) throws Exception {
        HttpResponse<String> r = get("/v2/" + repository + "/manifests/" + tag, MANIFEST_TYPES);
        if (r.statusCode() != 200) {
            return Optional.empty();
        }
        return r.headers().firstValue("Docker-Content-Digest");
    }

    /** The status of {@code GET /v2/} without credentials: 401 when auth is on. */
    public int anonymousStatus() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        basicAuth.ifPresent(a -> b.header("Authorization", a));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
