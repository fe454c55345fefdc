package io.devk8s.adapter.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.devk8s.Devk8sException;
import io.devk8s.adapter.json.JsonTrees;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The read-only questions {@code devk8s status} asks (Deployments, Ingress hosts, a Service's nodePort, a
 * Namespace's annotation, whether cluster-scoped objects exist, the data of a Secret), answered over the JDK's
 * {@link HttpURLConnection} with Jackson trees, for a context whose kubeconfig is plain ({@link RestEndpoint}).
 * It loads none of the Kubernetes client's classes (about 2,000 of them, most of a second on a cold JVM), and
 * gives the same answers and the same one-line errors ({@link ApiProblems}) as {@link ClusterQueries}: a missing
 * object is empty, a kind the server does not serve has no objects, and a failed request is retried like the
 * client does (twice, 200 then 400 ms apart, on an I/O failure other than an untrusted certificate, HTTP 429 or
 * 5xx).
 */
final class LeanReads implements ApiProblems.Target {
    private static final int RETRIES = 2;
    private static final long BACKOFF_MILLIS = 200;

    /** The built-in kinds this reader can ask about by name: kind to "API path prefix, plural, namespaced". */
    static final Map<String, String> KINDS = kindTable();

    private final String context;
    private final String profile;
    private final List<Path> kubeconfigFiles;
    private volatile RestEndpoint endpoint;
    private final SSLSocketFactory tls;
    private int connectTimeoutMillis = 5_000;
    private int readTimeoutMillis = 10_000;

    LeanReads(String context, String profile, List<Path> kubeconfigFiles, RestEndpoint endpoint,
            SSLSocketFactory tls) {
        this.context = context;
        this.kubeconfigFiles = List.copyOf(kubeconfigFiles);
        this.profile = profile;
        this.endpoint = endpoint;
        this.tls = tls;
    }

    /**
     * The reader of {@code context} in these kubeconfig files, or empty when its kubeconfig is not plain, or its
     * TLS material cannot be used here: the full client then answers.
     */
    static Optional<LeanReads> forContext(String context, String profile, List<Path> kubeconfigFiles) {
        List<Object> key = new ArrayList<>(List.of(context, kubeconfigFiles));
        for (Path file : kubeconfigFiles) {
            key.add(file.toFile().lastModified()); // a rewritten kubeconfig is read again
        }
        return PLAIN.computeIfAbsent(key, k -> plain(context, kubeconfigFiles))
                .map(p -> new LeanReads(context, profile, kubeconfigFiles, p.endpoint(), p.tls()));
    }

    /** A plain context's endpoint and TLS socket factory (null for http). */
    private record Plain(RestEndpoint endpoint, SSLSocketFactory tls) {
    }

    /** What {@link #plain} found, per context and kubeconfig files (and their times): read once per command. */
    private static final Map<List<Object>, Optional<Plain>> PLAIN = new java.util.concurrent.ConcurrentHashMap<>();

    static void forgetEarlierCommands() {
        PLAIN.clear();
    }

    private static Optional<Plain> plain(String context, List<Path> kubeconfigFiles) {
        Optional<RestEndpoint> endpoint = RestEndpoint.of(context, kubeconfigFiles);
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        if (!endpoint.get().https()) {
            return Optional.of(new Plain(endpoint.get(), null));
        }
        return LeanTls.socketFactory(endpoint.get()).map(tls -> new Plain(endpoint.get(), tls));
    }

    @Override
    public String context() {
        return context;
    }

    @Override
    public String profile() {
        return profile;
    }

    @Override
    public String serverUrl() {
        return endpoint.server();
    }

    /** Connect and read timeouts (the client's defaults: 5 s to connect, 10 s for an answer). */
    LeanReads timeouts(Duration connect, Duration read) {
        this.connectTimeoutMillis = (int) connect.toMillis();
        this.readTimeoutMillis = (int) read.toMillis();
        return this;
    }

    /**
     * The class-loading part of a read, for the start-up archive: a Deployment's JSON turned into its state, the
     * TLS setup of an https context, and one connection attempt to a closed port on this machine (refused at once;
     * no request leaves the machine, nothing is retried).
     */
    static void trainingRun() {
        try {
            state(JsonTrees.readJson("{\"metadata\":{\"name\":\"d\",\"namespace\":\"n\",\"generation\":1},"
                    + "\"spec\":{\"replicas\":1,\"template\":{\"spec\":{\"containers\":[{\"image\":\"i\"}]}}},"
                    + "\"status\":{\"observedGeneration\":1,\"replicas\":1,\"updatedReplicas\":1}}"));
            RestEndpoint https = new RestEndpoint("https://127.0.0.1:1/", true, null, null, null, "training");
            LeanTls.socketFactory(https);
            LeanReads reads = new LeanReads("training", "training", List.of(),
                    new RestEndpoint("http://127.0.0.1:1/", false, null, null, null, "training"), null);
            HttpURLConnection c = reads.open(reads.endpoint.server() + "api/v1/namespaces/training");
            try {
                c.getResponseCode();
            } catch (IOException e) {
                ApiProblems.unreachable(null, asTheClientSaysIt(e), e, reads);
            } finally {
                c.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            // a training run only loads classes; what fails here fails again, with a message, in a real run
        }
    }

    // ---------------------------------------------------------------------------------------------- queries

    List<DeploymentState> deployments(String namespace, LabelSelector selector) {
        List<DeploymentState> states = new ArrayList<>();
        for (JsonNode d : list("apis/apps/v1", "deployments", namespace, selector)) {
            states.add(state(d));
        }
        states.sort(Comparator.comparing(DeploymentState::name));
        return states;
    }

    List<IngressHost> ingressHosts(String namespace, LabelSelector selector) {
        List<JsonNode> ingresses = new ArrayList<>(list("apis/networking.k8s.io/v1", "ingresses", namespace,
                selector));
        ingresses.sort(Comparator.comparing(i -> i.path("metadata").path("name").asText("")));
        List<IngressHost> hosts = new ArrayList<>();
        for (JsonNode ingress : ingresses) {
            JsonNode meta = ingress.path("metadata");
            String component = text(meta.path("labels").path("app.kubernetes.io/name"));
            String urlPath = text(meta.path("annotations").path(IngressHost.URL_PATH_ANNOTATION));
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                String host = text(rule.path("host"));
                if (host != null && !host.isBlank()) {
                    hosts.add(new IngressHost(text(meta.path("namespace")), text(meta.path("name")), component, host,
                            urlPath));
                }
            }
        }
        return hosts;
    }

    Optional<Integer> nodePort(String namespace, String service, String portName) {
        JsonNode live = get("api/v1/namespaces/" + segment(namespace) + "/services/" + segment(service),
                ObjectRef.namespaced("Service", namespace, service));
        if (live == null) {
            return Optional.empty();
        }
        for (JsonNode port : live.path("spec").path("ports")) {
            JsonNode nodePort = port.path("nodePort");
            boolean wanted = portName == null ? nodePort.isNumber() : portName.equals(text(port.path("name")));
            if (wanted && nodePort.isNumber()) {
                return Optional.of(nodePort.asInt());
            }
        }
        return Optional.empty();
    }

    Optional<String> namespaceAnnotation(String namespace, String key) {
        JsonNode ns = get("api/v1/namespaces/" + segment(namespace), ObjectRef.clusterScoped("Namespace", namespace));
        return ns == null ? Optional.empty() : Optional.ofNullable(text(ns.path("metadata").path("annotations").path(key)));
    }

    /** Like {@link Secrets#data}: the Secret's data, each value decoded as UTF-8; empty when it does not exist. */
    Optional<Map<String, String>> secretData(String namespace, String name) {
        JsonNode secret = get("api/v1/namespaces/" + segment(namespace) + "/secrets/" + segment(name),
                ObjectRef.namespaced("Secret", namespace, name));
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> data = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = secret.path("data").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            data.put(e.getKey(), new String(java.util.Base64.getDecoder().decode(e.getValue().asText("")),
                    StandardCharsets.UTF_8));
        }
        return Optional.of(data);
    }

    /** Whether each object exists, in order; empty when one of them is of a kind this reader does not know. */
    Optional<Map<ObjectRef, Boolean>> exist(Collection<ObjectRef> refs) {
        List<String> paths = new ArrayList<>();
        List<ObjectRef> unique = new ArrayList<>(new LinkedHashSet<>(refs));
        for (ObjectRef ref : unique) {
            String kind = KINDS.get(ref.kind());
            if (kind == null) {
                return Optional.empty();
            }
            String[] k = kind.split(" ");
            boolean namespaced = Boolean.parseBoolean(k[2]);
            if (namespaced && ref.namespace() == null) {
                return Optional.empty();
            }
            paths.add(k[0] + (namespaced ? "/namespaces/" + segment(ref.namespace()) : "") + "/" + k[1] + "/"
                    + segment(ref.name()));
        }
        // the GETs go out together; answers and the first failure in the given order
        List<Integer> indexes = java.util.stream.IntStream.range(0, unique.size()).boxed().toList();
        List<Boolean> found = ParallelCalls.each(indexes, i -> get(paths.get(i), unique.get(i)) != null);
        Map<ObjectRef, Boolean> result = new LinkedHashMap<>();
        for (int i = 0; i < unique.size(); i++) {
            result.put(unique.get(i), found.get(i));
        }
        return Optional.of(result);
    }

    // ---------------------------------------------------------------------------------------------- objects

    /** Like {@link Workloads#state}, from the JSON of a Deployment. */
    static DeploymentState state(JsonNode d) {
        JsonNode spec = d.path("spec");
        JsonNode status = d.path("status");
        int desired = spec.path("replicas").isNumber() ? spec.path("replicas").asInt() : 1;
        int ready = status.path("readyReplicas").asInt(0);
        int updated = status.path("updatedReplicas").asInt(0);
        int availableReplicas = status.path("availableReplicas").asInt(0);
        List<String> images = new ArrayList<>();
        for (JsonNode c : spec.path("template").path("spec").path("containers")) {
            images.add(text(c.path("image")));
        }
        JsonNode meta = d.path("metadata");
        return new DeploymentState(text(meta.path("namespace")), text(meta.path("name")), desired, ready, updated,
                availableReplicas, available(d, desired), images.stream().map(i -> i == null ? "" : i).toList());
    }

    /** Like {@link Workloads#available}. */
    private static boolean available(JsonNode d, int desired) {
        JsonNode status = d.path("status");
        JsonNode generation = d.path("metadata").path("generation");
        if (!status.isObject()) {
            return desired == 0 && !generation.isNumber();
        }
        if (generation.isNumber() && (!status.path("observedGeneration").isNumber()
                || status.path("observedGeneration").asLong() < generation.asLong())) {
            return false;
        }
        int updated = status.path("updatedReplicas").asInt(0);
        int available = status.path("availableReplicas").asInt(0);
        int total = status.path("replicas").isNumber() ? status.path("replicas").asInt() : updated;
        return updated >= desired && available >= desired && total <= updated;
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    // ---------------------------------------------------------------------------------------------- HTTP

    /**
     * The items of a list of a namespaced kind carrying {@code selector} (sent to the server and applied here); a
     * kind the server does not serve (404) has none.
     */
    private List<JsonNode> list(String apiPath, String plural, String namespace, LabelSelector selector) {
        String path = apiPath + (namespace == null ? "" : "/namespaces/" + segment(namespace)) + "/" + plural
                + (selector.isEverything() ? "" : "?labelSelector=" + URLEncoder.encode(selector.toString(),
                        StandardCharsets.UTF_8));
        JsonNode list = get(path, null);
        List<JsonNode> items = new ArrayList<>();
        if (list == null) {
            return items;
        }
        for (JsonNode item : list.path("items")) {
            if (selector.matches(labels(item))) {
                items.add(item);
            }
        }
        return items;
    }

    private static Map<String, String> labels(JsonNode object) {
        JsonNode labels = object.path("metadata").path("labels");
        if (!labels.isObject()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The JSON at {@code path} (relative to the server URL), or null when the server answers 404. */
    JsonNode get(String path, ObjectRef ref) {
        String url = endpoint.server() + path;
        boolean reauthenticated = false;
        for (int attempt = 0; ; attempt++) {
            int code;
            byte[] body;
            try {
                HttpURLConnection c = open(url);
                try {
                    code = c.getResponseCode();
                    try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
                        body = in == null ? new byte[0] : in.readAllBytes();
                    }
                } catch (IOException e) {
                    c.disconnect();
                    throw e;
                }
            } catch (IOException e) {
                if (attempt < RETRIES && !untrusted(e)) {
                    backOff(attempt);
                    continue;
                }
                throw ApiProblems.unreachable(ref, asTheClientSaysIt(e), e, this);
            }
            if (code == 404) {
                return null;
            }
            if (code == 401 && !reauthenticated) {
                reauthenticated = true; // like the client: once, with the token as the kubeconfig now has it
                RestEndpoint now = endpoint;
                endpoint = RestEndpoint.of(context, kubeconfigFiles).filter(e -> e.server().equals(now.server()))
                        .map(e -> now.withToken(e.token())).orElse(now);
                attempt--;
                continue;
            }
            if ((code == 429 || code >= 500) && attempt < RETRIES) {
                backOff(attempt);
                continue;
            }
            JsonNode json = parse(body);
            if (code >= 300) {
                throw failure(ref, code, json, body, url);
            }
            if (json == null) {
                throw Devk8sException.failure((ref == null ? "" : ref + ": ") + "the API server of context '"
                        + context + "' answered GET " + url + " with something that is not JSON");
            }
            return json;
        }
    }

    private HttpURLConnection open(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
        if (c instanceof HttpsURLConnection https) {
            if (tls != null) {
                https.setSSLSocketFactory(tls);
            }
            if (endpoint.insecure()) {
                https.setHostnameVerifier((host, session) -> true);
            }
        }
        c.setConnectTimeout(connectTimeoutMillis);
        c.setReadTimeout(readTimeoutMillis);
        c.setRequestProperty("Accept", "application/json");
        c.setRequestProperty("User-Agent", "devk8s");
        if (endpoint.token() != null) {
            c.setRequestProperty("Authorization", "Bearer " + endpoint.token());
        }
        return c;
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return JsonTrees.readJson(body);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * As {@link ApiErrors#translate}: the Status message when the answer is one, else the answer's text, else what
     * the client says.
     */
    private Devk8sException failure(ObjectRef ref, int code, JsonNode json, byte[] body, String url) {
        String message = json == null ? null : text(json.path("message"));
        if ((message == null || message.isBlank()) && json == null) {
            message = new String(body, StandardCharsets.UTF_8);
        }
        if (message == null || message.isBlank()) {
            message = "Failure executing: GET at: " + url + ".";
        }
        StringBuilder causes = new StringBuilder();
        if (json != null) {
            for (JsonNode cause : json.path("details").path("causes")) {
                causes.append(text(cause.path("field"))).append(": ").append(text(cause.path("message"))).append(' ');
            }
        }
        return ApiProblems.answered(ref, code, ApiProblems.oneLine(message), causes.toString(), null, this);
    }

    /** The failure as the client reports it: a refused connection without the JDK's "Connection refused". */
    private static IOException asTheClientSaysIt(IOException e) {
        if (e instanceof java.net.ConnectException && "Connection refused".equals(e.getMessage())) {
            java.net.ConnectException refused = new java.net.ConnectException();
            refused.initCause(e);
            return refused;
        }
        return e;
    }

    /** An untrusted server certificate: retrying cannot help (the client does not retry it either). */
    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException || t instanceof SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(BACKOFF_MILLIS << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Devk8sException.failure("interrupted");
        }
    }

    private static Map<String, String> kindTable() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("Namespace", "api/v1 namespaces false");
        kinds.put("Deployment", "apis/apps/v1 deployments true");
        kinds.put("StatefulSet", "apis/apps/v1 statefulsets true");
        kinds.put("DaemonSet", "apis/apps/v1 daemonsets true");
        kinds.put("Job", "apis/batch/v1 jobs true");
        kinds.put("ReplicaSet", "apis/apps/v1 replicasets true");
        kinds.put("Pod", "api/v1 pods true");
        kinds.put("Service", "api/v1 services true");
        kinds.put("Ingress", "apis/networking.k8s.io/v1 ingresses true");
        kinds.put("ConfigMap", "api/v1 configmaps true");
        kinds.put("Secret", "api/v1 secrets true");
        kinds.put("ServiceAccount", "api/v1 serviceaccounts true");
        kinds.put("Role", "apis/rbac.authorization.k8s.io/v1 roles true");
        kinds.put("RoleBinding", "apis/rbac.authorization.k8s.io/v1 rolebindings true");
        kinds.put("PersistentVolumeClaim", "api/v1 persistentvolumeclaims true");
        kinds.put("ClusterRole", "apis/rbac.authorization.k8s.io/v1 clusterroles false");
        kinds.put("ClusterRoleBinding", "apis/rbac.authorization.k8s.io/v1 clusterrolebindings false");
        kinds.put("IngressClass", "apis/networking.k8s.io/v1 ingressclasses false");
        return Map.copyOf(kinds);
    }
}
