package io.devk8s.support;

import static org.junit.jupiter.api.Assertions.fail;

import io.devk8s.Environment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real Docker engine that {@code scripts/test.sh} starts for the integration tests: a unix socket and a
 * TLS listener with Minikube-style certificates. Tests that need it fail (never skip) when it is absent.
 */
public final class TestDockerEngine {
    public static final String HOST = "DEVK8S_TEST_DOCKER_HOST";
    public static final String TLS_HOST = "DEVK8S_TEST_DOCKER_TLS_HOST";
    public static final String CERT_PATH = "DEVK8S_TEST_DOCKER_CERT_PATH";

    private TestDockerEngine() {}

    /** {@code unix:///.../docker.sock}: the engine without TLS. */
    public static String unixHost() {
        return require(HOST);
    }

    /** {@code tcp://127.0.0.1:PORT}: the same engine behind TLS that verifies client certificates. */
    public static String tlsHost() {
        return require(TLS_HOST);
    }

    /** The folder with {@code ca.pem}, {@code cert.pem} and {@code key.pem}, like {@code ~/.minikube/certs}. */
    public static Path certPath() {
        return Path.of(require(CERT_PATH));
    }

    /** An environment with no DOCKER_* variables (tests add their own), HOME in {@code home}. */
    public static Environment cleanEnvironment(Path home, Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>();
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("DOCKER") && !k.startsWith("MINIKUBE")) {
                vars.put(k, v);
            }
        });
        vars.put("HOME", home.toString());
        vars.putAll(extra);
        return new Environment(vars, home);
    }

    private static String require(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            fail(name + " is not set: run the tests with scripts/test.sh, which starts a Docker engine for them");
        }
        return value;
    }

    /**
     * Runs the docker CLI {@code executable} (e.g. {@code docker}) against the test engine's unix socket, with a
     * private client config folder {@code dockerConfig} and none of the caller's {@code DOCKER_*} variables.
     */
    public static Processes.Result cli(String executable, Path workDir, Path dockerConfig, String... args) {
        try {
            Map<String, String> env = new java.util.HashMap<>(System.getenv());
            env.keySet().removeIf(k -> k.startsWith("DOCKER"));
            env.put("DOCKER_HOST", unixHost());
            env.put("DOCKER_CONFIG", dockerConfig.toString());
            List<String> cmd = new java.util.ArrayList<>();
            cmd.add(executable);
            cmd.addAll(List.of(args));
            return Processes.run(cmd, env, workDir, "docker-" + java.util.UUID.randomUUID());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Copies the engine's client certificates to {@code HOME/.minikube/certs}, where the minikube stand-in's
     * {@code docker-env} points (as minikube's own does); returns that folder.
     */
    public static Path minikubeCerts(Path home) throws java.io.IOException {
        Path certs = java.nio.file.Files.createDirectories(home.resolve(".minikube/certs"));
        for (String f : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
            java.nio.file.Files.copy(certPath().resolve(f), certs.resolve(f));
        }
        return certs;
    }

    /**
     * Builds {@code tag} in the daemon: busybox-static's {@code /bin/busybox} on {@code scratch}, then the extra
     * Dockerfile lines; its context is made in {@code dir} (no registry is reachable, so every base image starts here).
     */
    public static void buildBusyboxBase(io.devk8s.adapter.docker.DockerDaemon daemon, Path dir, String tag,
            String... extraLines) throws java.io.IOException {
        Path ctx = java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"));
        StringBuilder dockerfile = new StringBuilder("FROM scratch\nCOPY busybox /bin/busybox\n");
        for (String line : extraLines) {
            dockerfile.append(line).append('\n');
        }
        java.nio.file.Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        daemon.build(io.devk8s.adapter.docker.BuildContext.scan(ctx, "Dockerfile"),
                new io.devk8s.adapter.docker.DockerDaemon.BuildRequest(List.of(tag), Map.of(), "", Map.of()),
                line -> { });
    }
}
