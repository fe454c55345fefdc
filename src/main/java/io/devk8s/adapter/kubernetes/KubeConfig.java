package io.devk8s.adapter.kubernetes;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.adapter.json.JsonTrees;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kubeconfig as kubectl sees it: the files named by {@code KUBECONFIG} (a path-separator list; files
 * that do not exist are skipped) or {@code ~/.kube/config}, merged with kubectl's rules: the first file that
 * defines a cluster, context or user name wins, and the first file that sets {@code current-context} wins.
 * Relative certificate paths resolve against the file that holds them.
 */
public final class KubeConfig {
    private static final YAMLFactory YAML = new YAMLFactory();

    private final List<Path> files;
    private final String currentContext;
    private final Map<String, Entry> clusters;
    private final Map<String, Entry> contexts;
    private final Map<String, Entry> users;

    private record Entry(JsonNode body, Path file) {}

    private KubeConfig(List<Path> files, String currentContext, Map<String, Entry> clusters,
                       Map<String, Entry> contexts, Map<String, Entry> users) {
        this.files = List.copyOf(files);
        this.currentContext = currentContext;
        this.clusters = clusters;
        this.contexts = contexts;
        this.users = users;
    }

    /** The kubeconfig files kubectl would read, in precedence order, whether they exist or not. */
    public static List<Path> candidateFiles(Environment env) {
        Optional<String> list = env.get("KUBECONFIG");
        if (list.isEmpty()) {
            return List.of(env.home().resolve(".kube").resolve("config"));
        }
        List<Path> out = new ArrayList<>();
        for (String part : list.get().split(File.pathSeparator)) {
            if (!part.isBlank()) {
                Path p = env.resolve(part.strip());
                if (!out.contains(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Loads and merges the kubeconfig; exit 3 when there is none, exit 2 naming file and line when one is bad. */
    public static KubeConfig load(Environment env) {
        List<Path> candidates = candidateFiles(env);
        List<Path> existing = candidates.stream().filter(Files::isRegularFile).toList();
        if (existing.isEmpty()) {
            String where = env.get("KUBECONFIG").isPresent()
                    ? "KUBECONFIG=" + env.get("KUBECONFIG").get()
                    : candidates.get(0).toString();
            throw Devk8sException.precondition("no kubeconfig found (" + where
                    + "); start the cluster with `devk8s up --start` or `minikube start`, which write one");
        }
        return load(existing);
    }

    /** Loads and merges these files (all must exist), first one winning. */
    public static KubeConfig load(List<Path> files) {
        String current = null;
        Map<String, Entry> clusters = new LinkedHashMap<>();
        Map<String, Entry> contexts = new LinkedHashMap<>();
        Map<String, Entry> users = new LinkedHashMap<>();
        for (Path file : files) {
            JsonNode root = read(file);
            if (root == null || root.isMissingNode() || root.isNull()) {
                continue;
            }
            if (!root.isObject()) {
                throw Devk8sException.usage(file + ": not a kubeconfig (expected a mapping with clusters, contexts"
                        + " and users); fix or remove it from KUBECONFIG");
            }
            String cc = root.path("current-context").asText("");
            if (current == null && !cc.isEmpty()) {
                current = cc;
            }
            collect(root, "clusters", "cluster", file, clusters);
            collect(root, "contexts", "context", file, contexts);
            collect(root, "users", "user", file, users);
        }
        return new KubeConfig(files, current, clusters, contexts, users);
    }

    private static JsonNode read(Path file) {
        try {
            String text = readText(file);
            if (text.isBlank()) {
                return null;
            }
            try (JsonParser parser = YAML.createParser(text)) {
                return JsonTrees.read(parser);
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String line = loc == null || loc.getLineNr() < 0 ? "" : ":" + loc.getLineNr();
            throw Devk8sException.usage(file + line + ": not valid YAML (" + problem(e.getOriginalMessage())
                    + "); fix the file or remove it from KUBECONFIG");
        } catch (IOException e) {
            throw Devk8sException.precondition("couldn't read kubeconfig " + file + ": " + e.getMessage()
                    + "; check its permissions");
        }
    }

    /**
     * The file as UTF-8 text; a file that is not (a binary file, another encoding, NUL bytes) is a one-line
     * error naming it, where the decoder would only say "Input length = 1".
     */
    static String readText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            text = null;
        }
        if (text == null || text.indexOf('\0') >= 0) {
            throw Devk8sException.precondition("kubeconfig " + file + " is not UTF-8 YAML text (a binary file?): "
                    + "point KUBECONFIG at your kubeconfig files only, or remove " + file + " from it");
        }
        return text;
    }

    /** SnakeYAML's message without its source excerpts: "while parsing ... expected ..., but got ...". */
    private static String problem(String message) {
        List<String> kept = new ArrayList<>();
        List<String> lines = message == null ? List.of() : message.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.startsWith("in '")) {
                i += 2; // the excerpt and its caret
                continue;
            }
            if (!l.isEmpty()) {
                kept.add(l);
            }
        }
        return String.join(" ", kept);
    }

    private static void collect(JsonNode root, String listField, String bodyField, Path file, Map<String, Entry> into) {
        for (JsonNode item : root.path(listField)) {
            String name = item.path("name").asText("");
            if (!name.isEmpty() && !into.containsKey(name)) {
                into.put(name, new Entry(item.path(bodyField), file));
            }
        }
    }

    public List<Path> files() {
        return files;
    }

    public Optional<String> currentContext() {
        return Optional.ofNullable(currentContext);
    }

    public List<String> contextNames() {
        return List.copyOf(contexts.keySet());
    }

    /**
     * The context named {@code name}, or the current context when {@code name} is null. Exit 3 when there is no
     * current context or no such context.
     */
    public KubeContext context(String name) {
        String wanted = name;
        if (wanted == null || wanted.isBlank()) {
            wanted = currentContext().orElseThrow(() -> Devk8sException.precondition(
                    "no current-context in kubeconfig " + filesText() + "; pass --context NAME or run "
                            + "`kubectl config use-context <profile>`"));
        }
        Entry ctx = contexts.get(wanted);
        if (ctx == null) {
            throw Devk8sException.precondition("context \"" + wanted + "\" not found in kubeconfig " + filesText()
                    + "; known contexts: " + (contexts.isEmpty() ? "none" : String.join(", ", contexts.keySet()))
                    + "; pass --context with one of them or start the profile with `devk8s up --start`");
        }
        String clusterName = ctx.body().path("cluster").asText("");
        String userName = ctx.body().path("user").asText("");
        String namespace = ctx.body().path("namespace").asText("");
        Entry cluster = clusters.get(clusterName);
        String server = "";
        Optional<Path> caFile = Optional.empty();
        boolean caData = false;
        if (cluster != null) {
            server = cluster.body().path("server").asText("");
            String ca = cluster.body().path("certificate-authority").asText("");
            if (!ca.isEmpty()) {
                Path p = Path.of(ca);
                if (!p.isAbsolute()) {
                    Path dir = cluster.file().toAbsolutePath().getParent();
                    p = dir == null ? p : dir.resolve(p);
                }
                caFile = Optional.of(p.normalize());
            }
            caData = !cluster.body().path("certificate-authority-data").asText("").isEmpty();
        }
        return new KubeContext(wanted, clusterName, userName, namespace.isEmpty() ? "default" : namespace,
                server, caFile, caData, files);
    }

    /**
     * The raw entries of context {@code name} (its context, cluster and user bodies, with the files that defined
     * the cluster and the user), for the lean reader's check whether the context is plain; empty when the context
     * or its cluster is missing. A missing user entry is a missing node.
     */
    Optional<Entries> entries(String name) {
        Entry ctx = contexts.get(name);
        if (ctx == null) {
            return Optional.empty();
        }
        Entry cluster = clusters.get(ctx.body().path("cluster").asText(""));
        if (cluster == null) {
            return Optional.empty();
        }
        String userName = ctx.body().path("user").asText("");
        Entry user = userName.isEmpty() ? null : users.get(userName);
        return Optional.of(new Entries(ctx.body(), cluster.body(), cluster.file(),
                userName.isEmpty() ? null : user == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                        : user.body(), user == null ? null : user.file()));
    }

    /** @param user null when the context names no user; a missing node when it names one that is not defined */
    record Entries(JsonNode context, JsonNode cluster, Path clusterFile, JsonNode user, Path userFile) {
    }

    private String filesText() {
        return String.join(File.pathSeparator, files.stream().map(Path::toString).toList());
    }
}
