package io.devk8s.support;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Offline validation of rendered Kubernetes manifests, for tests: what {@code kubectl apply --dry-run=server}
 * would reject, and more.
 *
 * <ul>
 *   <li>every document deserializes into its typed fabric8 model class (generated from the Kubernetes OpenAPI
 *       spec) with no unknown field anywhere in its tree and no scalar of the wrong type (a number where the
 *       API wants a string, or the reverse);</li>
 *   <li>its apiVersion is one current Kubernetes serves (no {@code extensions/v1beta1} Ingress) and knows the
 *       kind;</li>
 *   <li>references between the objects hold: Service selectors and target ports, probe ports, volume mounts,
 *       ConfigMap/Secret/PVC/ServiceAccount references, Ingress classes and backends, RBAC role references and
 *       subjects;</li>
 *   <li>no wildcard in any RBAC rule, the three devk8s labels on every object, every namespaced object in the
 *       stack namespace and no namespace on cluster-scoped ones.</li>
 * </ul>
 *
 * Problems read like {@code Deployment devk8s/traefik: spec.template.spec.containers[0].livenessprobe: unknown field}.
 */
public final class ManifestValidator {
    /** Group versions a current Kubernetes (1.30+) serves for built-in kinds. */
    public static final Set<String> SERVED_API_VERSIONS = Set.of(
            "v1", "apps/v1", "rbac.authorization.k8s.io/v1", "networking.k8s.io/v1", "policy/v1", "batch/v1",
            "discovery.k8s.io/v1", "autoscaling/v1", "autoscaling/v2", "storage.k8s.io/v1", "scheduling.k8s.io/v1",
            "coordination.k8s.io/v1", "admissionregistration.k8s.io/v1", "apiextensions.k8s.io/v1",
            "certificates.k8s.io/v1", "node.k8s.io/v1", "events.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1");

    /** Kinds that exist in a served group version but are deprecated in favour of another. */
    private static final Map<String, String> DEPRECATED_KINDS = Map.of(
            "v1/Endpoints", "discovery.k8s.io/v1 EndpointSlice");

    /**
     * On a workload: the Secrets (comma-separated names) it references that are deliberately not in the manifests
     * because {@code devk8s up} creates them on the cluster (the Grafana admin login with its random password).
     * References to them are not reported as missing.
     */
    public static final String CREATED_BY_UP_ANNOTATION = "devk8s.io/secrets-created-by-up";

