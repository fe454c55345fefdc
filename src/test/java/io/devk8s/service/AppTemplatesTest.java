package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.template.EnvSubst;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.adapter.template.YamlDocuments;
import io.devk8s.config.AppConfig;
import io.devk8s.config.AppKind;
import io.devk8s.config.ProjectFile;
import io.devk8s.config.ProjectFileLoader;
import io.devk8s.support.ManifestValidator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default app templates (templates/app/http, templates/app/grpc) rendered as {@code devk8s deploy} renders them
 * for an app without {@code manifests:}, read back into typed fabric8 objects (the Kubernetes API's model classes,
 * unknown fields refused) and checked with the offline manifest validator. The server-side checks (discovery, dry
 * run) are exercised by the engine-backed deploy tests.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AppTemplatesTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @TempDir
    Path dir;

    private ProjectFile project;

    @BeforeEach
    void project() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        Files.writeString(dir.resolve("devk8s.yaml"), """
                project: shop
                apps:
                  - name: web
                    port: 8081
                    ingress: storefront
                    env: {GREETING: 'say "hi": {{ not jinja }}', BUILD: "${VERSION}"}
                  - name: quiet
                    kind: http
                    ingress: false
                  - name: greeter
                    kind: grpc
                    port: 50051
                  - name: metered
                    kind: grpc
                    env: {METRICS_PORT: "9464", OTEL_SERVICE_NAME: custom}
                """);
        project = new ProjectFileLoader().load(dir.resolve("devk8s.yaml"));
    }

    // ------------------------------------------------------------------------------------------- http

    @Test
    void should_render_an_http_app_into_a_deployment_service_and_ingress_with_labels_probes_and_env() {
        String yaml = render("web");
        List<HasMetadata> objects = objects(yaml);
        assertEquals(List.of("Deployment", "Service", "Ingress"), objects.stream().map(HasMetadata::getKind).toList());
        ManifestValidator.forApp("team", "shop", "web").validate(yaml + ingressClass("web"));
        objects.forEach(o -> assertLabels(o, "web"));

        Deployment d = (Deployment) objects.get(0);
        assertEquals("team", d.getMetadata().getNamespace());
        assertEquals(Map.of("app", "web", "appgroup", "shop"), d.getSpec().getSelector().getMatchLabels());
        assertLabels(d.getSpec().getTemplate(), "web");
        Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "8081", "prometheus.io/path",
                "/metrics"), annotations);
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("web:v1.2.3", c.getImage());
        assertEquals("IfNotPresent", c.getImagePullPolicy());
        assertEquals(8081, c.getPorts().get(0).getContainerPort());
        assertEquals("http", c.getPorts().get(0).getName());
        assertEquals(1, c.getPorts().size());
        for (var probe : List.of(c.getReadinessProbe(), c.getLivenessProbe())) {
            assertEquals("/healthz", probe.getHttpGet().getPath());
            assertEquals("http", probe.getHttpGet().getPort().getStrVal());
            assertNull(probe.getGrpc());
        }
        Map<String, String> env = env(c);
        assertEquals("8081", env.get("PORT"));
        assertEquals("web", env.get("OTEL_SERVICE_NAME"));
        assertEquals("http://jaeger.devk8s.svc:4318", env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        assertEquals("http/protobuf", env.get("OTEL_EXPORTER_OTLP_PROTOCOL"));
        assertEquals("say \"hi\": {{ not jinja }}", env.get("GREETING"), "values reach the container verbatim");
        assertEquals("v1.2.3", env.get("BUILD"), "${VERSION} in env: is substituted");
        assertNull(d.getSpec().getTemplate().getSpec().getServiceAccountName());

        Service s = (Service) objects.get(1);
        assertEquals(Map.of("app", "web", "appgroup", "shop"), s.getSpec().getSelector());
        assertEquals(80, s.getSpec().getPorts().get(0).getPort());
        assertEquals("http", s.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertNull(s.getSpec().getClusterIP());

        Ingress i = (Ingress) objects.get(2);
        assertEquals("traefik", i.getSpec().getIngressClassName());
        assertEquals("storefront.minikube", i.getSpec().getRules().get(0).getHost());
        var backend = i.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
        assertEquals("web", backend.getName());
        assertEquals("http", backend.getPort().getName());
    }

    @Test
    void should_render_no_ingress_for_ingress_false() {
        String yaml = render("quiet");
        List<HasMetadata> objects = objects(yaml);
        assertEquals(List.of("Deployment", "Service"), objects.stream().map(HasMetadata::getKind).toList());
        ManifestValidator.forApp("team", "shop", "quiet").validate(yaml);
        assertEquals(8080, ((Deployment) objects.get(0)).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getPorts().get(0).getContainerPort(), "the default port");
    }

    // ------------------------------------------------------------------------------------------- grpc

    @Test
    void should_render_a_grpc_app_with_a_headless_h2c_service_grpc_probes_and_endpoint_reading_rbac() {
        String yaml = render("greeter");
        List<HasMetadata> objects = objects(yaml);
        assertEquals(List.of("ServiceAccount", "Role", "RoleBinding", "Deployment", "Service", "Ingress"),
                objects.stream().map(HasMetadata::getKind).toList());
        ManifestValidator.forApp("team", "shop", "greeter").validate(yaml + ingressClass("greeter"));
        objects.forEach(o -> assertLabels(o, "greeter"));
        objects.forEach(o -> assertEquals("team", o.getMetadata().getNamespace(), o.getKind()));

        ServiceAccount sa = (ServiceAccount) objects.get(0);
        Role role = (Role) objects.get(1);
        List<PolicyRule> rules = role.getRules();
        assertEquals(2, rules.size());
        assertEquals(List.of("discovery.k8s.io"), rules.get(0).getApiGroups());
        assertEquals(List.of("endpointslices"), rules.get(0).getResources());
        assertEquals(List.of("get", "list", "watch"), rules.get(0).getVerbs());
        assertEquals(List.of(""), rules.get(1).getApiGroups());
        assertEquals(List.of("endpoints"), rules.get(1).getResources());
        assertEquals(List.of("get", "list", "watch"), rules.get(1).getVerbs());
        RoleBinding binding = (RoleBinding) objects.get(2);
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals("ServiceAccount", binding.getSubjects().get(0).getKind());
        assertEquals(sa.getMetadata().getName(), binding.getSubjects().get(0).getName());
        assertEquals("team", binding.getSubjects().get(0).getNamespace());

        Deployment d = (Deployment) objects.get(3);
        assertEquals(sa.getMetadata().getName(), d.getSpec().getTemplate().getSpec().getServiceAccountName());
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("IfNotPresent", c.getImagePullPolicy());
        assertEquals("greeter:v1.2.3", c.getImage());
        assertEquals(Map.of("grpc", 50051, "metrics", 9090), c.getPorts().stream()
                .collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort())));
        for (var probe : List.of(c.getReadinessProbe(), c.getLivenessProbe())) {
            assertNotNull(probe.getGrpc(), "the native grpc probe");
            assertEquals(50051, probe.getGrpc().getPort());
            assertNull(probe.getHttpGet());
        }
        Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals("9090", annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));
        Map<String, String> env = env(c);
        assertEquals("50051", env.get("PORT"));
        assertEquals("9090", env.get("METRICS_PORT"));
        assertEquals("greeter", env.get("OTEL_SERVICE_NAME"));
        assertEquals("http://jaeger.devk8s.svc:4318", env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        assertEquals("metadata.namespace", c.getEnv().stream().filter(e -> e.getName().equals("POD_NAMESPACE"))
                .findFirst().orElseThrow().getValueFrom().getFieldRef().getFieldPath());

        Service s = (Service) objects.get(4);
        assertEquals("None", s.getSpec().getClusterIP(), "headless");
        assertEquals("h2c", s.getMetadata().getAnnotations().get("traefik.ingress.kubernetes.io/service.serversscheme"));
        assertEquals(50051, s.getSpec().getPorts().get(0).getPort());
        assertEquals("grpc", s.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(Map.of("app", "greeter", "appgroup", "shop"), s.getSpec().getSelector());

        Ingress i = (Ingress) objects.get(5);
        assertEquals("greeter.minikube", i.getSpec().getRules().get(0).getHost());
        assertEquals("grpc", i.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService()
                .getPort().getName());
    }

    @Test
    void should_have_the_validator_catch_a_grpc_probe_on_a_port_the_container_does_not_have() {
        String yaml = render("greeter").replace("grpc:\n              port: 50051", "grpc:\n              port: 50052");
        List<String> problems = ManifestValidator.forApp("team", "shop", "greeter").problems(yaml + ingressClass("greeter"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("readinessProbe.grpc.port: the container has no port 50052")),
                problems.toString());
    }

    @Test
    void should_take_the_metrics_port_and_otel_names_from_the_apps_env_without_duplicating_them() {
        String yaml = render("metered");
        Deployment d = (Deployment) objects(yaml).stream().filter(o -> o instanceof Deployment).findFirst()
                .orElseThrow();
        ManifestValidator.forApp("team", "shop", "metered").validate(yaml + ingressClass("metered"));
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> names = c.getEnv().stream().map(EnvVar::getName).toList();
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
        assertEquals("9464", env(c).get("METRICS_PORT"));
        assertEquals("custom", env(c).get("OTEL_SERVICE_NAME"));
        assertEquals("9464", d.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/port"));
        assertEquals(9464, c.getPorts().stream().filter(p -> p.getName().equals("metrics")).findFirst().orElseThrow()
                .getContainerPort());
    }

    @Test
    void should_list_the_bundled_defaults_of_each_kind_in_apply_order() {
        assertEquals(List.of("10-deployment.yaml", "20-service.yaml", "30-ingress.yaml"),
                List.copyOf(AppTemplates.defaults(TemplateSource.bundled(), AppKind.HTTP).keySet()));
        assertEquals(List.of("10-rbac.yaml", "20-deployment.yaml", "30-service.yaml", "40-ingress.yaml"),
                List.copyOf(AppTemplates.defaults(TemplateSource.bundled(), AppKind.GRPC).keySet()));
    }

    @Test
    void should_name_the_env_entry_when_a_value_uses_an_undefined_variable() throws Exception {
        Files.writeString(dir.resolve("devk8s.yaml"), """
                project: shop
                apps:
                  - name: web
                    env: {TOKEN: "${NOT_SET_ANYWHERE}"}
                """);
        project = new ProjectFileLoader().load(dir.resolve("devk8s.yaml"));
        Devk8sException e = assertThrows(Devk8sException.class, () -> render("web"));
        assertTrue(e.getMessage().contains("env.TOKEN") && e.getMessage().contains("NOT_SET_ANYWHERE"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** The stack's IngressClass, which the app Ingresses name (labelled so the app validator takes it). */
    static String ingressClass(String app) {
        return """
            ---
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: traefik
              labels: {appgroup: shop, app: %s, app.kubernetes.io/managed-by: devk8s}
            spec:
              controller: traefik.io/ingress-controller
            """.formatted(app);
    }

    /** The variables {@code devk8s deploy} gives the templates of an app, with a fixed version. */
    static Map<String, String> deployVariables(ProjectFile project, AppConfig app, String namespace) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("APP", app.name());
        vars.put("NAME", app.name());
        vars.put("PROJECT", project.project());
        vars.put("NAMESPACE", namespace);
        vars.put("DOMAIN", "minikube");
        vars.put("DATE", "20260101.120000");
        vars.put("TARGETOS", "linux");
        vars.put("TARGETARCH", "amd64");
        vars.put("VERSION", "v1.2.3");
        vars.put("IMAGE", app.repository() + ":v1.2.3");
        vars.putAll(AppTemplates.variables(app, "devk8s"));
        return vars;
    }

    /** Renders like DeployService: ${VAR} from devk8s's variables, then the app's env:, never the environment. */
    static String render(ProjectFile project, String appName, String namespace) {
        AppConfig app = project.app(appName).orElseThrow();
        Map<String, String> vars = deployVariables(project, app, namespace);
        EnvSubst subst = new EnvSubst(name -> Optional.ofNullable(vars.get(name))
                .or(() -> Optional.ofNullable(app.env().get(name))));
        Map<String, Object> jinja = new LinkedHashMap<>(app.env());
        jinja.putAll(vars);
        StringBuilder out = new StringBuilder();
        for (AppTemplates.Rendered r : AppTemplates.render(project, app, subst, jinja)) {
            out.append("---\n").append(r.text());
        }
        return out.toString();
    }

    private String render(String app) {
        return render(project, app, "team");
    }

    static List<HasMetadata> objects(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (YamlDocuments.Document doc : YamlDocuments.split(yaml)) {
            if (doc.text().lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                continue;
            }
            out.add((HasMetadata) SERIALIZATION.unmarshal(doc.text()));
        }
        return out;
    }

    private static void assertLabels(HasMetadata o, String app) {
        assertLabels(o.getMetadata().getLabels(), o.getKind(), app);
    }

    private static void assertLabels(io.fabric8.kubernetes.api.model.PodTemplateSpec t, String app) {
        assertLabels(t.getMetadata().getLabels(), "pod template", app);
    }

    private static void assertLabels(Map<String, String> labels, String what, String app) {
        assertEquals("shop", labels.get("appgroup"), what);
        assertEquals(app, labels.get("app"), what);
        assertEquals("devk8s", labels.get("app.kubernetes.io/managed-by"), what);
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        c.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        return env;
    }
}
