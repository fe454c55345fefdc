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
 * list without items for a collection and 404 for anything else. A command run against it goes through the code of successful reads, which is what the
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
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
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
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        boolean collection = isCollection(path);
        byte[] body = !collection ? NOT_FOUND : path.startsWith("/apis/apps/v1/") && path.endsWith("/deployments")
                ? deployments : EMPTY_LIST;
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(collection ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
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
