package io.devk8s.adapter.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.tls.CoalescingTls;
import io.devk8s.adapter.tls.PemTls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The Docker engine devk8s builds images with: the host's engine, or the one inside Minikube.
 *
 * <p>It is configured from the same variables the docker CLI reads ({@code DOCKER_HOST},
 * {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}), the keys {@code minikube docker-env --shell none}
 * prints. Every failure to reach the engine becomes a one-line {@link Devk8sException} that names the
 * engine address and the fix.
 */
public final class DockerEngine implements AutoCloseable {
    public static final String DOCKER_HOST = "DOCKER_HOST";
    public static final String DOCKER_TLS_VERIFY = "DOCKER_TLS_VERIFY";
    public static final String DOCKER_CERT_PATH = "DOCKER_CERT_PATH";
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);

    /** Where the settings came from: tells the user which fix applies. */
    public enum Source {
        /** DOCKER_HOST (or its default) in the process environment. */
        ENVIRONMENT,
        /** {@code minikube docker-env}: the engine inside the Minikube node. */
        MINIKUBE
    }

    /** What a client needs to reach an engine; {@code certPath} is set when TLS is verified. */
    public record Settings(String host, boolean tlsVerify, Optional<Path> certPath, Source source) {
        public Settings {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host");
            }
        }

        @Override
        public String toString() {
            return DOCKER_HOST + "=" + host + (tlsVerify ? " (TLS, " + DOCKER_CERT_PATH + "="
                    + certPath.map(Path::toString).orElse("") + ")" : "");
        }
    }

    private final Settings settings;
    private final Path dockerConfigDir;
    private DockerClient client;
    private KeptClients.Lease keptEntry;
    private KeptClients keptBy;
    private boolean noKeeping;

    /** The folder of the Docker CLI's config.json for the command's environment. */
    Path dockerConfigDir() {
        return dockerConfigDir;
    }

    private DockerEngine(Settings settings, Path dockerConfigDir) {
        this.settings = settings;
        this.dockerConfigDir = dockerConfigDir;
    }

    /**
     * The engine the process environment points at, like the docker CLI: {@code DOCKER_HOST}, else
     * {@value #DEFAULT_HOST}.
     */
    public static DockerEngine fromEnvironment(Environment env) {
        return new DockerEngine(settings(env.variables()::get, Source.ENVIRONMENT, env), dockerConfigDir(env));
    }

    /**
     * The engine inside Minikube, from the variables {@code minikube docker-env --shell none} printed. An
     * explicit {@code DOCKER_HOST} in the process environment wins over Minikube's (the user chose that
     * engine on purpose), together with its own {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}.
     */
    public static DockerEngine fromMinikube(Map<String, String> minikubeDockerEnv, Environment env) {
        if (env.get(DOCKER_HOST).isPresent()) {
            return fromEnvironment(env);
        }
        Map<String, String> vars = new HashMap<>(minikubeDockerEnv);
        if (blank(vars.get(DOCKER_HOST))) {
            throw Devk8sException.precondition("minikube docker-env printed no " + DOCKER_HOST
                    + ": check that the cluster runs the docker container runtime (minikube start --container-runtime=docker)");
        }
        return new DockerEngine(settings(vars::get, Source.MINIKUBE, env), dockerConfigDir(env));
    }

    private static Settings settings(java.util.function.Function<String, String> vars, Source source, Environment env) {
        String host = blank(vars.apply(DOCKER_HOST)) ? DEFAULT_HOST : vars.apply(DOCKER_HOST).trim();
        checkHost(host, source);
        String verify = vars.apply(DOCKER_TLS_VERIFY);
        boolean tls = !blank(verify) && !verify.trim().equals("0") && !verify.trim().equalsIgnoreCase("false");
        Optional<Path> certPath = Optional.empty();
        if (tls) {
            String dir = vars.apply(DOCKER_CERT_PATH);
            certPath = Optional.of(blank(dir) ? env.home().resolve(".docker") : env.resolve(dir.trim()));
        }
        return new Settings(host, tls, certPath, source);
    }

    /** docker-java speaks to unix sockets and TCP (plain or TLS); anything else fails here, in one line. */
    private static void checkHost(String host, Source source) {
        String origin = source == Source.MINIKUBE ? "minikube docker-env printed " : "";
        String scheme;
        try {
            java.net.URI uri = new java.net.URI(host);
            scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("tcp") && (uri.getHost() == null || uri.getPort() < 0)) {
                throw Devk8sException.usage(origin + DOCKER_HOST + "=" + host + " has no host and port: write it as "
                        + "tcp://HOST:PORT, e.g. tcp://127.0.0.1:2376");
            }
        } catch (java.net.URISyntaxException e) {
            throw Devk8sException.usage(origin + DOCKER_HOST + "=" + host + " is not a valid address (" + e.getReason()
                    + "): write unix:///path/to/docker.sock or tcp://HOST:PORT");
        }
        if (!scheme.equals("unix") && !scheme.equals("tcp") && !scheme.equals("npipe")) {
            String hint = scheme.equals("ssh") ? " (for an engine reached over ssh, forward its socket: "
                    + "ssh -NL /tmp/docker.sock:/var/run/docker.sock HOST, then DOCKER_HOST=unix:///tmp/docker.sock)" : "";
            throw Devk8sException.usage(origin + DOCKER_HOST + "=" + host + " is not supported: devk8s reaches "
                    + "Docker at unix:///path/to/docker.sock or tcp://HOST:PORT" + hint);
        }
    }

    private static Path dockerConfigDir(Environment env) {
        return env.get("DOCKER_CONFIG").map(env::resolve).orElseGet(() -> env.home().resolve(".docker"));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public Settings settings() {
        return settings;
    }

    /**
     * This process runs command after command (the background process): a Docker client is kept open between
     * them for the next command that reaches the same engine with the same certificates (see {@link KeptClients}).
     */
    public static void keepClientsBetweenCommands() {
        KeptClients.keepBetweenCommands();
    }

    /** Checks that the engine answers; throws a one-line {@link Devk8sException} when it does not. */
    public void ping() {
        call("ping", () -> client().pingCmd().exec());
    }

    /** The engine's version, e.g. {@code 24.0.7}. */
    public String version() {
        Version v = call("ask for the version of", () -> client().versionCmd().exec());
        return v.getVersion();
    }

    /**
     * The docker-java client, built on first use. Package-private: callers get domain verbs
     * ({@link #ping()}, {@link #version()}, image builds), never the client.
     */
    DockerClient client() {
        if (client == null) {
            KeptClients kept = noKeeping ? null : KeptClients.shared();
            KeptClients.Key key = null;
            if (kept != null) {
                if (settings.tlsVerify()) {
                    checkCertificates(settings.certPath().orElseThrow()); // its one-line errors, as for a new client
                }
                key = KeptClients.key(settings, dockerConfigDir);
            }
            if (key != null) {
                keptEntry = kept.acquire(key, this::createClient);
                keptBy = keptEntry == null ? null : kept;
            }
            client = keptEntry != null ? keptEntry.client() : createClient();
        }
        return client;
    }

    /** Whether this engine's client is one an earlier command opened (see {@link KeptClients}). */
    boolean reusesClient() {
        return keptEntry != null && keptEntry.reused();
    }

    /**
     * Forgets this engine's client (its kept connection failed; closed once no other engine uses it): the next
     * {@link #client()} makes a new one, not kept.
     */
    void forgetClient() {
        if (keptEntry != null) {
            keptBy.drop(keptEntry.entry());
        }
        close(); // releases a kept client (a dropped one is closed by its last release), else closes its own
        noKeeping = true;
    }

    private DockerClient createClient() {
        if (settings.tlsVerify()) {
            checkCertificates(settings.certPath().orElseThrow());
        }
        DefaultDockerClientConfig.Builder builder = new DefaultDockerClientConfig.Builder()
                .withDockerHost(settings.host())
                .withDockerTlsVerify(settings.tlsVerify())
                .withDockerConfig(dockerConfigDir.toString());
        settings.certPath().ifPresent(p -> builder.withDockerCertPath(p.toString()));
        DockerClientConfig config;
        try {
            config = builder.build();
        } catch (DockerClientException | IllegalArgumentException e) {
            Path file = dockerConfigDir.resolve("config.json");
            if (Files.isRegularFile(file) && (messages(e).contains("docker configuration file")
                    || messages(e).toLowerCase(java.util.Locale.ROOT).contains("base64"))) {
                // docker-java reads the client's config.json (auths, credential helpers) before any call
                throw Devk8sException.usage("cannot read the Docker client configuration " + file + " ("
                        + oneLine(rootCause(e)) + "): fix it (`docker login REGISTRY` rewrites its entry), or point "
                        + "DOCKER_CONFIG at another folder");
            }
            throw Devk8sException.precondition("cannot use the Docker engine at " + settings + ": " + oneLine(e)
                    + "; " + fix());
        }
        // TLS from the PEM files with the JDK alone: docker-java's own reader loads BouncyCastle on every run
        // its sockets send a build context in full TLS records, not one record per 4 KiB chunk (CoalescingTls)
        javax.net.ssl.SSLContext tls = settings.tlsVerify()
                ? CoalescingTls.wrap(tlsContext(settings.certPath().orElseThrow())) : null;
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(tls != null ? () -> tls : config.getSSLConfig())
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    private void checkCertificates(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw Devk8sException.precondition(DOCKER_CERT_PATH + "=" + dir + " is not a folder"
                    + (Files.exists(dir) ? "" : " (it does not exist)") + ": "
                    + (settings.source() == Source.MINIKUBE
                            ? "minikube keeps its client certificates there; check MINIKUBE_HOME and that the profile "
                                    + "was started (minikube start), then retry"
                            : "point " + DOCKER_CERT_PATH + " at the folder with ca.pem, cert.pem and key.pem"));
        }
        for (String file : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
            if (!Files.isReadable(dir.resolve(file))) {
                throw Devk8sException.precondition(DOCKER_CERT_PATH + "=" + dir + " has no readable " + file
                        + " (TLS needs ca.pem, cert.pem and key.pem); " + certFix());
            }
        }
    }

    private javax.net.ssl.SSLContext tlsContext(Path dir) {
        String file = "ca.pem";
        try {
            String ca = Files.readString(dir.resolve(file));
            PemTls.certificates(ca);
            file = "cert.pem";
            String cert = Files.readString(dir.resolve(file));
            PemTls.certificates(cert);
            file = "key.pem";
            String key = Files.readString(dir.resolve(file));
            PemTls.privateKey(key);
            file = "ca.pem, cert.pem and key.pem";
            return PemTls.clientContext(ca, cert, key);
        } catch (IOException | PemTls.PemException e) {
            throw Devk8sException.precondition(DOCKER_CERT_PATH + "=" + dir + ": " + file + " cannot be used ("
                    + oneLine(e) + "); " + certFix());
        }
    }

    /** Runs a docker-java call and turns every way it can fail into one line naming the engine and the fix. */
    <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (Devk8sException e) {
            throw e;
        } catch (DockerException e) {
            throw new Devk8sException(ExitCode.FAILURE, "could not " + what + " the Docker engine at " + settings.host()
                    + ": HTTP " + e.getHttpStatus() + " " + oneLine(e), e);
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    Devk8sException translate(String what, RuntimeException e) {
        Throwable tls = find(e, SSLException.class);
        String chain = messages(e);
        if (tls != null || chain.contains("PKIX path building failed")) {
            if (chain.contains("PKIX path building failed") || chain.contains("unable to find valid certification path")) {
                return new Devk8sException(ExitCode.PRECONDITION, "the certificates in " + DOCKER_CERT_PATH + "="
                        + settings.certPath().map(Path::toString).orElse("?") + " do not match the Docker engine at "
                        + settings.host() + " (its certificate is not signed by ca.pem); " + certFix(), e);
            }
            return new Devk8sException(ExitCode.PRECONDITION, "TLS with the Docker engine at " + settings.host()
                    + " failed (" + oneLine(tls != null ? tls : e) + "); " + certFix(), e);
        }
        if (isUnreachable(e)) {
            return new Devk8sException(ExitCode.PRECONDITION, "cannot reach the Docker engine at " + DOCKER_HOST
                    + "=" + settings.host() + " (" + reason(e) + "); " + fix(), e);
        }
        return new Devk8sException(ExitCode.FAILURE, "could not " + what + " the Docker engine at " + settings.host()
                + ": " + oneLine(rootCause(e)), e);
    }

    private String fix() {
        if (settings.source() == Source.MINIKUBE) {
            return "check that minikube is running (minikube status), then retry";
        }
        return "start Docker, or point " + DOCKER_HOST + " at a running engine (for Minikube's: eval $(minikube docker-env))";
    }

    private String certFix() {
        if (settings.source() == Source.MINIKUBE) {
            return "the cluster's certificates changed: re-run minikube docker-env (or minikube start)";
        }
        return "point " + DOCKER_CERT_PATH + " at the engine's client certificates "
                + "(for Minikube: eval $(minikube docker-env) again)";
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof SocketTimeoutException
                    || t instanceof java.nio.file.NoSuchFileException) {
                return true;
            }
            if (t instanceof IOException) {
                String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("connection refused") || m.contains("no such file") || m.contains("connect timed out")
                        || m.contains("permission denied") || m.contains("connection reset")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String reason(Throwable e) {
        String m = messages(e).toLowerCase(Locale.ROOT);
        if (m.contains("no such file")) {
            return "no socket there";
        }
        if (m.contains("permission denied")) {
            return "permission denied: add your user to the docker group, or use sudo";
        }
        if (m.contains("refused")) {
            return "connection refused";
        }
        if (m.contains("timed out") || m.contains("timeout")) {
            return "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (find(e, UnknownHostException.class) != null) {
            return "unknown host";
        }
        return oneLine(rootCause(e));
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public void close() {
        if (keptEntry != null) { // kept for the next command: released, not closed
            keptBy.release(keptEntry.entry());
            keptEntry = null;
            keptBy = null;
            client = null;
            return;
        }
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing the connection pool; nothing the user can act on
            } finally {
                client = null;
            }
        }
    }
}
