package io.devk8s.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.devk8s.adapter.template.TemplateEngine;
import io.devk8s.adapter.template.TemplateSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the bundled stack templates the way {@code devk8s render stack} does, for tests: the defaults of
 * {@code stack/values.yaml} plus {@code images} from {@code stack/versions.yaml} plus {@code components}, then
 * {@code stack/namespace.yaml} and every {@code stack/<component>/*.yaml} of the enabled components, skipping
 * {@code _} partials and raw {@code files/}. Documents are joined with {@code ---} in template order.
 */
public final class StackRendering {
    public static final List<String> COMPONENTS = List.of("traefik", "prometheus", "grafana", "jaeger");

    private static final YAMLMapper YAML = new YAMLMapper();

    private StackRendering() {}

    public static TemplateSource source() {
        return TemplateSource.bundled();
    }

    /** The documented defaults plus the pinned images, as the templates see them. */
    public static Map<String, Object> defaults() {
        Map<String, Object> values = readYaml("stack/values.yaml");
        values.put("images", readYaml("stack/versions.yaml").get("images"));
        return values;
    }

    /** A deep copy of {@code values} with one existing dotted key ({@code traefik.nodePort}) replaced. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> with(Map<String, Object> values, String dottedKey, Object value) {
        Map<String, Object> copy = YAML.convertValue(values, new TypeReference<LinkedHashMap<String, Object>>() {});
        String[] parts = dottedKey.split("\\.");
        Map<String, Object> at = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = at.get(parts[i]);
            if (!(next instanceof Map)) {
                throw new IllegalArgumentException("no key " + dottedKey + " in values.yaml");
            }
            at = (Map<String, Object>) next;
        }
        if (!at.containsKey(parts[parts.length - 1])) {
            throw new IllegalArgumentException("no key " + dottedKey + " in values.yaml");
        }
        at.put(parts[parts.length - 1], value);
        return copy;
    }

    /** Template paths rendered for these components, in order. */
    public static List<String> templatePaths(List<String> components) {
        List<String> all = source().list("stack");
        List<String> paths = new ArrayList<>();
        paths.add("stack/namespace.yaml");
        for (String component : components) {
            String prefix = "stack/" + component + "/";
            for (String path : all) {
                String rest = path.startsWith(prefix) ? path.substring(prefix.length()) : null;
                if (rest != null && !rest.contains("/") && !rest.startsWith("_") && rest.endsWith(".yaml")) {
                    paths.add(path);
                }
            }
        }
        return paths;
    }

    public static String render() {
        return render(defaults(), COMPONENTS);
    }

    public static String render(Map<String, Object> values) {
        return render(values, COMPONENTS);
    }

    public static String render(Map<String, Object> values, List<String> components) {
        Map<String, Object> variables = new LinkedHashMap<>(values);
        variables.put("components", List.copyOf(components));
        TemplateEngine engine = new TemplateEngine(source());
        StringBuilder out = new StringBuilder();
        for (String path : templatePaths(components)) {
            String rendered = engine.render(path, variables);
            if (out.length() > 0) {
                out.append("---\n");
            }
            out.append("# Source: ").append(path).append('\n').append(rendered);
            if (!rendered.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static Map<String, Object> readYaml(String path) {
        try {
            return YAML.readValue(source().read(path), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (Exception e) {
            throw new IllegalStateException("cannot read templates/" + path + ": " + e.getMessage(), e);
        }
    }
}
