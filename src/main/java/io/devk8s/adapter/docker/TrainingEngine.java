package io.devk8s.adapter.docker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For the start-up archive's training run only: an HTTP server on a free port of this machine's loopback address
 * that answers the Docker Engine API calls of {@code devk8s deploy} as an engine would. It holds an image for
 * every label a client asks for, and in a list of devk8s's images one with the labels {@link #hold} names (so a
 * deploy finds its image and says unchanged), and with
 * {@link #start(boolean) start(false)} none (so a deploy builds: the build context is read to its end and the
 * build answers success). Never part of a command a user runs, and it runs nothing.
 */
public final class TrainingEngine implements AutoCloseable {
    private static final String IMAGE_ID = "sha256:" + "0123456789abcdef".repeat(4);
    private static final Pattern LABEL_FILTER = Pattern.compile("\"label\"\\s*:\\s*\\{\\s*\"([^\"]+)\"");
    private static final Pattern LABEL_LIST = Pattern.compile("\"label\"\\s*:\\s*\\[\\s*\"([^\"]+)\"");

    private final HttpServer server;
    private final boolean holdsImages;
    /** The labels of the image a list of every image devk8s built shows, when the engine holds images. */
    private volatile Map<String, String> held = Map.of();

    private TrainingEngine(HttpServer server, boolean holdsImages) {
        this.server = server;
        this.holdsImages = holdsImages;
    }

    /** Starts an engine on a free loopback port; {@code holdsImages}: whether it has the images asked for. */
    public static TrainingEngine start(boolean holdsImages) throws IOException {
        return start(holdsImages, null);
    }

    /** {@link #start(boolean)} over TLS with {@code tls} (null: plain TCP), asking for the client's certificate. */
    public static TrainingEngine start(boolean holdsImages, javax.net.ssl.SSLContext tls) throws IOException {
        HttpServer server = io.devk8s.adapter.tls.TlsServers.create(tls);
        TrainingEngine engine = new TrainingEngine(server, holdsImages);
        server.createContext("/", engine::answer);
        server.start();
        return engine;
    }

    /**
     * The labels of the one image a list of devk8s's images (filtered by a label's key alone) shows when the engine
     * holds images: those a deploy of the sandbox's project looks for. A filter by key and value is answered with an
     * image carrying that label, whatever this holds.
     */
    public void hold(Map<String, String> labels) {
        held = Map.copyOf(labels);
    }

    /** The engine's address as {@code DOCKER_HOST} names it: {@code tcp://127.0.0.1:PORT}. */
    public String dockerHost() {
        String host = server.getAddress().getAddress().getHostAddress();
        return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath().replaceFirst("^/v1\\.[0-9]+/", "/");
        String query = exchange.getRequestURI().getRawQuery();
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream()); // a build context is read to its end, as an engine does
        }
        if (path.equals("/_ping")) {
            send(exchange, 200, "text/plain", "OK");
        } else if (path.equals("/version")) {
            send(exchange, 200, "application/json", "{\"Version\":\"27.0.0\",\"ApiVersion\":\"1.46\","
                    + "\"MinAPIVersion\":\"1.24\",\"Os\":\"linux\",\"Arch\":\"amd64\",\"KernelVersion\":\"6.0.0\"}");
        } else if (path.equals("/images/json")) {
            String label = label(query);
            Map<String, String> labels = label == null ? Map.of() : label.contains("=")
                    ? Map.of(label.substring(0, label.indexOf('=')), label.substring(label.indexOf('=') + 1))
                    : held.containsKey(label) ? held : Map.of();
            send(exchange, 200, "application/json", !holdsImages || labels.isEmpty() ? "[]"
                    : "[{\"Id\":\"" + IMAGE_ID + "\",\"ParentId\":\"\",\"RepoTags\":[\"training:old\"],\"Created\":1,"
                            + "\"Size\":1,\"Labels\":{" + labelsJson(labels) + "},\"Containers\":0}]");
        } else if (path.startsWith("/images/") && path.endsWith("/json") && method.equals("GET")) {
            send(exchange, holdsImages ? 200 : 404, "application/json", holdsImages
                    ? "{\"Id\":\"" + IMAGE_ID + "\",\"RepoTags\":[\"training:old\"],\"Config\":{\"Labels\":{}}}"
                    : "{\"message\":\"No such image\"}");
        } else if (path.startsWith("/images/") && path.endsWith("/tag") && method.equals("POST")) {
            send(exchange, 201, "application/json", "");
        } else if (path.equals("/build") && method.equals("POST")) {
            send(exchange, 200, "application/json", "{\"stream\":\"Step 1/1 : FROM scratch\\n\"}\r\n"
                    + "{\"aux\":{\"ID\":\"" + IMAGE_ID + "\"}}\r\n"
                    + "{\"stream\":\"Successfully built 0123456789ab\\n\"}\r\n");
        } else {
            send(exchange, 404, "application/json", "{\"message\":\"page not found\"}");
        }
    }

    /** The first label of a {@code filters} query ({@code {"label":{"k=v":true}}} or {@code {"label":["k=v"]}}). */
    static String label(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String part : rawQuery.split("&")) {
            if (part.startsWith("filters=")) {
                String filters = URLDecoder.decode(part.substring("filters=".length()), StandardCharsets.UTF_8);
                Matcher m = LABEL_FILTER.matcher(filters);
                if (m.find()) {
                    return m.group(1);
                }
                m = LABEL_LIST.matcher(filters);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    private static String labelsJson(Map<String, String> labels) {
        StringBuilder json = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            json.append(json.length() == 0 ? "" : ",").append('"').append(e.getKey().replace("\"", "")).append("\":\"")
                    .append(e.getValue().replace("\"", "")).append('"');
        }
        return json.toString();
    }

    private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Api-Version", "1.46");
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
