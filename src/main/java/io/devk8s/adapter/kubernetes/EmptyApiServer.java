package io.devk8s.adapter.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * For the start-up archive's training run only: an HTTP server on a free port of this machine's loopback address
 * that answers every request as an API server holding nothing would (or only the Deployments it was given), a
 * list without items for a collection and 404 for anything else; it serves discovery of the built-in kinds devk8s
 * knows, and a server-side apply (a JSON PATCH) answers the object it was sent, as a create would, keeping nothing. A command run against it goes through the code of successful reads, which is what the
 * archive should hold. Never part of a command a user runs.
 */
public final class EmptyApiServer implements AutoCloseable {
    private static final byte[] EMPTY_LIST =
            "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}"
                    .getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"not found\",\"reason\":\"NotFound\",\"code\":404}")
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final byte[] deployments;

    private EmptyApiServer(HttpServer server, byte[] deployments) {
        this.server = server;
        this.deployments = deployments;
    }

    /** Starts a server on a free loopback port; {@link #close()} stops it. */
    public static EmptyApiServer start() throws IOException {
        return start(List.of());
    }

    /**
     * Starts a server that holds only {@code deployments} (JSON objects): every list of Deployments, in any
     * namespace and with any selector, answers them.
     */
    public static EmptyApiServer start(List<String> deployments) throws IOException {
        return start(deployments, null);
    }

    /**
     * {@link #start(List)} over HTTPS with {@code tls} (null: plain HTTP), asking the client for its certificate
     * as Minikube's API server does.
     */
    public static EmptyApiServer start(List<String> deployments, javax.net.ssl.SSLContext tls) throws IOException {
        HttpServer server = io.devk8s.adapter.tls.TlsServers.create(tls);
        byte[] list = ("{\"kind\":\"DeploymentList\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"resourceVersion\":\"1\"},"
                + "\"items\":[" + String.join(",", deployments) + "]}").getBytes(StandardCharsets.UTF_8);
        EmptyApiServer api = new EmptyApiServer(server, list);
        server.createContext("/", api::answer);
        server.start();
        return api;
    }

    /** The server's URL, {@code http://127.0.0.1:PORT/} (or {@code http://[::1]:PORT/} on an IPv6 loopback). */
    public String url() {
        String host = server.getAddress().getAddress().getHostAddress();
        return (server instanceof com.sun.net.httpserver.HttpsServer ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] request;
        try (java.io.InputStream in = exchange.getRequestBody()) {
            request = in.readAllBytes();
        }
        String discovery = discovery(path);
        if (discovery != null || exchange.getRequestMethod().equals("PATCH") && request.length > 0
                && request[0] == '{') {
            // discovery of the built-in kinds; a server-side apply answers the object it was sent
            byte[] body = discovery != null ? discovery.getBytes(StandardCharsets.UTF_8) : request;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        boolean collection = isCollection(path);
        byte[] body = !collection ? NOT_FOUND : path.startsWith("/apis/apps/v1/") && path.endsWith("/deployments")
                ? deployments : EMPTY_LIST;
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(collection ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * The discovery document of {@code path} for the kinds devk8s knows ({@link ResourceKind}): {@code /api},
     * {@code /apis}, or a group version's resource list; null for any other path.
     */
    static String discovery(String path) {
        String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (trimmed.equals("/api")) {
            return "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}";
        }
        java.util.Map<String, List<ResourceKind>> byGroupVersion = new java.util.LinkedHashMap<>();
        for (ResourceKind kind : ResourceKind.values()) {
            ApiResource r = kind.resource();
            byGroupVersion.computeIfAbsent(r.group().isEmpty() ? r.version() : r.group() + "/" + r.version(),
                    k -> new ArrayList<>()).add(kind);
        }
        if (trimmed.equals("/apis")) {
            List<String> groups = new ArrayList<>();
            for (String groupVersion : byGroupVersion.keySet()) {
                int slash = groupVersion.indexOf('/');
                if (slash > 0) {
                    groups.add("{\"name\":\"" + groupVersion.substring(0, slash) + "\",\"versions\":[{\"groupVersion\":\""
                            + groupVersion + "\",\"version\":\"" + groupVersion.substring(slash + 1)
                            + "\"}],\"preferredVersion\":{\"groupVersion\":\"" + groupVersion + "\",\"version\":\""
                            + groupVersion.substring(slash + 1) + "\"}}");
                }
            }
            return "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + String.join(",", groups) + "]}";
        }
        String groupVersion = trimmed.startsWith("/api/") ? trimmed.substring("/api/".length())
                : trimmed.startsWith("/apis/") ? trimmed.substring("/apis/".length()) : null;
        List<ResourceKind> kinds = groupVersion == null ? null : byGroupVersion.get(groupVersion);
        if (kinds == null) {
            return null;
        }
        List<String> resources = new ArrayList<>();
        for (ResourceKind kind : kinds) {
            ApiResource r = kind.resource();
            resources.add("{\"name\":\"" + r.plural() + "\",\"singularName\":\"\",\"namespaced\":" + r.namespaced()
                    + ",\"kind\":\"" + r.kind() + "\",\"verbs\":[\"" + String.join("\",\"", r.verbs()) + "\"]}");
        }
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + String.join(",", resources) + "]}";
    }

    /** {@code /api/v1/pods}, {@code /apis/apps/v1/namespaces/x/deployments}: a collection, not one object. */
    static boolean isCollection(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        int skip = !parts.isEmpty() && parts.get(0).equals("api") ? 2 : !parts.isEmpty() && parts.get(0).equals("apis") ? 3 : -1;
        if (skip < 0 || parts.size() <= skip) {
            return false;
        }
        List<String> rest = parts.subList(skip, parts.size());
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            rest = rest.subList(2, rest.size());
        }
        return rest.size() == 1;
    }
}
