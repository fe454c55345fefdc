package io.devk8s.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.adapter.json.JsonTrees;
import io.devk8s.adapter.template.AtomicWriter;
import io.devk8s.adapter.template.EnvSubst;
import io.devk8s.adapter.template.TemplateEngine;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.adapter.template.YamlDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a template root: {@code stack/} for the dev stack, another folder of the templates (such as
 * {@code app/}) the same way. The defaults are {@code ROOT/values.yaml} and {@code ROOT/versions.yaml} (a user
 * folder's copies are merged over the bundled ones, key by key), overridden by {@code --set},
 * {@code --namespace} and {@code --domain}, and checked against {@code ROOT/values.schema.yaml}; then
 * {@code ROOT/namespace.yaml} (when the root has one) and every {@code ROOT/<component>/*.yaml} of the enabled
 * components (files starting with {@code _} are partials, {@code files/} holds raw files for {@code embed}) are
 * rendered, split into documents and sorted in apply order.
 *
 * <p>Why one long class: values, schema, overrides, partials and Jinja rendering share one set of origins (which
 * file or flag a value came from) that every error message names; the pieces live beside it in {@code service}
 * ({@code ValuesSchema}, {@code ValueOverrides}) and {@code adapter/template}.
 */
public final class RenderService {
    /** The stack's own components, in the order they are rendered; a user folder may add more after them. */
    public static final List<String> STACK_COMPONENTS = StackCatalog.COMPONENT_NAMES;
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

    /** The root of the dev stack's templates. */
    public static final String STACK_ROOT = "stack";

    private final TemplateSource source;
    private final Environment environment;
    private final String root;
    private final Map<String, String> variables;
    private TemplateEngine engine;
    /** Every environment variable this renderer's templates looked up, with what they got (absent: empty). */
    private final Map<String, Optional<String>> environmentRead = new ConcurrentHashMap<>();
    /** Renders kept for the next command of this process that renders the same (see {@link RenderMemo}). */
    private static final RenderMemo MEMO = new RenderMemo(4);
    private final YAMLFactory yamlFactory = new YAMLFactory();
    /** Made on first need only (see {@link JsonTrees}): the general reader of a values file that is not plain. */
    private ObjectMapper yamlMapper;

    /** The dev stack's renderer: templates under {@code stack/}. */
    public RenderService(TemplateSource source, Environment environment) {
        this(source, environment, STACK_ROOT, Map.of());
    }

    /**
     * A renderer of the templates under {@code root} (a folder name of the templates, e.g. {@code stack} or
     * {@code app}). {@code variables} (e.g. {@code APP}, {@code IMAGE}, {@code VERSION}) are seen by templates
     * both as {@code ${NAME}}, before the environment's variables of the same name, and as Jinja variables.
     */
    public RenderService(TemplateSource source, Environment environment, String root, Map<String, String> variables) {
        if (!root.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("template root must be one folder name: " + root);
        }
        this.source = source;
        this.root = root;
        this.variables = Map.copyOf(variables);
        Environment env = environment;
        for (Map.Entry<String, String> v : this.variables.entrySet()) {
            env = env.with(v.getKey(), v.getValue());
        }
        this.environment = env;
    }

    /** The template root this renders, e.g. {@code stack}. */
    public String root() {
        return root;
    }

    private String path(String file) {
        return root + "/" + file;
    }

    /** The template engine, built on first render (Jinjava costs about 300 ms; {@link #values} needs none). */
    private synchronized TemplateEngine engine() {
        if (engine == null) {
            engine = new TemplateEngine(source, new EnvSubst(name -> {
                Optional<String> value = environment.get(name);
                environmentRead.put(name, value);
                return value;
            }));
        }
        return engine;
    }

    /** Components the templates hold: the stack's own in stack order, then any others a user folder adds. */
    public List<String> knownComponents() {
        TreeSet<String> found = new TreeSet<>();
        for (String path : source.list(root + "/")) {
            String[] parts = path.split("/");
            if (parts.length == 3 && isDocumentTemplate(parts[2])) {
                found.add(parts[1]);
            }
        }
        List<String> ordered = new ArrayList<>(STACK_COMPONENTS.stream().filter(found::contains).toList());
        found.stream().filter(c -> !ordered.contains(c)).forEach(ordered::add);
        return ordered;
    }

    /**
     * The effective values for these options, without rendering anything: the values files merged, then
     * {@code --set}, {@code --namespace} and {@code --domain}, then checked against the schema.
     *
     * @throws Devk8sException (usage) naming the flag or file, the key, the value and what is allowed
     */
    public StackValues values(StackOptions options) {
        Map<String, String> origins = new HashMap<>();
        Map<String, Object> values = ValueOverrides.merge(loadYaml(path("values.yaml"), true, origins),
                loadYaml(path("versions.yaml"), false, origins));
        for (String assignment : options.sets()) {
            ValueOverrides.set(values, assignment);
            int eq = assignment.indexOf('=');
            origins.put(assignment.substring(0, eq).strip(), "--set " + assignment);
        }
        if (options.namespace() != null) {
            ValueOverrides.checkNamespace("--namespace " + options.namespace(), options.namespace());
            values.put("namespace", options.namespace());
            origins.put("namespace", "--namespace " + options.namespace());
        }
        if (options.domain() != null) {
            ValueOverrides.checkDomain("--domain " + options.domain(), options.domain());
            values.put("domain", options.domain());
            origins.put("domain", "--domain " + options.domain());
        }
        schema().check(values, key -> origin(origins, key));
        return new StackValues(values);
    }

    /** {@code ROOT/values.schema.yaml}, a user folder's copy merged over the bundled one; empty when neither exists. */
    ValuesSchema schema() {
        Map<String, Object> raw = loadYaml(path("values.schema.yaml"), false, new HashMap<>());
        String file = source.readOverride(path("values.schema.yaml")).isPresent()
                ? source.describe(path("values.schema.yaml")) : "templates/" + path("values.schema.yaml");
        return ValuesSchema.parse(file, raw);
    }

    /** Where the value of {@code key} (or, for a group, of a key inside it) came from. */
    private String origin(Map<String, String> origins, String key) {
        if (origins.containsKey(key)) {
            return origins.get(key);
        }
        for (Map.Entry<String, String> e : origins.entrySet()) {
            if (e.getKey().startsWith(key + ".")) {
                return e.getValue();
            }
        }
        for (String prefix = key; prefix.contains("."); prefix = prefix.substring(0, prefix.lastIndexOf('.'))) {
            if (origins.containsKey(prefix)) {
                return origins.get(prefix);
            }
        }
        return "templates/" + path("values.yaml");
    }

    /**
     * Renders every template of the enabled components and returns the documents in apply order: by kind
     * (see {@link #APPLY_ORDER}), then component order, file order and position in the file. The same inputs
     * rendered earlier in this process give that render's documents again (see {@link RenderMemo}).
     *
     * @throws Devk8sException (usage) for an unknown component or {@code --set} key, a bad value, a template
     *     error (naming file and line) or a rendered document that is not a Kubernetes object
     */
    public RenderedStack renderStack(StackOptions options) {
        RenderMemo.Key key = RenderMemo.Key.of(root, source, options, variables);
        Optional<RenderedStack> kept = MEMO.find(key, environment::get);
        if (kept.isPresent()) {
            return kept.get();
        }
        RenderedStack stack = render(options);
        MEMO.keep(key, environmentRead, stack);
        return stack;
    }

    private RenderedStack render(StackOptions options) {
        List<String> components = enabledComponents(options.components());
        StackValues values = values(options);
        Map<String, Object> context = new HashMap<>(values.values());
        context.putAll(variables);
        context.put("components", components);

        List<Rendered> rendered = new ArrayList<>();
        List<String> order = new ArrayList<>();
        order.add(NAMESPACE_COMPONENT);
        order.addAll(components);
        int fileIndex = 0;
        for (String path : templates(components)) {
            String component = path.equals(path("namespace.yaml")) ? NAMESPACE_COMPONENT : path.split("/")[1];
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
     * existing files as they were; a new file gets the permissions the umask gives, an existing one keeps its
     * own (see {@link AtomicWriter}). Returns the files written, namespace first.
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
        Map<Path, String> contents = new LinkedHashMap<>();
        List<WrittenFile> written = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            contents.put(target, file.getValue());
            List<RenderedDocument> docs = byFile.get(file.getKey());
            written.add(new WrittenFile(docs.get(0).component(), target, docs.size()));
        }
        try {
            Files.createDirectories(dir);
            AtomicWriter.write(contents);
            return written;
        } catch (Devk8sException e) {
            throw Devk8sException.usage("--out " + dir + ": " + e.getMessage());
        } catch (IOException e) {
            throw Devk8sException.failure("--out " + dir + ": could not write (" + e.getMessage()
                    + "); check the folder's permissions and free space", e);
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

    /**
     * The components {@code --components} names, in stack order; all when the flag was not given. Each entry
     * may hold several comma-separated names; naming none at all ({@code --components ,,}) is an error.
     */
    private List<String> enabledComponents(List<String> requested) {
        List<String> known = knownComponents();
        if (requested.isEmpty()) {
            return known;
        }
        String given = String.join(",", requested);
        List<String> names = requested.stream()
                .flatMap(r -> java.util.Arrays.stream(r.split(",")))
                .map(String::strip)
                .filter(n -> !n.isEmpty())
                .toList();
        if (names.isEmpty()) {
            throw Devk8sException.usage("--components '" + given + "': names no component; name at least one, or "
                    + "leave the flag out for all; known components: " + String.join(", ", known));
        }
        LinkedHashSet<String> wanted = new LinkedHashSet<>();
        for (String c : names) {
            if (!known.contains(c)) {
                List<String> close = known.stream().filter(k -> ValueOverrides.isCloseName(c, k)).toList();
                throw Devk8sException.usage("--components " + given + ": unknown component '" + c + "'; "
                        + (close.isEmpty() ? "" : "did you mean " + String.join(" or ", close) + "? ")
                        + "known components: " + String.join(", ", known));
            }
            wanted.add(c);
        }
        return known.stream().filter(wanted::contains).toList();
    }

    /** namespace.yaml, then each component's document templates in file-name order. */
    private List<String> templates(List<String> components) {
        List<String> paths = new ArrayList<>();
        if (root.equals(STACK_ROOT) || source.readOptional(path("namespace.yaml")).isPresent()) {
            paths.add(path("namespace.yaml"));
        }
        List<String> all = source.list(root + "/");
        for (String component : components) {
            String prefix = root + "/" + component + "/";
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

    /** Splits rendered text into documents ({@link YamlDocuments}) and reads each one's kind and name. */
    private List<RenderedDocument> documents(String component, String path, String text) {
        List<RenderedDocument> docs = new ArrayList<>();
        for (YamlDocuments.Document d : YamlDocuments.split(text)) {
            parse(component, path, d.text(), d.line(), d.number()).ifPresent(docs::add);
        }
        return docs;
    }

    private Optional<RenderedDocument> parse(String component, String path, String text, int startLine, int number) {
        JsonNode node;
        try {
            try (JsonParser parser = yamlFactory.createParser(text)) {
                node = JsonTrees.read(parser);
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + (startLine + at.getLineNr() - 1)
                    + " of the rendered output";
            throw Devk8sException.usage(source.describe(path) + ": rendered document " + number + " is not valid YAML"
                    + where + ": " + reason(e) + " (check the indentation of inserted values)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    private Map<String, Object> loadYaml(String path, boolean required, Map<String, String> origins) {
        Optional<String> bundled = source.readBundled(path);
        Optional<String> own = source.readOverride(path);
        if (required && bundled.isEmpty() && own.isEmpty()) {
            throw Devk8sException.usage(path + " not found: the stack's defaults are missing"
                    + source.overrideDir().map(d -> "; add " + d.resolve(path) + " to your --templates folder").orElse(
                            " from this build of devk8s; pass --templates DIR with a " + path));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (bundled.isPresent()) {
            values = mergeFrom("templates/" + path, bundled.get(), values, origins);
        }
        if (own.isPresent()) {
            values = mergeFrom(source.describe(path), own.get(), values, origins);
        }
        return values;
    }

    private Map<String, Object> mergeFrom(String file, String text, Map<String, Object> values, Map<String, String> origins) {
        Map<String, Object> read = readMap(file, text);
        List<String> keys = new ArrayList<>();
        ValueOverrides.leafKeys("", read, keys);
        keys.forEach(k -> origins.put(k, file));
        return ValueOverrides.merge(values, read);
    }

    /**
     * The last few YAML texts of {@link #readMap} and what they parsed to: values.yaml, versions.yaml and
     * values.schema.yaml are the same text command after command in the background process (status reads them twice
     * per command). Keyed by the whole text, so any change parses again; handed out as copies.
     */
    private static final Map<String, Map<String, Object>> PARSED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
            return size() > 8;
        }
    };

    @SuppressWarnings("unchecked")
    private Map<String, Object> readMap(String file, String text) {
        Map<String, Object> parsed;
        synchronized (PARSED) {
            parsed = PARSED.get(text);
        }
        if (parsed == null) {
            parsed = parseMap(file, text);
            synchronized (PARSED) {
                PARSED.put(text, (Map<String, Object>) RenderMemo.deepCopy(parsed));
            }
            return parsed;
        }
        return (Map<String, Object>) RenderMemo.deepCopy(parsed);
    }

    private Map<String, Object> parseMap(String file, String text) {
        if (text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            return new LinkedHashMap<>();
        }
        try {
            try (JsonParser parser = yamlFactory.createParser(text)) {
                Optional<Map<String, Object>> plain = JsonTrees.readMap(parser);
                if (plain.isPresent()) {
                    return plain.get();
                }
            }
            if (yamlMapper == null) {
                yamlMapper = new ObjectMapper(yamlFactory);
            }
            Map<String, Object> map = yamlMapper.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
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
    static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        message = String.join("; ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
        // the YAML parser's event classes are no words for a user: "got <...MappingStartEvent(...)>" becomes "got a mapping"
        java.util.regex.Matcher event = PARSER_EVENT.matcher(message);
        StringBuilder out = new StringBuilder();
        while (event.find()) {
            String word = switch (event.group(1)) {
                case "MappingStart" -> "a mapping (a '{' or an indented key where a key belongs; quote a value that starts with '{')";
                case "SequenceStart" -> "a list (a '[' or '- ' where a key belongs; quote a value that starts with '[')";
                case "Scalar" -> "a value";
                case "MappingEnd", "SequenceEnd", "DocumentEnd", "StreamEnd" -> "the end of the block";
                default -> "something else";
            };
            event.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(word));
        }
        event.appendTail(out);
        return out.toString().replace("Expected a field name (Scalar value in YAML), got this instead:", "expected a key, got");
    }

    private static final java.util.regex.Pattern PARSER_EVENT =
            java.util.regex.Pattern.compile("<?(?:[a-z]+\\.)*(\\w+?)Event(?:\\([^)]*\\))?>?");

    private record Rendered(RenderedDocument doc, int rank, int component, int file, int index) {}
}
