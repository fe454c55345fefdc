package io.devk8s.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.adapter.template.TemplateEngine;
import io.devk8s.adapter.template.TemplateSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Renders the dev stack from the templates under {@code stack/}: the defaults in {@code stack/values.yaml}
 * and {@code stack/versions.yaml} (a user folder's copies are merged over the bundled ones, key by key),
 * overridden by {@code --set}, {@code --namespace} and {@code --domain}; then {@code stack/namespace.yaml}
 * and every {@code stack/<component>/*.yaml} of the enabled components (files starting with {@code _} are
 * partials, {@code files/} holds raw files for {@code embed}), split into documents and sorted in apply
 * order.
 */
public final class RenderService {
    /** The stack's own components, in the order they are rendered; a user folder may add more after them. */
    public static final List<String> STACK_COMPONENTS = List.of("traefik", "prometheus", "grafana", "jaeger");
    /** The component {@code stack/namespace.yaml} belongs to. */
    public static final String NAMESPACE_COMPONENT = "namespace";

    /** Kinds in the order they are applied: what others refer to comes first. Anything else comes last. */
    static final List<List<String>> APPLY_ORDER = List.of(
            List.of("Namespace"),
            List.of("CustomResourceDefinition"),
            List.of("ServiceAccount"),
            List.of("ClusterRole"),
            List.of("Role"),
            List.of("ClusterRoleBinding"),
            List.of("RoleBinding"),
            List.of("ConfigMap"),
            List.of("Secret"),
            List.of("PersistentVolumeClaim"),
            List.of("Deployment", "StatefulSet", "DaemonSet"),
            List.of("Service"),
            List.of("IngressClass"),
            List.of("Ingress"));

    private static final String VALUES = "stack/values.yaml";
    private static final String VERSIONS = "stack/versions.yaml";

    private final TemplateSource source;
    private final Environment environment;
    private TemplateEngine engine;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    public RenderService(TemplateSource source, Environment environment) {
        this.source = source;
        this.environment = environment;
    }

    /** The template engine, built on first render (Jinjava costs about 300 ms; {@link #values} needs none). */
    private synchronized TemplateEngine engine() {
        if (engine == null) {
            engine = new TemplateEngine(source, environment);
        }
        return engine;
    }

    /** Components the templates hold: the stack's own in stack order, then any others a user folder adds. */
    public List<String> knownComponents() {
        TreeSet<String> found = new TreeSet<>();
        for (String path : source.list("stack/")) {
            String[] parts = path.split("/");
            if (parts.length == 3 && isDocumentTemplate(parts[2])) {
                found.add(parts[1]);
            }
        }
        List<String> ordered = new ArrayList<>(STACK_COMPONENTS.stream().filter(found::contains).toList());
        found.stream().filter(c -> !ordered.contains(c)).forEach(ordered::add);
        return ordered;
    }

    /** The effective values for these options, without rendering anything. */
    public StackValues values(StackOptions options) {
        Map<String, Object> values = ValueOverrides.merge(loadYaml(VALUES, true), loadYaml(VERSIONS, false));
        for (String assignment : options.sets()) {
            ValueOverrides.set(values, assignment);
        }
        if (options.namespace() != null) {
            ValueOverrides.checkNamespace("--namespace " + options.namespace(), options.namespace());
            values.put("namespace", options.namespace());
        }
        if (options.domain() != null) {
            ValueOverrides.checkDomain("--domain " + options.domain(), options.domain());
            values.put("domain", options.domain());
        }
        return new StackValues(values);
    }

    /**
     * Renders every template of the enabled components and returns the documents in apply order: by kind
     * (see {@link #APPLY_ORDER}), then component order, file order and position in the file.
     *
     * @throws Devk8sException (usage) for an unknown component or {@code --set} key, a bad value, a template
     *     error (naming file and line) or a rendered document that is not a Kubernetes object
     */
    public RenderedStack renderStack(StackOptions options) {
        List<String> components = enabledComponents(options.components());
        StackValues values = values(options);
        Map<String, Object> context = new HashMap<>(values.values());
        context.put("components", components);

        List<Rendered> rendered = new ArrayList<>();
        List<String> order = new ArrayList<>();
        order.add(NAMESPACE_COMPONENT);
        order.addAll(components);
        int fileIndex = 0;
        for (String path : templates(components)) {
            String component = path.equals("stack/namespace.yaml") ? NAMESPACE_COMPONENT : path.split("/")[1];
            String text = engine().render(path, context);
            int docIndex = 0;
            for (RenderedDocument doc : documents(component, path, text)) {
                rendered.add(new Rendered(doc, rank(doc.kind()), order.indexOf(component), fileIndex, docIndex++));
            }
            fileIndex++;
        }
        rejectDuplicates(rendered);
        List<RenderedDocument> sorted = rendered.stream()
                .sorted(Comparator.comparingInt(Rendered::rank).thenComparingInt(Rendered::component)
                        .thenComparingInt(Rendered::file).thenComparingInt(Rendered::index))
                .map(Rendered::doc)
                .toList();
        return new RenderedStack(values, components, sorted);
    }

    /** Multi-document YAML, each document after {@code ---} and a {@code # Source: path} comment. */
    public static String toYaml(List<RenderedDocument> documents) {
        StringBuilder out = new StringBuilder();
        for (RenderedDocument d : documents) {
            out.append("---\n# Source: ").append(d.source()).append('\n').append(d.yaml());
        }
        return out.toString();
    }

    /**
     * The file name each component gets with {@code --out}: {@code 00-namespace.yaml}, then
     * {@code NN-<component>.yaml} numbered by the component's place among the known ones (10, 20, ...), so
     * names stay the same whichever components are enabled.
     */
    public String fileName(String component) {
        if (component.equals(NAMESPACE_COMPONENT)) {
            return "00-namespace.yaml";
        }
        int place = knownComponents().indexOf(component) + 1;
        return String.format("%02d-%s.yaml", place * 10, component);
    }

    /**
     * Writes one file per component into {@code dir} (created if missing), each with its documents in apply
     * order. Every file is written to a temporary file first and renamed into place, so a failure leaves
     * existing files as they were. Returns the files written, namespace first.
     */
    public List<WrittenFile> writeByComponent(RenderedStack stack, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw Devk8sException.usage("--out " + dir + ": is a file, not a folder; give a folder to write into");
        }
        LinkedHashMap<String, String> files = new LinkedHashMap<>();
        Map<String, List<RenderedDocument>> byFile = new HashMap<>();
        List<String> order = new ArrayList<>();
        order.add(NAMESPACE_COMPONENT);
        order.addAll(stack.components());
        for (String component : order) {
            List<RenderedDocument> docs = stack.documents(component);
            if (!docs.isEmpty()) {
                files.put(fileName(component), toYaml(docs));
                byFile.put(fileName(component), docs);
            }
        }
        List<Path> temps = new ArrayList<>();
        List<WrittenFile> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path temp = Files.createTempFile(dir, "." + file.getKey() + ".", ".tmp");
                temps.add(temp);
                Files.writeString(temp, file.getValue(), StandardCharsets.UTF_8);
            }
            int i = 0;
            for (String name : files.keySet()) {
                Path target = dir.resolve(name);
                move(temps.get(i++), target);
                List<RenderedDocument> docs = byFile.get(name);
                written.add(new WrittenFile(docs.get(0).component(), target, docs.size()));
            }
            return written;
        } catch (IOException e) {
            throw Devk8sException.failure("--out " + dir + ": could not write (" + e.getMessage()
                    + "); check the folder's permissions and free space", e);
        } finally {
            for (Path temp : temps) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary file is harmless
                }
            }
        }
    }

    /**
     * Files named like ours ({@code NN-name.yaml}) in {@code dir} that were not just written: left over from
     * components rendered before but not this time. They are never deleted, only reported.
     */
    public List<Path> leftoverFiles(Path dir, List<WrittenFile> written) {
        List<Path> ours = written.stream().map(WrittenFile::path).toList();
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d\\d-[^/]+\\.yaml") && !ours.contains(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private List<String> enabledComponents(List<String> requested) {
        List<String> known = knownComponents();
        if (requested.isEmpty()) {
            return known;
        }
        LinkedHashSet<String> wanted = new LinkedHashSet<>();
        if (requested.stream().allMatch(String::isBlank)) {
            throw Devk8sException.usage("--components: name at least one component, or leave the flag out for all; "
                    + "known components: " + String.join(", ", known));
        }
        for (String name : requested) {
            String c = name.strip();
            if (c.isEmpty()) {
                continue;
            }
            if (!known.contains(c)) {
                throw Devk8sException.usage("--components " + String.join(",", requested) + ": unknown component '"
                        + c + "'; known components: " + String.join(", ", known));
            }
            wanted.add(c);
        }
        return known.stream().filter(wanted::contains).toList();
    }

    /** namespace.yaml, then each component's document templates in file-name order. */
    private List<String> templates(List<String> components) {
        List<String> paths = new ArrayList<>();
        paths.add("stack/namespace.yaml");
        List<String> all = source.list("stack/");
        for (String component : components) {
            String prefix = "stack/" + component + "/";
            all.stream()
                    .filter(p -> p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0)
                    .filter(p -> isDocumentTemplate(p.substring(prefix.length())))
                    .forEach(paths::add);
        }
        return paths;
    }

    private static boolean isDocumentTemplate(String fileName) {
        return !fileName.startsWith("_") && (fileName.endsWith(".yaml") || fileName.endsWith(".yml"));
    }

    /** Splits rendered text at {@code ---} lines and reads each non-empty document's kind and name. */
    private List<RenderedDocument> documents(String component, String path, String text) {
        List<RenderedDocument> docs = new ArrayList<>();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        StringBuilder current = new StringBuilder();
        int startLine = 1;
        int number = 1;
        for (int i = 0; i <= lines.length; i++) {
            boolean end = i == lines.length;
            if (end || lines[i].matches("---(\\s.*)?")) {
                parse(component, path, current.toString(), startLine, number).ifPresent(docs::add);
                number++;
                current.setLength(0);
                startLine = i + 2;
            } else {
                current.append(lines[i]).append('\n');
            }
        }
        return docs;
    }

    private Optional<RenderedDocument> parse(String component, String path, String text, int startLine, int number) {
        JsonNode node;
        try {
            node = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + (startLine + at.getLineNr() - 1)
                    + " of the rendered output";
            throw Devk8sException.usage(source.describe(path) + ": rendered document " + number + " is not valid YAML"
                    + where + ": " + reason(e) + " (check the indentation of inserted values)");
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        String kind = node.path("kind").asText("");
        String name = node.path("metadata").path("name").asText("");
        if (!node.isObject() || kind.isEmpty() || name.isEmpty() || !node.path("apiVersion").isTextual()) {
            throw Devk8sException.usage(source.describe(path) + ": rendered document " + number + " is not a Kubernetes"
                    + " object: it needs apiVersion, kind and metadata.name");
        }
        JsonNode ns = node.path("metadata").path("namespace");
        String namespace = ns.isTextual() && !ns.asText().isEmpty() ? ns.asText() : null;
        int leadingBlank = (int) text.lines().takeWhile(String::isBlank).count();
        return Optional.of(new RenderedDocument(component, path, kind, name, namespace, trimBlankLines(text),
                startLine + leadingBlank));
    }

    private static String trimBlankLines(String text) {
        String[] lines = text.split("\n", -1);
        int first = 0;
        int last = lines.length - 1;
        while (first <= last && lines[first].isBlank()) {
            first++;
        }
        while (last >= first && lines[last].isBlank()) {
            last--;
        }
        StringBuilder out = new StringBuilder();
        for (int i = first; i <= last; i++) {
            out.append(lines[i].stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private void rejectDuplicates(List<Rendered> rendered) {
        Map<String, RenderedDocument> seen = new HashMap<>();
        for (Rendered r : rendered) {
            RenderedDocument d = r.doc();
            String key = d.kind() + "/" + d.namespace() + "/" + d.name();
            RenderedDocument other = seen.putIfAbsent(key, d);
            if (other != null) {
                throw Devk8sException.usage(source.describe(d.source()) + ": " + d.describe() + " is already defined in "
                        + source.describe(other.source()) + "; rename one of them or remove it");
            }
        }
    }

    /** Position of a kind in {@link #APPLY_ORDER}; kinds not listed come after all listed ones. */
    static int rank(String kind) {
        for (int i = 0; i < APPLY_ORDER.size(); i++) {
            if (APPLY_ORDER.get(i).contains(kind)) {
                return i;
            }
        }
        return APPLY_ORDER.size();
    }

    private Map<String, Object> loadYaml(String path, boolean required) {
        Optional<String> bundled = source.readBundled(path);
        Optional<String> own = source.readOverride(path);
        if (required && bundled.isEmpty() && own.isEmpty()) {
            throw Devk8sException.usage(path + " not found: the stack's defaults are missing"
                    + source.overrideDir().map(d -> "; add " + d.resolve(path) + " to your --templates folder").orElse(
                            " from this build of devk8s; pass --templates DIR with a " + path));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (bundled.isPresent()) {
            values = ValueOverrides.merge(values, readMap("templates/" + path, bundled.get()));
        }
        if (own.isPresent()) {
            values = ValueOverrides.merge(values, readMap(source.describe(path), own.get()));
        }
        return values;
    }

    private Map<String, Object> readMap(String file, String text) {
        if (text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Object> map = yaml.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
            return map == null ? new LinkedHashMap<>() : map;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String line = at == null || at.getLineNr() < 1 ? "" : ":" + at.getLineNr();
            throw Devk8sException.usage(file + line + ": not valid YAML: " + reason(e)
                    + " (it must be a mapping of keys to values)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parser's explanation without its excerpt lines: "while parsing ...; expected ..., but found ...". */
    private static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        return String.join("; ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
    }

    private record Rendered(RenderedDocument doc, int rank, int component, int file, int index) {}
}
