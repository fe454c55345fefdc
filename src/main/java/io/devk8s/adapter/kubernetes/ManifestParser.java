package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.template.YamlDocuments;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Namespaced;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses rendered multi-document YAML into {@link Manifest}s: typed fabric8 objects for the kinds fabric8 knows,
 * generic ones for the rest (custom resources), each with its source and line. Makes no request; the default
 * namespace comes from the connection's kubeconfig.
 */
final class ManifestParser {
    private static final Pattern KIND_LINE = Pattern.compile("^kind\\s*:.*");

    private final KubeConnection connection;

    ManifestParser(KubeConnection connection) {
        this.connection = connection;
    }

    /**
     * Parses rendered multi-document YAML into typed objects, in document order. Empty documents are skipped,
     * {@code kind: List} documents are flattened, and a namespaced object without a namespace gets the context's
     * default namespace (as kubectl does). A document that does not parse, or lacks kind, apiVersion or
     * metadata.name, is a usage error naming {@code source}, the document number and its first line.
     */
    List<Manifest> parse(String multiDocYaml, String source, int firstLine) {
        List<Manifest> objects = new ArrayList<>();
        for (YamlDocuments.Document document : YamlDocuments.split(multiDocYaml)) {
            parseDocument(document.text(), source, document.number(), firstLine + document.line() - 1, objects);
        }
        return objects;
    }

    private void parseDocument(String text, String source, int number, int line, List<Manifest> into) {
        if (text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            return;
        }
        String where = source + " document " + number + " (line " + line + ")";
        Object parsed;
        try {
            parsed = connection.serialization().unmarshal(text);
        } catch (RuntimeException e) {
            throw Devk8sException.usage(describeParseError(e, source, number, line)
                    + ": fix the manifest or the template it comes from");
        }
        if (parsed instanceof KubernetesList list) {
            for (HasMetadata item : list.getItems()) {
                into.add(new Manifest(checked(item, where), source, kindLine(text, line)));
            }
        } else if (parsed instanceof HasMetadata object) {
            into.add(new Manifest(checked(object, where), source, kindLine(text, line)));
        } else if (parsed == null || parsed instanceof io.fabric8.kubernetes.api.model.runtime.RawExtension) {
            throw Devk8sException.usage(where + ": not a Kubernetes object (no kind and apiVersion): fix the manifest");
        } else {
            throw Devk8sException.usage(where + ": " + parsed.getClass().getSimpleName()
                    + " is not an object devk8s can apply: remove it from the manifests");
        }
    }

    private static final Pattern YAML_MARK = Pattern.compile("line (\\d+), column (\\d+)");
    private static final Pattern JSON_FIELD = Pattern.compile("\\[\"([^\"]+)\"\\]");

    /**
     * {@code stack.yaml line 24 (document 3): while parsing a flow sequence: expected ',' or ']'} for a YAML syntax
     * error, {@code stack.yaml document 3 (line 20): data.a: Cannot deserialize ...} for a type error.
     */
    private static String describeParseError(RuntimeException e, String source, int number, int line) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String raw = root.getMessage() == null ? e.toString() : root.getMessage();
        java.util.regex.Matcher mark = YAML_MARK.matcher(raw);
        if (mark.find()) {
            int absolute = line + Integer.parseInt(mark.group(1)) - 1;
            String problem = raw.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                    .map(String::strip).collect(java.util.stream.Collectors.joining(": "));
            return source + " line " + absolute + " (document " + number + "): " + problem;
        }
        Optional<String> typeError = ManifestTypeError.describe(raw);
        if (typeError.isPresent()) {
            return source + " document " + number + " (line " + line + "): " + typeError.get();
        }
        String first = raw.lines().findFirst().orElse(raw).replaceAll(" \\(token `[^`]*`\\)", "").strip();
        StringBuilder field = new StringBuilder();
        int chain = raw.indexOf("reference chain:");
        if (chain >= 0) {
            java.util.regex.Matcher m = JSON_FIELD.matcher(raw.substring(chain));
            while (m.find()) {
                field.append(field.length() == 0 ? "" : ".").append(m.group(1));
            }
        }
        return source + " document " + number + " (line " + line + "): " + (field.length() == 0 ? "" : field + ": ")
                + first;
    }

    private HasMetadata checked(HasMetadata object, String where) {
        if (object.getKind() == null || object.getKind().isBlank() || object.getApiVersion() == null
                || object.getApiVersion().isBlank()) {
            throw Devk8sException.usage(where + ": missing kind or apiVersion: add both to the manifest");
        }
        if (object.getMetadata() == null || object.getMetadata().getName() == null
                || object.getMetadata().getName().isBlank()) {
            throw Devk8sException.usage(where + ": " + object.getKind()
                    + " has no metadata.name: give it a name in the manifest");
        }
        if (clusterScoped(object)) {
            object.getMetadata().setNamespace(null); // as kubectl does: the API server ignores it, prune must too
        } else if (object instanceof Namespaced && object.getMetadata().getNamespace() == null) {
            object.getMetadata().setNamespace(connection.defaultNamespace());
        }
        return object;
    }

    /**
     * Whether the object's kind is known to be cluster-scoped: one of {@link ResourceKind}'s cluster-scoped kinds,
     * or a typed fabric8 model class that is not {@link Namespaced} (PersistentVolume, StorageClass,
     * CustomResourceDefinition, ...). Kinds fabric8 does not know (custom resources) are left as written.
     */
    private static boolean clusterScoped(HasMetadata object) {
        Optional<ResourceKind> known = ResourceKind.forKind(object.getKind());
        if (known.isPresent() && known.get().type().isInstance(object)) {
            return !known.get().namespaced();
        }
        return !(object instanceof Namespaced)
                && !(object instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource);
    }

    /** The line of the document's top-level {@code kind:}, or its first line when there is none. */
    private static int kindLine(String text, int documentLine) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (KIND_LINE.matcher(lines.get(i)).matches()) {
                return documentLine + i;
            }
        }
        return documentLine;
    }
}