    public static final List<String> REQUIRED_LABELS = List.of(
            "app.kubernetes.io/name", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by");

    private static final Set<String> BUILT_IN_CLUSTER_ROLES = Set.of("cluster-admin", "admin", "edit", "view");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern RBAC_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.:]{0,251}[a-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-)){0,13}[a-z0-9]|[a-z]");
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final String namespace;
    /** Label to the value it must have; a null value: any non-blank value. */
    private final Map<String, String> requiredLabels;

    /** Takes the stack namespace from the Namespace object of the set (or its first namespaced object). */
    public ManifestValidator() {
        this(null);
    }

    public ManifestValidator(String namespace) {
        this.namespace = namespace;
        Map<String, String> stack = new LinkedHashMap<>();
        for (String label : REQUIRED_LABELS) {
            stack.put(label, label.equals("app.kubernetes.io/name") ? null : "devk8s");
        }
        this.requiredLabels = stack;
    }

    /**
     * For an app's manifests (as {@code devk8s deploy} applies them): every object in {@code namespace} and carrying
     * {@code appgroup: project}, {@code app: app} and {@code app.kubernetes.io/managed-by: devk8s} instead of the
     * stack's labels.
     */
    public static ManifestValidator forApp(String namespace, String project, String app) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("appgroup", project);
        labels.put("app", app);
        labels.put("app.kubernetes.io/managed-by", "devk8s");
        return new ManifestValidator(namespace, labels);
    }

    private ManifestValidator(String namespace, Map<String, String> requiredLabels) {
        this.namespace = namespace;
        this.requiredLabels = requiredLabels;
    }

    /** All problems of a multi-document YAML text; empty when it is valid. */
    public static List<String> check(String multiDocYaml) {
        return new ManifestValidator().problems(multiDocYaml);
    }

    /** Throws an AssertionError listing every problem, one per line. */
    public void validate(String multiDocYaml) {
        List<String> problems = problems(multiDocYaml);
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " problem(s) in the manifests:\n  " + String.join("\n  ", problems));
        }
    }

    public List<String> problems(String multiDocYaml) {
        List<String> problems = new ArrayList<>();
        List<Doc> docs = parse(multiDocYaml, problems);
        String ns = namespace != null ? namespace : inferNamespace(docs);
        new CrossCheck(docs, ns, requiredLabels, problems).run();
        return problems;
    }

    // ---------------------------------------------------------------------------------------------------------
    // parsing and the typed tree walk

    private record Doc(int index, JsonNode raw, HasMetadata resource, String id) {
        String ns() {
            return resource.getMetadata().getNamespace();
        }

        String name() {
            return resource.getMetadata().getName();
        }
    }

    private static List<Doc> parse(String text, List<String> problems) {
        List<JsonNode> nodes = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                nodes.add(it.next());
            }
        } catch (Exception e) {
            problems.add("document " + (nodes.size() + 1) + ": not valid YAML: " + firstLine(e.getMessage()));
            return List.of();
        }
        List<Doc> docs = new ArrayList<>();
        int index = 0;
        for (JsonNode node : nodes) {
            index++;
            if (node == null || node.isNull() || node.isMissingNode() || (node.isObject() && node.isEmpty())) {
                continue;
            }
            String where = "document " + index;
            if (!node.isObject()) {
                problems.add(where + ": not a mapping");
                continue;
            }
            String apiVersion = node.path("apiVersion").asText("");
            String kind = node.path("kind").asText("");
            String name = node.path("metadata").path("name").asText("");
            String nsName = node.path("metadata").path("namespace").asText("");
            String id = (kind.isEmpty() ? where : kind) + " " + (nsName.isEmpty() ? name : nsName + "/" + name);
            if (apiVersion.isEmpty() || kind.isEmpty()) {
                problems.add(id + ": apiVersion and kind are required");
                continue;
            }
            if (!SERVED_API_VERSIONS.contains(apiVersion)) {
                problems.add(id + ": apiVersion " + apiVersion + " is not served by current Kubernetes"
                        + servedAlternative(kind));
                continue;
            }
            Class<? extends KubernetesResource> type = SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind);
            if (type == null || !HasMetadata.class.isAssignableFrom(type)) {
                problems.add(id + ": kind " + kind + " does not exist in apiVersion " + apiVersion + servedAlternative(kind));
                continue;
            }
            String deprecated = DEPRECATED_KINDS.get(apiVersion + "/" + kind);
            if (deprecated != null) {
                problems.add(id + ": " + apiVersion + " " + kind + " is deprecated, use " + deprecated);
            }
            HasMetadata resource;
            try {
                resource = (HasMetadata) SERIALIZATION.unmarshal(YAML.writeValueAsString(node), type);
            } catch (Exception e) {
                problems.add(id + ": cannot be read as " + type.getSimpleName() + ": " + firstLine(e.getMessage()));
                continue;
            }
            if (resource.getMetadata() == null || resource.getMetadata().getName() == null
                    || resource.getMetadata().getName().isEmpty()) {
                problems.add(id + ": metadata.name is required");
                continue;
            }
            walk(resource, node, "", error -> problems.add(id + ": " + error));
            docs.add(new Doc(index, node, resource, id));
        }
        return docs;
    }

    private static String servedAlternative(String kind) {
        return SERVED_API_VERSIONS.stream().sorted()
                .filter(v -> SERIALIZATION.getRegisteredKubernetesResource(v, kind) != null)
                .findFirst().map(v -> " (use " + v + ")").orElse("");
    }

    /** Every model object of the tree: unknown fields (additionalProperties) and mistyped scalars. */
    private static void walk(Object model, JsonNode raw, String path, Consumer<String> problems) {
        for (Class<?> c = model.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object value;
                try {
                    field.setAccessible(true);
                    value = field.get(model);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                if (field.getName().equals("additionalProperties")) {
                    if (value instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(key -> problems.accept(join(path, String.valueOf(key)) + ": unknown field"));
                    }
                    continue;
                }
                if (value == null) {
                    continue;
                }
                JsonProperty property = field.getAnnotation(JsonProperty.class);
                String name = property != null && !property.value().isEmpty() ? property.value() : field.getName();
                descend(value, raw == null ? null : raw.get(name), join(path, name), problems);
            }
        }
    }

    private static void descend(Object value, JsonNode raw, String path, Consumer<String> problems) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                descend(list.get(i), raw != null && raw.isArray() ? raw.get(i) : null, path + "[" + i + "]", problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> descend(v, raw != null && raw.isObject() ? raw.get(String.valueOf(k)) : null,
                    path + "." + k, problems));
        } else if (value instanceof String) {
            if (raw != null && raw.isValueNode() && !raw.isTextual() && !raw.isNull()) {
                problems.accept(path + ": must be a string, found " + raw.getNodeType().name().toLowerCase()
                        + " " + raw.asText() + " (quote it)");
            }
        } else if (value instanceof Number || value instanceof Boolean) {
            if (raw != null && raw.isTextual()) {
                problems.accept(path + ": must be a " + (value instanceof Boolean ? "boolean" : "number")
                        + ", found string \"" + raw.asText() + "\"");
            }
        } else if (value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")
                && !value.getClass().isEnum()) {
            walk(value, raw, path, problems);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    private static String inferNamespace(List<Doc> docs) {
        List<String> namespaces = docs.stream()
                .filter(d -> d.resource() instanceof io.fabric8.kubernetes.api.model.Namespace)
                .map(Doc::name).toList();
        if (namespaces.size() == 1) {
            return namespaces.get(0);
        }
        return docs.stream().filter(d -> d.resource() instanceof Namespaced).map(Doc::ns)
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------------------------------------------------
    // rules across the objects of the set

    private record Workload(Doc doc, String path, PodTemplateSpec template, LabelSelector selector) {}

    private static final class CrossCheck {
        private final List<Doc> docs;
        private final String namespace;
        private final Map<String, String> requiredLabels;
        private final List<String> problems;
        private final Map<String, Doc> byKey = new LinkedHashMap<>();
        private final List<Workload> workloads = new ArrayList<>();

        CrossCheck(List<Doc> docs, String namespace, Map<String, String> requiredLabels, List<String> problems) {
            this.docs = docs;
            this.namespace = namespace;
            this.requiredLabels = requiredLabels;
            this.problems = problems;
        }

        void run() {
            for (Doc doc : docs) {
                String key = key(doc.resource().getKind(), doc.ns(), doc.name());
                if (byKey.putIfAbsent(key, doc) != null) {
                    problems.add(doc.id() + ": defined twice (documents " + byKey.get(key).index() + " and " + doc.index() + ")");
                }
                Workload w = workload(doc);
                if (w != null) {
                    workloads.add(w);
                }
            }
            for (Doc doc : docs) {
                metadata(doc);
                HasMetadata r = doc.resource();
                if (r instanceof Service s) {
                    service(doc, s);
                } else if (r instanceof Ingress i) {
                    ingress(doc, i);
                } else if (r instanceof IngressClass c) {
                    if (c.getSpec() == null || blank(c.getSpec().getController())) {
                        problem(doc, "spec.controller is required");
                    }
                } else if (r instanceof Role role) {
                    rules(doc, role.getRules());
                } else if (r instanceof ClusterRole role) {
                    rules(doc, role.getRules());
                } else if (r instanceof RoleBinding b) {
                    binding(doc, b.getRoleRef(), b.getSubjects(), false);
                } else if (r instanceof ClusterRoleBinding b) {
                    binding(doc, b.getRoleRef(), b.getSubjects(), true);
                } else if (r instanceof ConfigMap cm) {
                    keys(doc, "data", cm.getData());
                    keys(doc, "binaryData", cm.getBinaryData());
                } else if (r instanceof PersistentVolumeClaim pvc) {
                    if (pvc.getSpec() == null || pvc.getSpec().getAccessModes() == null || pvc.getSpec().getAccessModes().isEmpty()) {
                        problem(doc, "spec.accessModes is required");
                    }
                    if (pvc.getSpec() == null || pvc.getSpec().getResources() == null
                            || pvc.getSpec().getResources().getRequests() == null
                            || !pvc.getSpec().getResources().getRequests().containsKey("storage")) {
                        problem(doc, "spec.resources.requests.storage is required");
                    }
                }
            }
            for (Workload w : workloads) {
                podTemplate(w);
            }
        }

        private void metadata(Doc doc) {
            HasMetadata r = doc.resource();
            String name = r.getMetadata().getName();
            Pattern pattern = r.getKind().contains("Role") ? RBAC_NAME : DNS_SUBDOMAIN;
            if (!pattern.matcher(name).matches()) {
                problem(doc, "metadata.name \"" + name + "\" is not a valid name (lower case letters, digits, '-' and '.')");
            }
            Map<String, String> labels = r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels();
            for (Map.Entry<String, String> required : requiredLabels.entrySet()) {
                String label = required.getKey();
                String value = labels.get(label);
                if (blank(value)) {
                    problem(doc, "metadata.labels: missing label " + label);
                } else if (required.getValue() != null && !value.equals(required.getValue())) {
                    problem(doc, "metadata.labels." + label + " is \"" + value + "\", expected \""
                            + required.getValue() + "\"");
                }
            }
            boolean namespaced = r instanceof Namespaced;
            String ns = r.getMetadata().getNamespace();
            if (namespaced && blank(ns)) {
                problem(doc, "metadata.namespace is missing (expected " + namespace + ")");
            } else if (namespaced && namespace != null && !namespace.equals(ns)) {
                problem(doc, "metadata.namespace is " + ns + ", expected the stack namespace " + namespace);
            } else if (!namespaced && ns != null) {
                problem(doc, "metadata.namespace " + ns + " set on a cluster-scoped " + r.getKind());
            }
        }

        // --- workloads and pods

        private Workload workload(Doc doc) {
            HasMetadata r = doc.resource();
            if (r instanceof Deployment d && d.getSpec() != null) {
                return new Workload(doc, "spec.template", d.getSpec().getTemplate(), d.getSpec().getSelector());
            } else if (r instanceof StatefulSet s && s.getSpec() != null) {
                return new Workload(doc, "spec.template", s.getSpec().getTemplate(), s.getSpec().getSelector());
            } else if (r instanceof DaemonSet s && s.getSpec() != null) {
                return new Workload(doc, "spec.template", s.getSpec().getTemplate(), s.getSpec().getSelector());
            } else if (r instanceof ReplicaSet s && s.getSpec() != null) {
                return new Workload(doc, "spec.template", s.getSpec().getTemplate(), s.getSpec().getSelector());
            } else if (r instanceof Job j && j.getSpec() != null) {
                return new Workload(doc, "spec.template", j.getSpec().getTemplate(), null);
            } else if (r instanceof CronJob j && j.getSpec() != null && j.getSpec().getJobTemplate() != null
                    && j.getSpec().getJobTemplate().getSpec() != null) {
                return new Workload(doc, "spec.jobTemplate.spec.template", j.getSpec().getJobTemplate().getSpec().getTemplate(), null);
            } else if (r instanceof Pod p) {
                return new Workload(doc, "", new PodTemplateSpec(p.getMetadata(), p.getSpec()), null);
            }
            return null;
        }

        private void podTemplate(Workload w) {
            Doc doc = w.doc();
            String at = w.path().isEmpty() ? "" : w.path() + ".";
            if (w.template() == null || w.template().getSpec() == null) {
                problem(doc, at + "spec is required");
                return;
            }
            Map<String, String> labels = templateLabels(w);
            if (!(doc.resource() instanceof Pod) && !(doc.resource() instanceof Job) && !(doc.resource() instanceof CronJob)) {
                Map<String, String> match = w.selector() == null ? null : w.selector().getMatchLabels();
                if (match == null || match.isEmpty()) {
                    problem(doc, "spec.selector.matchLabels is required");
                } else if (!labels.entrySet().containsAll(match.entrySet())) {
                    problem(doc, "spec.selector.matchLabels " + match + " do not match the labels of " + at + "metadata.labels " + labels);
                }
            }
            PodSpec spec = w.template().getSpec();
            String ns = doc.ns();
            String sa = spec.getServiceAccountName();
            if (!blank(sa) && !sa.equals("default") && find("ServiceAccount", ns, sa) == null) {
                problem(doc, at + "spec.serviceAccountName: no ServiceAccount " + ns + "/" + sa + " in the set");
            }
            Set<String> volumes = new HashSet<>();
            List<Volume> vols = spec.getVolumes() == null ? List.of() : spec.getVolumes();
            for (int i = 0; i < vols.size(); i++) {
                Volume v = vols.get(i);
                String vp = at + "spec.volumes[" + i + "]";
                if (!volumes.add(v.getName())) {
                    problem(doc, vp + ".name: volume " + v.getName() + " defined twice");
                }
                if (v.getConfigMap() != null) {
                    requireRef(doc, vp + ".configMap.name", "ConfigMap", ns, v.getConfigMap().getName(), v.getConfigMap().getOptional());
                }
                if (v.getSecret() != null) {
                    requireRef(doc, vp + ".secret.secretName", "Secret", ns, v.getSecret().getSecretName(), v.getSecret().getOptional());
                }
                if (v.getPersistentVolumeClaim() != null) {
                    requireRef(doc, vp + ".persistentVolumeClaim.claimName", "PersistentVolumeClaim", ns,
                            v.getPersistentVolumeClaim().getClaimName(), false);
                }
                if (v.getProjected() != null && v.getProjected().getSources() != null) {
                    List<VolumeProjection> sources = v.getProjected().getSources();
                    for (int j = 0; j < sources.size(); j++) {
                        VolumeProjection p = sources.get(j);
                        if (p.getConfigMap() != null) {
                            requireRef(doc, vp + ".projected.sources[" + j + "].configMap.name", "ConfigMap", ns,
                                    p.getConfigMap().getName(), p.getConfigMap().getOptional());
                        }
                        if (p.getSecret() != null) {
                            requireRef(doc, vp + ".projected.sources[" + j + "].secret.name", "Secret", ns,
                                    p.getSecret().getName(), p.getSecret().getOptional());
                        }
                    }
                }
            }
            Set<String> containerNames = new HashSet<>();
            Set<String> portNames = new HashSet<>();
            containers(doc, at + "spec.initContainers", spec.getInitContainers(), volumes, containerNames, portNames);
            containers(doc, at + "spec.containers", spec.getContainers(), volumes, containerNames, portNames);
            if (spec.getContainers() == null || spec.getContainers().isEmpty()) {
                problem(doc, at + "spec.containers: at least one container is required");
            }
        }

        private void containers(Doc doc, String path, List<Container> containers, Set<String> volumes,
                                Set<String> names, Set<String> portNames) {
            if (containers == null) {
                return;
            }
            String ns = doc.ns();
            for (int i = 0; i < containers.size(); i++) {
                Container c = containers.get(i);
                String cp = path + "[" + i + "]";
                if (blank(c.getName()) || !names.add(c.getName())) {
                    problem(doc, cp + ".name: missing or duplicate container name " + c.getName());
                }
                if (blank(c.getImage())) {
                    problem(doc, cp + ".image is required");
                }
                Set<String> own = new HashSet<>();
                List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
                Set<Integer> numbers = new HashSet<>();
                ports.forEach(p -> numbers.add(p.getContainerPort()));
                for (int p = 0; p < ports.size(); p++) {
                    String name = ports.get(p).getName();
                    if (name != null) {
                        own.add(name);
                        if (!PORT_NAME.matcher(name).matches()) {
                            problem(doc, cp + ".ports[" + p + "].name: \"" + name + "\" is not a valid port name "
                                    + "(at most 15 lower case letters, digits and single '-', at least one letter)");
                        }
                        if (!portNames.add(name)) {
                            problem(doc, cp + ".ports[" + p + "].name: port name " + name + " used twice in the pod");
                        }
                    }
                    if (ports.get(p).getContainerPort() == null) {
                        problem(doc, cp + ".ports[" + p + "].containerPort is required");
                    }
                }
                probe(doc, cp + ".livenessProbe", c.getLivenessProbe(), own, numbers);
                probe(doc, cp + ".readinessProbe", c.getReadinessProbe(), own, numbers);
                probe(doc, cp + ".startupProbe", c.getStartupProbe(), own, numbers);
                List<VolumeMount> mounts = c.getVolumeMounts() == null ? List.of() : c.getVolumeMounts();
                for (int m = 0; m < mounts.size(); m++) {
                    if (!volumes.contains(mounts.get(m).getName())) {
                        problem(doc, cp + ".volumeMounts[" + m + "].name: no volume " + mounts.get(m).getName() + " in the pod");
                    }
                }
                List<EnvVar> env = c.getEnv() == null ? List.of() : c.getEnv();
                for (int e = 0; e < env.size(); e++) {
                    EnvVar var = env.get(e);
                    if (var.getValueFrom() == null) {
                        continue;
                    }
                    String ep = cp + ".env[" + e + "].valueFrom";
                    var cmRef = var.getValueFrom().getConfigMapKeyRef();
                    if (cmRef != null) {
                        Doc cm = requireRef(doc, ep + ".configMapKeyRef.name", "ConfigMap", ns, cmRef.getName(), cmRef.getOptional());
                        if (cm != null && !hasKey(((ConfigMap) cm.resource()).getData(), ((ConfigMap) cm.resource()).getBinaryData(), cmRef.getKey())
                                && !Boolean.TRUE.equals(cmRef.getOptional())) {
                            problem(doc, ep + ".configMapKeyRef.key: ConfigMap " + cmRef.getName() + " has no key " + cmRef.getKey());
                        }
                    }
                    var secretRef = var.getValueFrom().getSecretKeyRef();
                    if (secretRef != null) {
                        Doc s = requireRef(doc, ep + ".secretKeyRef.name", "Secret", ns, secretRef.getName(), secretRef.getOptional());
                        if (s != null && !hasKey(((Secret) s.resource()).getData(), ((Secret) s.resource()).getStringData(), secretRef.getKey())
                                && !Boolean.TRUE.equals(secretRef.getOptional())) {
                            problem(doc, ep + ".secretKeyRef.key: Secret " + secretRef.getName() + " has no key " + secretRef.getKey());
                        }
                    }
                }
                List<EnvFromSource> envFrom = c.getEnvFrom() == null ? List.of() : c.getEnvFrom();
                for (int e = 0; e < envFrom.size(); e++) {
                    EnvFromSource from = envFrom.get(e);
                    if (from.getConfigMapRef() != null) {
                        requireRef(doc, cp + ".envFrom[" + e + "].configMapRef.name", "ConfigMap", ns,
                                from.getConfigMapRef().getName(), from.getConfigMapRef().getOptional());
                    }
                    if (from.getSecretRef() != null) {
                        requireRef(doc, cp + ".envFrom[" + e + "].secretRef.name", "Secret", ns,
                                from.getSecretRef().getName(), from.getSecretRef().getOptional());
                    }
                }
            }
        }

        private void probe(Doc doc, String path, Probe probe, Set<String> portNames, Set<Integer> portNumbers) {
            if (probe == null) {
                return;
            }
            IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                    : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
            String where = path + (probe.getHttpGet() != null ? ".httpGet.port" : ".tcpSocket.port");
            if (port != null && port.getStrVal() != null && !portNames.contains(port.getStrVal())) {
                problem(doc, where + ": the container has no port named " + port.getStrVal());
            }
            if ((probe.getHttpGet() != null || probe.getTcpSocket() != null) && port == null) {
                problem(doc, where + " is required");
            }
            if (probe.getGrpc() != null) {
                Integer number = probe.getGrpc().getPort();
                if (number == null) {
                    problem(doc, path + ".grpc.port is required (a number: the grpc probe takes no port name)");
                } else if (!portNumbers.contains(number)) {
                    problem(doc, path + ".grpc.port: the container has no port " + number);
                }
            }
        }

        // --- services and ingresses

        private void service(Doc doc, Service s) {
            if (s.getSpec() == null) {
                problem(doc, "spec is required");
                return;
            }
            String type = s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
            List<ServicePort> ports = s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
            for (int i = 0; i < ports.size(); i++) {
                ServicePort port = ports.get(i);
                String pp = "spec.ports[" + i + "]";
                if (port.getName() == null && ports.size() > 1) {
                    problem(doc, pp + ".name is required when a Service has more than one port");
                } else if (port.getName() != null && !PORT_NAME.matcher(port.getName()).matches()) {
                    problem(doc, pp + ".name: \"" + port.getName() + "\" is not a valid port name");
                }
                if (port.getNodePort() != null && !type.equals("NodePort") && !type.equals("LoadBalancer")) {
                    problem(doc, pp + ".nodePort is only allowed on NodePort and LoadBalancer Services, not " + type);
                }
            }
            if (type.equals("ExternalName")) {
                return;
            }
            Map<String, String> selector = s.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                problem(doc, "spec.selector is missing: the Service selects no pods");
                return;
            }
            List<Workload> selected = workloads.stream()
                    .filter(w -> Objects.equals(w.doc().ns(), doc.ns()))
                    .filter(w -> templateLabels(w).entrySet().containsAll(selector.entrySet()))
                    .toList();
            if (selected.isEmpty()) {
                problem(doc, "spec.selector " + selector + " matches the pod template labels of no workload in namespace " + doc.ns());
                return;
            }
            for (int i = 0; i < ports.size(); i++) {
                ServicePort port = ports.get(i);
                IntOrString target = port.getTargetPort();
                String named = target == null ? null : target.getStrVal();
                Integer number = target == null ? port.getPort() : target.getIntVal();
                boolean found = selected.stream()
                        .flatMap(w -> containerPorts(w).stream())
                        .anyMatch(cp -> named != null ? named.equals(cp.getName()) : Objects.equals(number, cp.getContainerPort()));
                if (!found) {
                    problem(doc, "spec.ports[" + i + "].targetPort: no container port "
                            + (named != null ? "named " + named : number) + " in the pods of "
                            + selected.stream().map(w -> w.doc().id()).toList());
                }
            }
        }

        private void ingress(Doc doc, Ingress ingress) {
            if (ingress.getSpec() == null) {
                problem(doc, "spec is required");
                return;
            }
            String className = ingress.getSpec().getIngressClassName();
            if (className != null && find("IngressClass", null, className) == null) {
                problem(doc, "spec.ingressClassName: no IngressClass " + className + " in the set");
            } else if (className == null && docs.stream().noneMatch(d -> d.resource() instanceof IngressClass
                    && d.resource().getMetadata().getAnnotations() != null
                    && "true".equals(d.resource().getMetadata().getAnnotations().get("ingressclass.kubernetes.io/is-default-class")))) {
                problem(doc, "spec.ingressClassName is missing and the set has no default IngressClass");
            }
            if (ingress.getSpec().getDefaultBackend() != null) {
                backend(doc, "spec.defaultBackend", ingress.getSpec().getDefaultBackend());
            }
            List<IngressRule> rules = ingress.getSpec().getRules() == null ? List.of() : ingress.getSpec().getRules();
            for (int i = 0; i < rules.size(); i++) {
                IngressRule rule = rules.get(i);
                if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
                    continue;
                }
                List<HTTPIngressPath> paths = rule.getHttp().getPaths();
                for (int j = 0; j < paths.size(); j++) {
                    HTTPIngressPath path = paths.get(j);
                    String pp = "spec.rules[" + i + "].http.paths[" + j + "]";
                    if (!Set.of("Exact", "Prefix", "ImplementationSpecific").contains(String.valueOf(path.getPathType()))) {
                        problem(doc, pp + ".pathType must be Exact, Prefix or ImplementationSpecific, not " + path.getPathType());
                    }
                    if (path.getPath() != null && !path.getPath().startsWith("/")) {
                        problem(doc, pp + ".path must start with /");
                    }
                    if (path.getBackend() == null) {
                        problem(doc, pp + ".backend is required");
                    } else {
                        backend(doc, pp + ".backend", path.getBackend());
                    }
                }
            }
        }

        private void backend(Doc doc, String path, IngressBackend backend) {
            if (backend.getService() == null) {
                if (backend.getResource() == null) {
                    problem(doc, path + ": service or resource is required");
                }
                return;
            }
            String name = backend.getService().getName();
            Doc target = find("Service", doc.ns(), name);
            if (target == null) {
                problem(doc, path + ".service.name: no Service " + doc.ns() + "/" + name + " in the set");
                return;
            }
            var port = backend.getService().getPort();
            List<ServicePort> ports = ((Service) target.resource()).getSpec().getPorts();
            ports = ports == null ? List.of() : ports;
            if (port == null || (port.getName() == null && port.getNumber() == null)) {
                problem(doc, path + ".service.port: name or number is required");
            } else if (port.getName() != null && ports.stream().noneMatch(p -> port.getName().equals(p.getName()))) {
                problem(doc, path + ".service.port.name: Service " + name + " has no port named " + port.getName());
            } else if (port.getNumber() != null && ports.stream().noneMatch(p -> port.getNumber().equals(p.getPort()))) {
                problem(doc, path + ".service.port.number: Service " + name + " has no port " + port.getNumber());
            }
        }

        // --- RBAC

        private void rules(Doc doc, List<PolicyRule> rules) {
            if (rules == null) {
                return;
            }
            for (int i = 0; i < rules.size(); i++) {
                PolicyRule rule = rules.get(i);
                wildcard(doc, "rules[" + i + "].apiGroups", rule.getApiGroups());
                wildcard(doc, "rules[" + i + "].resources", rule.getResources());
                wildcard(doc, "rules[" + i + "].verbs", rule.getVerbs());
                wildcard(doc, "rules[" + i + "].nonResourceURLs", rule.getNonResourceURLs());
                if (rule.getVerbs() == null || rule.getVerbs().isEmpty()) {
                    problem(doc, "rules[" + i + "].verbs is required");
                }
                if ((rule.getResources() == null || rule.getResources().isEmpty())
                        && (rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty())) {
                    problem(doc, "rules[" + i + "] names no resources");
                }
                if (rule.getResources() != null && !rule.getResources().isEmpty() && rule.getApiGroups() == null) {
                    problem(doc, "rules[" + i + "].apiGroups is required with resources");
                }
            }
        }

        private void wildcard(Doc doc, String path, Collection<String> values) {
            if (values != null && values.stream().anyMatch(v -> v.equals("*") || v.startsWith("*/") || v.endsWith("/*"))) {
                problem(doc, path + ": wildcard \"*\" grants more than the stack needs; list the exact values");
            }
        }

        private void binding(Doc doc, RoleRef ref, List<Subject> subjects, boolean cluster) {
            if (ref == null) {
                problem(doc, "roleRef is required");
            } else {
                if (!"rbac.authorization.k8s.io".equals(ref.getApiGroup())) {
                    problem(doc, "roleRef.apiGroup must be rbac.authorization.k8s.io, not " + ref.getApiGroup());
                }
                if ("ClusterRole".equals(ref.getKind())) {
                    if (find("ClusterRole", null, ref.getName()) == null && !BUILT_IN_CLUSTER_ROLES.contains(ref.getName())
                            && !String.valueOf(ref.getName()).startsWith("system:")) {
                        problem(doc, "roleRef.name: no ClusterRole " + ref.getName() + " in the set");
                    }
                } else if ("Role".equals(ref.getKind()) && !cluster) {
                    if (find("Role", doc.ns(), ref.getName()) == null) {
                        problem(doc, "roleRef.name: no Role " + doc.ns() + "/" + ref.getName() + " in the set");
                    }
                } else {
                    problem(doc, "roleRef.kind " + ref.getKind() + " cannot be bound by a " + doc.resource().getKind());
                }
            }
            if (subjects == null || subjects.isEmpty()) {
                problem(doc, "subjects: the binding grants nothing to nobody");
                return;
            }
            for (int i = 0; i < subjects.size(); i++) {
                Subject subject = subjects.get(i);
                if (!"ServiceAccount".equals(subject.getKind())) {
                    continue;
                }
                String ns = subject.getNamespace() != null ? subject.getNamespace() : cluster ? null : doc.ns();
                if (ns == null) {
                    problem(doc, "subjects[" + i + "].namespace is required for a ServiceAccount");
                } else if (find("ServiceAccount", ns, subject.getName()) == null) {
                    problem(doc, "subjects[" + i + "]: no ServiceAccount " + ns + "/" + subject.getName() + " in the set");
                }
            }
        }

        // --- helpers

        private void keys(Doc doc, String field, Map<String, String> data) {
            if (data != null) {
                data.keySet().stream().filter(k -> !CONFIG_KEY.matcher(k).matches())
                        .forEach(k -> problem(doc, field + "." + k + ": not a valid key (letters, digits, '-', '_', '.')"));
            }
        }

        private Doc requireRef(Doc doc, String path, String kind, String ns, String name, Boolean optional) {
            Doc target = blank(name) ? null : find(kind, ns, name);
            if (target == null && kind.equals("Secret") && createdByUp(doc).contains(name)) {
                return null; // not in the set by design: devk8s up creates it (see CREATED_BY_UP_ANNOTATION)
            }
            if (target == null && !Boolean.TRUE.equals(optional)) {
                problem(doc, path + ": no " + kind + " " + ns + "/" + name + " in the set"
                        + (kind.equals("Secret") ? " (mark it optional: true if the user creates it)" : ""));
            }
            return target;
        }

        /** The Secret names the object's {@value #CREATED_BY_UP_ANNOTATION} annotation lists (comma-separated). */
        private static Set<String> createdByUp(Doc doc) {
            Map<String, String> annotations = doc.resource().getMetadata().getAnnotations();
            String value = annotations == null ? null : annotations.get(CREATED_BY_UP_ANNOTATION);
            if (blank(value)) {
                return Set.of();
            }
            Set<String> names = new HashSet<>();
            for (String n : value.split(",")) {
                names.add(n.strip());
            }
            return names;
        }

        private Doc find(String kind, String ns, String name) {
            return byKey.get(key(kind, ns, name));
        }

        private static String key(String kind, String ns, String name) {
            return kind + "/" + (ns == null ? "" : ns) + "/" + name;
        }

        private static Map<String, String> templateLabels(Workload w) {
            if (w.template() == null || w.template().getMetadata() == null || w.template().getMetadata().getLabels() == null) {
                return Map.of();
            }
            return w.template().getMetadata().getLabels();
        }

        private static List<ContainerPort> containerPorts(Workload w) {
            if (w.template() == null || w.template().getSpec() == null || w.template().getSpec().getContainers() == null) {
                return List.of();
            }
            return w.template().getSpec().getContainers().stream()
                    .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream())
                    .toList();
        }

        private static boolean hasKey(Map<String, String> a, Map<String, String> b, String key) {
            return (a != null && a.containsKey(key)) || (b != null && b.containsKey(key));
        }

        private void problem(Doc doc, String message) {
            problems.add(doc.id() + ": " + message);
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }
}
