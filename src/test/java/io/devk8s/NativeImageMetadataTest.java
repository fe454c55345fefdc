package io.devk8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The GraalVM native-image metadata under {@code src/main/resources/META-INF/native-image/io.devk8s/devk8s/}.
 * No native build runs here (GraalVM cannot be installed on the build machines), so these checks are what can be
 * checked on the JVM:
 * <ul>
 *   <li>{@code resource-config.json} includes every file the code reads as a resource: every bundled template
 *       (a native image holds only the resources the config names, and cannot list folders), the completion
 *       scripts, the version file;</li>
 *   <li>{@code generated/reflect-config.json} is current: it is generated here from the code, not by the tracing
 *       agent: the report records {@code -o json|yaml} serializes, the docker-java and fabric8 model classes
 *       reachable from the types devk8s reads and writes (Jackson binds them by reflection), and the filters, tags,
 *       tests and functions Jinjava instantiates or calls by reflection. Regenerate with
 *       {@code mvn -q test -Dtest=NativeImageMetadataTest -Ddevk8s.writeNativeConfig=true}.</li>
 * </ul>
 * What only the tracing agent can find (other reflection inside the libraries) is merged into
 * {@code reflect-config.json} next to {@code generated/} by the steps in README's "Native image" section.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NativeImageMetadataTest {

    private static final Path PROJECT = Path.of(System.getProperty("devk8s.project.dir", ".")).toAbsolutePath();
    private static final Path CONFIG_DIR = PROJECT.resolve("src/main/resources/META-INF/native-image/io.devk8s/devk8s");
    private static final Path GENERATED = CONFIG_DIR.resolve("generated/reflect-config.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static List<Pattern> resourceIncludes() throws Exception {
        JsonNode config = JSON.readTree(CONFIG_DIR.resolve("resource-config.json").toFile());
        List<Pattern> patterns = new ArrayList<>();
        for (JsonNode include : config.path("resources").path("includes")) {
            patterns.add(Pattern.compile(include.path("pattern").asText()));
        }
        return patterns;
    }

    private static boolean included(List<Pattern> patterns, String resource) {
        return patterns.stream().anyMatch(p -> p.matcher(resource).matches());
    }

    @Test
    void resource_config_includes_every_bundled_template_file_and_every_completion_script() throws Exception {
        List<Pattern> includes = resourceIncludes();
        List<String> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(PROJECT.resolve("templates"))) {
            files.filter(Files::isRegularFile).forEach(f -> resources.add("META-INF/devk8s/templates/"
                    + PROJECT.resolve("templates").relativize(f).toString().replace('\\', '/')));
        }
        assertTrue(resources.size() > 20, "the bundled templates: " + resources);
        try (Stream<Path> files = Files.list(PROJECT.resolve("completions"))) {
            files.forEach(f -> resources.add("META-INF/devk8s/completions/" + f.getFileName()));
        }
        for (String resource : resources) {
            assertTrue(included(includes, resource), "resource-config.json does not include " + resource);
            // the build puts it on the class path under that name, where the code and native-image look for it
            assertTrue(getClass().getClassLoader().getResource(resource) != null, "not on the class path: " + resource);
        }
        // and the patterns are not so wide that they pull in everything
        assertTrue(!included(includes, "io/devk8s/Devk8s.class") && !included(includes, "templates/stack/values.yaml"),
                "resource patterns too wide: " + includes);
    }

    @Test
    void generated_reflect_config_is_current() throws Exception {
        String generated = JSON.writeValueAsString(reflectConfig()) + "\n";
        if (Boolean.getBoolean("devk8s.writeNativeConfig")) {
            Files.createDirectories(GENERATED.getParent());
            Files.writeString(GENERATED, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(GENERATED), "missing " + GENERATED);
        assertEquals(generated, Files.readString(GENERATED, StandardCharsets.UTF_8), GENERATED + " is out of date; "
                + "regenerate it: mvn -q test -Dtest=NativeImageMetadataTest -Ddevk8s.writeNativeConfig=true");
        for (String name : List.of("io.devk8s.service.StatusReport", "com.github.dockerjava.api.model.BuildResponseItem",
                "io.fabric8.kubernetes.api.model.apps.Deployment", "io.fabric8.kubernetes.api.model.Container",
                "com.hubspot.jinjava.lib.filter.DefaultFilter")) {
            assertTrue(generated.contains("\"" + name + "\""), "reflect-config lacks " + name);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The kinds devk8s reads or writes besides those of the bundled templates (found from their "kind:" lines). */
    private static final List<String> MORE_KINDS = List.of("Pod", "PodList", "ReplicaSet", "ReplicaSetList",
            "Event", "EventList", "Namespace", "NamespaceList", "DeploymentList", "StatefulSet", "DaemonSet", "Job",
            "ServiceList", "IngressList", "IngressClassList", "ConfigMapList", "SecretList", "PersistentVolumeClaimList",
            "APIResourceList", "APIGroupList", "Status", "GenericKubernetesResource", "GenericKubernetesResourceList",
            "Config");
    private static final List<String> FABRIC8_PACKAGES = List.of("io.fabric8.kubernetes.api.model",
            "io.fabric8.kubernetes.api.model.apps", "io.fabric8.kubernetes.api.model.batch.v1",
            "io.fabric8.kubernetes.api.model.networking.v1", "io.fabric8.kubernetes.api.model.rbac",
            "io.fabric8.kubernetes.api.model.policy.v1");
    /** docker-java: the responses of the calls devk8s makes (version, ping, list/inspect/build/tag image). */
    private static final List<String> DOCKER_ROOTS = List.of("com.github.dockerjava.api.model.Version",
            "com.github.dockerjava.api.model.Image", "com.github.dockerjava.api.command.InspectImageResponse",
            "com.github.dockerjava.api.model.BuildResponseItem", "com.github.dockerjava.api.model.AuthConfig",
            "com.github.dockerjava.api.model.AuthConfigurations");
    /** What {@code -o json|yaml} serializes. */
    private static final List<String> REPORT_ROOTS = List.of("io.devk8s.service.StatusReport",
            "io.devk8s.service.DoctorReport", "io.devk8s.service.HostsBlockReport");

    private static ArrayNode reflectConfig() throws Exception {
        Set<Class<?>> bound = new LinkedHashSet<>();
        for (String root : REPORT_ROOTS) {
            walk(Class.forName(root), "io.devk8s.", bound);
        }
        for (String root : DOCKER_ROOTS) {
            walk(Class.forName(root), "com.github.dockerjava.", bound);
        }
        for (String kind : kinds()) {
            Class<?> type = fabric8Class(kind);
            if (type == null) {
                throw new AssertionError("no fabric8 model class for the kind " + kind);
            }
            walk(type, "io.fabric8.kubernetes.api.model", bound);
        }

        Map<String, ObjectNode> entries = new TreeMap<>();
        for (Class<?> c : bound) {
            ObjectNode e = JSON.createObjectNode().put("name", c.getName());
            e.put("allDeclaredConstructors", true).put("allDeclaredMethods", true).put("allDeclaredFields", true)
                    .put("allPublicMethods", true);
            entries.put(c.getName(), e);
        }
        // Jinjava: filters, tags and expression tests are instantiated from their classes; functions are methods
        com.hubspot.jinjava.interpret.Context jinja = new Jinjava().getGlobalContext();
        Set<Class<?>> instantiated = new LinkedHashSet<>();
        jinja.getAllFilters().forEach(f -> instantiated.add(f.getClass()));
        jinja.getAllTags().forEach(t -> instantiated.add(t.getClass()));
        jinja.getAllExpTests().forEach(t -> instantiated.add(t.getClass()));
        for (Class<?> c : instantiated) {
            entries.computeIfAbsent(c.getName(), n -> JSON.createObjectNode().put("name", n))
                    .put("allDeclaredConstructors", true).put("allPublicMethods", true);
        }
        Map<String, Set<Method>> functions = new TreeMap<>();
        for (ELFunctionDefinition fn : jinja.getAllFunctions()) {
            Method m = fn.getMethod();
            functions.computeIfAbsent(m.getDeclaringClass().getName(), n -> new TreeSet<>(
                    Comparator.comparing(Method::toGenericString))).add(m);
        }
        functions.forEach((className, methods) -> {
            ObjectNode e = entries.computeIfAbsent(className, n -> JSON.createObjectNode().put("name", n));
            if (e.has("allDeclaredMethods")) {
                return;
            }
            ArrayNode list = e.putArray("methods");
            for (Method m : methods) {
                ArrayNode params = JSON.createArrayNode();
                for (Class<?> p : m.getParameterTypes()) {
                    params.add(p.getTypeName());
                }
                list.addObject().put("name", m.getName()).set("parameterTypes", params);
            }
        });
        ArrayNode out = JSON.createArrayNode();
        entries.values().forEach(out::add);
        return out;
    }

    /** The kinds of the bundled templates plus {@link #MORE_KINDS}. */
    private static Set<String> kinds() throws Exception {
        Set<String> kinds = new TreeSet<>(MORE_KINDS);
        Pattern kind = Pattern.compile("(?m)^kind:\\s*([A-Z][A-Za-z]+)\\s*$");
        try (Stream<Path> files = Files.walk(PROJECT.resolve("templates"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Matcher m = kind.matcher(Files.readString(f));
                while (m.find()) {
                    kinds.add(m.group(1));
                }
            }
        }
        return kinds;
    }

    private static Class<?> fabric8Class(String kind) {
        for (String pkg : FABRIC8_PACKAGES) {
            try {
                return Class.forName(pkg + "." + kind);
            } catch (ClassNotFoundException e) {
                // next package
            }
        }
        return null;
    }

    /** Adds {@code type} and every class in {@code scope} its fields, supertypes and Jackson annotations name. */
    private static void walk(Type type, String scope, Set<Class<?>> out) {
        if (type instanceof ParameterizedType p) {
            walk(p.getRawType(), scope, out);
            for (Type arg : p.getActualTypeArguments()) {
                walk(arg, scope, out);
            }
            return;
        }
        if (type instanceof GenericArrayType a) {
            walk(a.getGenericComponentType(), scope, out);
            return;
        }
        if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                walk(bound, scope, out);
            }
            return;
        }
        if (!(type instanceof Class<?> c)) {
            return;
        }
        if (c.isArray()) {
            walk(c.getComponentType(), scope, out);
            return;
        }
        if (c.isPrimitive() || !c.getName().startsWith(scope) || !out.add(c)) {
            return;
        }
        walk(c.getGenericSuperclass(), scope, out);
        for (Type i : c.getGenericInterfaces()) {
            walk(i, scope, out);
        }
        annotated(c.getAnnotations(), scope, out);
        for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                walk(f.getGenericType(), scope, out);
                annotated(f.getAnnotations(), scope, out);
            }
        }
        for (Class<?> nested : c.getDeclaredClasses()) {
            if (nested.getSimpleName().equals("Builder") || nested.isRecord() || nested.isEnum()) {
                walk(nested, scope, out);
            }
        }
    }

    /** The classes Jackson's JsonDeserialize/JsonSerialize/JsonTypeInfo-style annotations name (using, as, builder). */
    private static void annotated(Annotation[] annotations, String scope, Set<Class<?>> out) {
        for (Annotation a : annotations) {
            if (!a.annotationType().getName().contains("jackson")) {
                continue;
            }
            for (Method m : a.annotationType().getDeclaredMethods()) {
                if (m.getReturnType() != Class.class || m.getParameterCount() != 0) {
                    continue;
                }
                try {
                    Class<?> named = (Class<?>) m.invoke(a);
                    String simple = named.getSimpleName();
                    if (named != Void.class && !named.isAnnotation() && !simple.equals("None") && !simple.equals("NoClass")) {
                        out.add(named);   // a serializer or builder class: its constructor is called reflectively
                        walk(named, scope, out);
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
