package io.devk8s.adapter.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach the API server of a kube context whose kubeconfig entries are "plain": an http or https server;
 * the cluster's CA from {@code certificate-authority} or {@code -data}, or {@code insecure-skip-tls-verify}; the
 * user's client certificate and key (file or {@code -data}) and/or a bearer {@code token} or {@code tokenFile}.
 * Anything else (an exec plugin, an auth provider, a username and password, a proxy, {@code tls-server-name},
 * impersonation, a key or file that cannot be read) is not plain: {@link #of} is then empty and the caller uses
 * the full Kubernetes client, which knows all of it.
 *
 * @param server     the API server URL, ending in {@code /}
 * @param insecure   {@code insecure-skip-tls-verify}: any server certificate is accepted, any host name
 * @param caPem      the cluster CA certificates (PEM), or null for the JDK's trust store
 * @param certPem    the client certificate chain (PEM), or null
 * @param keyPem     the client key (PEM), or null
 * @param token      the bearer token, or null
 */
record RestEndpoint(String server, boolean insecure, String caPem, String certPem, String keyPem, String token) {
    /** The keys a plain cluster entry may carry. */
    private static final Set<String> CLUSTER_KEYS = Set.of("server", "certificate-authority",
            "certificate-authority-data", "insecure-skip-tls-verify", "extensions", "disable-compression");
    /** The keys a plain user entry may carry. */
    private static final Set<String> USER_KEYS = Set.of("token", "tokenFile", "client-certificate",
            "client-certificate-data", "client-key", "client-key-data", "extensions");

    /** The endpoint of {@code context} in these kubeconfig files, or empty when it is not plain (or not there). */
    static Optional<RestEndpoint> of(String context, List<Path> kubeconfigFiles) {
        try {
            List<Path> existing = kubeconfigFiles.stream().filter(Files::isRegularFile).toList();
            if (existing.isEmpty()) {
                return Optional.empty();
            }
            return KubeConfig.load(existing).entries(context).flatMap(RestEndpoint::of);
        } catch (RuntimeException e) {
            return Optional.empty(); // the full client reports what is wrong with the kubeconfig, as before
        }
    }

    static Optional<RestEndpoint> of(KubeConfig.Entries entries) {
        JsonNode cluster = entries.cluster();
        JsonNode user = entries.user();
        if (!cluster.isObject() || !onlyKeys(cluster, CLUSTER_KEYS)
                || user != null && !(user.isObject() && onlyKeys(user, USER_KEYS))) {
            return Optional.empty();
        }
        String server = cluster.path("server").asText("").strip();
        URI uri;
        try {
            uri = URI.create(server);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawUserInfo() != null) {
            return Optional.empty();
        }
        try {
            boolean insecure = cluster.path("insecure-skip-tls-verify").asBoolean(false);
            String ca = pem(cluster, "certificate-authority", entries.clusterFile());
            String cert = user == null ? null : pem(user, "client-certificate", entries.userFile());
            String key = user == null ? null : pem(user, "client-key", entries.userFile());
            if (cert == null != (key == null)) {
                return Optional.empty(); // a certificate without its key (or the reverse)
            }
            String token = user == null ? null : token(user, entries.userFile());
            return Optional.of(new RestEndpoint(server.endsWith("/") ? server : server + "/", insecure, ca, cert, key,
                    token));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    RestEndpoint withToken(String newToken) {
        return new RestEndpoint(server, insecure, caPem, certPem, keyPem, newToken);
    }

    boolean https() {
        return server.regionMatches(true, 0, "https:", 0, 6);
    }

    private static boolean onlyKeys(JsonNode node, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                return false;
            }
        }
        return true;
    }

    /** {@code <field>-data} (base64) or the file {@code <field>} names (relative to {@code file}); null when neither. */
    private static String pem(JsonNode entry, String field, Path file) throws IOException {
        String data = entry.path(field + "-data").asText("").strip();
        if (!data.isEmpty()) {
            return new String(Base64.getMimeDecoder().decode(data), StandardCharsets.UTF_8);
        }
        String path = entry.path(field).asText("").strip();
        return path.isEmpty() ? null : Files.readString(resolve(path, file));
    }

    private static String token(JsonNode user, Path file) throws IOException {
        String token = user.path("token").asText("").strip();
        if (!token.isEmpty()) {
            return token;
        }
        String path = user.path("tokenFile").asText("").strip();
        if (path.isEmpty()) {
            return null;
        }
        String read = Files.readString(resolve(path, file)).strip();
        return read.isEmpty() ? null : read;
    }

    private static Path resolve(String path, Path file) {
        Path p = Path.of(path);
        if (!p.isAbsolute() && file != null) {
            Path dir = file.toAbsolutePath().getParent();
            p = dir == null ? p : dir.resolve(p);
        }
        return p;
    }

    @Override
    public String toString() { // never the token or the key
        return "RestEndpoint[" + server + (insecure ? ", insecure" : "") + (caPem != null ? ", ca" : "")
                + (certPem != null ? ", client certificate" : "") + (token != null ? ", token" : "") + "]";
    }
}
