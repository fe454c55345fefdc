package io.devk8s.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API discovery documents of a Kubernetes 1.32 API server, for the kinds the stack uses, so that the real
 * {@code kubectl} can talk to {@link MockKubernetes}: {@code /version}, {@code /api}, {@code /apis}, {@code /api/v1},
 * {@code /apis/<group>} and {@code /apis/<group>/<version>} (resource lists with kinds, namespaced flags, verbs,
 * short names and categories), and 404 on {@code /openapi/*} (kubectl then does without a schema, as with
 * {@code --validate=false}).
 *
 * <p>Only the legacy discovery format is served. kubectl 1.27+ asks for aggregated discovery first
 * ({@code application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList}) but also accepts plain
 * {@code application/json}, which a response without the {@code g=apidiscovery.k8s.io} parameters is; it then walks
 * the group versions one by one, as it does against older servers. A request that does not accept JSON at all gets
 * 406, as from a real server.
 */
final class MockDiscovery {
    static final String GIT_VERSION = "v1.32.0";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");
    private static final List<String> NAMESPACE_VERBS = List.of("create", "delete", "get", "list", "patch", "update",
            "watch");
    private static final List<String> ALL = List.of("all");

    /** One resource of a group version, as in an APIResourceList. */
    record Resource(String name, String singular, String kind, boolean namespaced, List<String> shortNames,
            List<String> categories, List<String> verbs) {
        Map<String, Object> toJson() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", name);
            r.put("singularName", singular);
            r.put("namespaced", namespaced);
            r.put("kind", kind);
            r.put("verbs", verbs);
            if (!shortNames.isEmpty()) {
                r.put("shortNames", shortNames);
            }
            if (!categories.isEmpty()) {
                r.put("categories", categories);
            }
            return r;
        }
    }

    private static Resource ns(String name, String kind, List<String> shortNames, List<String> categories) {
        return new Resource(name, kind.toLowerCase(java.util.Locale.ROOT), kind, true, shortNames, categories, VERBS);
    }

    private static Resource cluster(String name, String kind, List<String> shortNames) {
        return new Resource(name, kind.toLowerCase(java.util.Locale.ROOT), kind, false, shortNames, List.of(), VERBS);
    }

    /** Group version ("v1" for the core group) to its resources, in the order a real server lists them. */
    static final Map<String, List<Resource>> GROUP_VERSIONS = new LinkedHashMap<>();

    static {
        GROUP_VERSIONS.put("v1", List.of(
                ns("configmaps", "ConfigMap", List.of("cm"), List.of()),
                ns("events", "Event", List.of("ev"), List.of()),
                new Resource("namespaces", "namespace", "Namespace", false, List.of("ns"), List.of(), NAMESPACE_VERBS),
                ns("persistentvolumeclaims", "PersistentVolumeClaim", List.of("pvc"), List.of()),
                ns("pods", "Pod", List.of("po"), ALL),
                ns("secrets", "Secret", List.of(), List.of()),
                ns("serviceaccounts", "ServiceAccount", List.of("sa"), List.of()),
                // a real API server serves Services without deletecollection
                new Resource("services", "service", "Service", true, List.of("svc"), ALL, NAMESPACE_VERBS)));
        GROUP_VERSIONS.put("apps/v1", List.of(
                ns("daemonsets", "DaemonSet", List.of("ds"), ALL),
                ns("deployments", "Deployment", List.of("deploy"), ALL),
                ns("replicasets", "ReplicaSet", List.of("rs"), ALL),
                ns("statefulsets", "StatefulSet", List.of("sts"), ALL)));
        GROUP_VERSIONS.put("autoscaling/v2", List.of(
                ns("horizontalpodautoscalers", "HorizontalPodAutoscaler", List.of("hpa"), ALL)));
        GROUP_VERSIONS.put("batch/v1", List.of(
                ns("cronjobs", "CronJob", List.of("cj"), ALL),
                ns("jobs", "Job", List.of(), ALL)));
        GROUP_VERSIONS.put("discovery.k8s.io/v1", List.of(
                ns("endpointslices", "EndpointSlice", List.of(), List.of())));
        GROUP_VERSIONS.put("networking.k8s.io/v1", List.of(
                cluster("ingressclasses", "IngressClass", List.of()),
                ns("ingresses", "Ingress", List.of("ing"), List.of()),
                ns("networkpolicies", "NetworkPolicy", List.of("netpol"), List.of())));
        GROUP_VERSIONS.put("policy/v1", List.of(
                ns("poddisruptionbudgets", "PodDisruptionBudget", List.of("pdb"), List.of())));
        GROUP_VERSIONS.put("rbac.authorization.k8s.io/v1", List.of(
                cluster("clusterrolebindings", "ClusterRoleBinding", List.of()),
                cluster("clusterroles", "ClusterRole", List.of()),
                ns("rolebindings", "RoleBinding", List.of(), List.of()),
                ns("roles", "Role", List.of(), List.of())));
    }

    private MockDiscovery() {
    }

    /**
     * The discovery answer for a GET of {@code path} (query string allowed) with this Accept header, or null when
     * the path is not a discovery path (the CRUD store answers it).
     */
    static MockResponse answer(String path, String accept, String hostPort) {
        return answer(path, accept, hostPort, GROUP_VERSIONS);
    }

    /** A kind of a custom resource (all verbs, no short names), as its CustomResourceDefinition would serve it. */
    static Resource custom(String plural, String kind, boolean namespaced) {
        return new Resource(plural, kind.toLowerCase(java.util.Locale.ROOT), kind, namespaced, List.of(), List.of(),
                VERBS);
    }

    /** {@link #answer(String, String, String)} over these group versions (the built-in ones plus custom kinds). */
    static MockResponse answer(String path, String accept, String hostPort, Map<String, List<Resource>> groupVersions) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/openapi") || p.startsWith("/openapi/") || p.equals("/swagger.json")) {
            return status(404, "NotFound", "the server could not find the requested resource");
        }
        Object body = document(p, hostPort, groupVersions);
        if (body == null) {
            // /api/<version>, /apis/<group> and /apis/<group>/<version> are discovery paths on a real server: an
            // unknown one is 404 there, not the empty list the CRUD store would make of it
            return isGroupVersionPath(p) ? status(404, "NotFound", "the server could not find the requested resource")
                    : null;
        }
        if (accept != null && !accept.isBlank() && !acceptsJson(accept)) {
            return status(406, "NotAcceptable", "only the following media types are accepted: application/json");
        }
        return json(200, body);
    }

    /** True when one of the Accept entries is plain JSON (or a wildcard) rather than only aggregated discovery. */
    private static boolean acceptsJson(String accept) {
        for (String entry : accept.split(",")) {
            String[] parts = entry.trim().split(";");
            String type = parts[0].trim();
            boolean aggregated = false;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim();
                aggregated |= param.startsWith("as=") || param.startsWith("g=");
            }
            if (!aggregated && (type.equals("application/json") || type.equals("application/*")
                    || type.equals("*/*"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isGroupVersionPath(String p) {
        return p.matches("/api/[^/]+|/apis/[^/]+(/[^/]+)?");
    }

    private static Object document(String p, String hostPort, Map<String, List<Resource>> groupVersions) {
        switch (p) {
            case "/version":
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("major", "1");
                v.put("minor", "32");
                v.put("gitVersion", GIT_VERSION);
                v.put("gitCommit", "70d3cc986aa8221cd1dfb1121852688902d3bf53");
                v.put("gitTreeState", "clean");
                v.put("buildDate", "2024-12-11T17:59:15Z");
                v.put("goVersion", "go1.23.3");
                v.put("compiler", "gc");
                v.put("platform", "linux/amd64");
                return v;
            case "/api":
                return Map.of("kind", "APIVersions", "versions", List.of("v1"), "serverAddressByClientCIDRs",
                        List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress",
                                hostPort == null ? "127.0.0.1:443" : hostPort)));
            case "/apis":
                List<Object> groups = new ArrayList<>();
                for (String gv : groupVersions.keySet()) {
                    if (gv.contains("/")) {
                        groups.add(group(gv));
                    }
                }
                return Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", groups);
            default:
                break;
        }
        String gv = p.startsWith("/api/") ? p.substring("/api/".length())
                : p.startsWith("/apis/") ? p.substring("/apis/".length()) : null;
        if (gv == null || gv.isEmpty() || gv.split("/").length > 2 || gv.equals("v1") == p.startsWith("/apis/")) {
            return null;
        }
        if (!gv.contains("/") && p.startsWith("/apis/")) {
            // /apis/<group>: the group itself
            String name = gv;
            return groupVersions.keySet().stream().filter(k -> k.startsWith(name + "/")).findFirst()
                    .map(k -> (Object) withKind(group(k))).orElse(null);
        }
        List<Resource> resources = groupVersions.get(gv);
        if (resources == null) {
            return null;
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", gv);
        list.put("resources", resources.stream().map(Resource::toJson).toList());
        return list;
    }

    private static Map<String, Object> group(String groupVersion) {
        String[] parts = groupVersion.split("/");
        Map<String, String> version = Map.of("groupVersion", groupVersion, "version", parts[1]);
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("name", parts[0]);
        g.put("versions", List.of(version));
        g.put("preferredVersion", version);
        return g;
    }

    private static Map<String, Object> withKind(Map<String, Object> group) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("kind", "APIGroup");
        g.put("apiVersion", "v1");
        g.putAll(group);
        return g;
    }

    static MockResponse status(int code, String reason, String message) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.put("metadata", Map.of());
        s.put("status", "Failure");
        s.put("message", message);
        s.put("reason", reason);
        s.put("code", code);
        return json(code, s);
    }

    static MockResponse json(int code, Object body) {
        try {
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                    .setBody(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
