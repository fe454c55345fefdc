package io.devk8s.support;

import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes API for tests: fabric8's {@link KubernetesMockServer} in CRUD mode (an in-memory store, no
 * controllers), plus what devk8s needs of a real API server:
 * <ul>
 *   <li>server-side apply ({@code application/apply-patch+yaml} PATCH: create if missing, else merge; no field
 *       pruning, no managedFields);</li>
 *   <li>the real apiserver's 422 for a Service nodePort outside the node port range (30000-32767 unless
 *       {@link #nodePortRange} says otherwise);</li>
 *   <li>a record of every request made by the code under test ({@link #requests()}, {@link #writes()}); the
 *       harness's own requests ({@link #admin()}, the simulated controller, the helpers) are left out;</li>
 *   <li>a simulated Deployment controller ({@link #markAvailable}, {@link #startController});</li>
 *   <li>the discovery documents of a 1.32 API server ({@link MockDiscovery}: {@code /version}, {@code /api},
 *       {@code /apis}, resource lists; 404 on {@code /openapi/*}), so the real {@code kubectl} works against it;
 *       custom resources are served after {@link #serveKind};</li>
 *   <li>server-side dry runs ({@code dryRun=All} on a write): answered with the object the write would produce,
 *       nothing stored (the CRUD store alone would save it), and kept out of {@link #writes()} (see
 *       {@link #dryRuns()}). What the mock cannot check: {@code fieldValidation=Strict} (unknown or duplicate
 *       fields are accepted), schema and value validation, admission webhooks and quota; only the nodePort range
 *       is validated, as on a real server;</li>
 *   <li>the request record over HTTP at {@value #REQUESTS_PATH} (GET reads it, DELETE clears it);</li>
 *   <li>helpers for failing pods and their events, and a kubeconfig file pointing at the mock.</li>
 * </ul>
 * Use one per test: {@code try (MockKubernetes mock = MockKubernetes.start()) { ... }}.
 */
public final class MockKubernetes implements AutoCloseable {
    /** User-Agent of the harness's own client; its requests are not recorded. */
    private static final String ADMIN_AGENT = "devk8s-mock-admin";
    private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** Test-only endpoint with the request record (GET) or clearing it (DELETE); never recorded itself. */
    public static final String REQUESTS_PATH = "/devk8s-mock/requests";
    /** Building a serialization registers every model class (~0.7 s): share one across all mock clients. */
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final KubernetesMockServer server;
    private final ApplyingDispatcher dispatcher;
    private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();
    private KubernetesClient admin;
    private ScheduledExecutorService controller;

    /** One request as the mock API server received it. */
    public record Request(String method, String path, String contentType, String body) {
        /** A request that changes the store: a write method, not a dry run. */
        public boolean isWrite() {
            return WRITE_METHODS.contains(method) && !isDryRun();
        }

        /** A write sent with {@code dryRun=All}: validated, never stored. */
        public boolean isDryRun() {
            return WRITE_METHODS.contains(method) && path.matches(".*[?&]dryRun=All(&.*)?");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private MockKubernetes() {
        dispatcher = new ApplyingDispatcher();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
    }

    /** Starts a mock API server on a free local port (plain HTTP). */
    public static MockKubernetes start() {
        return new MockKubernetes();
    }

    /** Makes the API server accept nodePorts in {@code min-max} (minikube's {@code service-node-port-range}). */
    public MockKubernetes nodePortRange(int min, int max) {
        dispatcher.nodePortMin = min;
        dispatcher.nodePortMax = max;
        return this;
    }

    /** The API server URL, e.g. {@code http://localhost:40123/}. */
    public String url() {
        return server.url("/");
    }

    /** A new client for the code under test; its requests are recorded. Closed with the mock. */
    public KubernetesClient client() {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config(null)).withKubernetesSerialization(SERIALIZATION).build();
        clients.add(client);
        return client;
    }

    /** A {@link KubernetesCluster} over a new recorded client (context name {@code mock}). */
    public KubernetesCluster cluster() {
        return new KubernetesCluster(client()).pollInterval(java.time.Duration.ofMillis(50));
    }

    /** The harness's own client, for arranging and inspecting state; its requests are not recorded. */
    public synchronized KubernetesClient admin() {
        if (admin == null) {
            admin = new KubernetesClientBuilder().withConfig(config(ADMIN_AGENT)).withKubernetesSerialization(SERIALIZATION).build();
        }
        return admin;
    }

    private Config config(String userAgent) {
        ConfigBuilder builder = new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withNamespace("default")
                .withTrustCerts(true)
                .withRequestTimeout(10_000)
                .withConnectionTimeout(5_000)
                .withRequestRetryBackoffLimit(0);
        if (userAgent != null) {
            builder.withUserAgent(userAgent);
        }
        return builder.build();
    }

    // ------------------------------------------------------------------------------------------ requests

    /** Every request of the code under test so far, in order. */
    public List<Request> requests() {
        return List.copyOf(dispatcher.requests);
    }

    /** The POST, PUT, PATCH and DELETE requests of the code under test so far. */
    public List<Request> writes() {
        return dispatcher.requests.stream().filter(Request::isWrite).toList();
    }

    /** The dry-run writes of the code under test so far. */
    public List<Request> dryRuns() {
        return dispatcher.requests.stream().filter(Request::isDryRun).toList();
    }

    /**
     * Serves a custom resource kind through discovery (as an installed CustomResourceDefinition would), e.g.
     * {@code serveKind("example.com/v1", "Widget", "widgets", true)}; the CRUD store then keeps its objects.
     */
    public MockKubernetes serveKind(String apiVersion, String kind, String plural, boolean namespaced) {
        List<MockDiscovery.Resource> resources = new ArrayList<>(dispatcher.groupVersions.getOrDefault(apiVersion,
                List.of()));
        resources.add(MockDiscovery.custom(plural, kind, namespaced));
        dispatcher.groupVersions.put(apiVersion, List.copyOf(resources));
        return this;
    }

    public void clearRequests() {
        dispatcher.requests.clear();
    }

    // ------------------------------------------------------------------------------------------ controller

    /**
     * Does what the Deployment controller does once a rollout succeeds: sets observedGeneration and
     * replicas = updated = ready = available = spec.replicas in the Deployment's status.
     */
    public void markAvailable(String namespace, String name) {
        admin().apps().deployments().inNamespace(namespace).withName(name).editStatus(d -> {
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            Long generation = d.getMetadata().getGeneration();
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                    .withObservedGeneration(generation == null ? 1L : generation)
                    .withReplicas(replicas).withUpdatedReplicas(replicas)
                    .withReadyReplicas(replicas).withAvailableReplicas(replicas)
                    .build());
            return d;
        });
    }

    /**
     * Starts a background controller that, every 50 ms, marks available each Deployment (any namespace) that
     * {@code which} accepts and that has no status yet, or whose generation is ahead of its status (a changed
     * Deployment rolls out again). Leave some out to provoke a timeout.
     */
    public synchronized void startController(Predicate<Deployment> which) {
        stopController();
        controller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mock-deployment-controller");
            t.setDaemon(true);
            return t;
        });
        controller.scheduleWithFixedDelay(() -> {
            try {
                for (Deployment d : admin().apps().deployments().inAnyNamespace().list().getItems()) {
                    if (which.test(d) && (d.getStatus() == null || d.getStatus().getAvailableReplicas() == null
                            || rolledOut(d))) {
                        markAvailable(d.getMetadata().getNamespace(), d.getMetadata().getName());
                    }
                }
            } catch (RuntimeException e) {
                // the mock is shutting down, or the Deployment just went away
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    /** Starts a controller that marks every Deployment available. */
    public void startController() {
        startController(d -> true);
    }

    /** A changed Deployment (generation ahead of the status) gets a new rollout, as the real controller does. */
    private static boolean rolledOut(Deployment d) {
        Long generation = d.getMetadata().getGeneration();
        Long observed = d.getStatus().getObservedGeneration();
        return generation != null && (observed == null || observed < generation);
    }

    public synchronized void stopController() {
        if (controller != null) {
            controller.shutdownNow();
            controller = null;
        }
    }

    // ------------------------------------------------------------------------------------------ pods and events

    /**
     * Creates a Pod of the Deployment (its selector labels, first container and image) whose container waits with
     * {@code reason} (e.g. {@code ImagePullBackOff}, {@code ErrImageNeverPull}, {@code CrashLoopBackOff}).
     */
    public Pod addWaitingPod(String namespace, String deployment, String podName, String reason, String message) {
        Pod pod = pendingPodOf(namespace, deployment, podName);
        var container = pod.getSpec().getContainers().get(0);
        pod.getStatus().getConditions().add(new PodConditionBuilder().withType("PodScheduled").withStatus("True").build());
        pod.getStatus().getContainerStatuses().add(new ContainerStatusBuilder().withName(container.getName())
                .withImage(container.getImage()).withReady(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .build());
        return createWithStatus(pod);
    }

    /** Creates a Pod of the Deployment that the scheduler cannot place (PodScheduled False, Unschedulable). */
    public Pod addUnschedulablePod(String namespace, String deployment, String podName, String message) {
        Pod pod = pendingPodOf(namespace, deployment, podName);
        pod.getStatus().getConditions().add(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage(message).build());
        return createWithStatus(pod);
    }

    /** A Pending Pod of the Deployment: its selector labels, its first container and image, no conditions yet. */
    private Pod pendingPodOf(String namespace, String deployment, String podName) {
        Deployment d = admin().apps().deployments().inNamespace(namespace).withName(deployment).get();
        var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        return new PodBuilder()
                .withNewMetadata().withName(podName).withNamespace(namespace)
                .withLabels(d.getSpec().getSelector().getMatchLabels()).endMetadata()
                .withNewSpec().addNewContainer().withName(container.getName()).withImage(container.getImage())
                .endContainer().endSpec()
                .withNewStatus().withPhase("Pending").withConditions(new java.util.ArrayList<>())
                .withContainerStatuses(new java.util.ArrayList<>()).endStatus()
                .build();
    }

    private Pod createWithStatus(Pod pod) {
        var status = pod.getStatus();
        Pod created = admin().pods().resource(pod).create();
        if (created.getStatus() == null || created.getStatus().getContainerStatuses() == null
                && status.getContainerStatuses() != null && !status.getContainerStatuses().isEmpty()) {
            created.setStatus(status);
            created = admin().pods().resource(created).updateStatus();
        }
        return created;
    }

    /** Records an Event about a Pod, as the kubelet or scheduler would ({@code type} Normal or Warning). */
    public Event addPodEvent(String namespace, String podName, String type, String reason, String message) {
        String now = Instant.now().toString();
        Event event = new EventBuilder()
                .withNewMetadata().withName(podName + "." + Long.toHexString(System.nanoTime()))
                .withNamespace(namespace).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withNamespace(namespace).withName(podName).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        return admin().v1().events().inNamespace(namespace).resource(event).create();
    }

    // ------------------------------------------------------------------------------------------ kubeconfig

    /**
     * Writes a kubeconfig with one context per entry of {@code servers} (context name to server URL), and the given
     * current-context, to {@code file}; returns the file.
     */
    public static Path writeKubeconfig(Path file, String currentContext, Map<String, String> servers) {
        Kubeconfig config = Kubeconfig.create();
        servers.forEach((context, url) -> config.context(context, url).namespace("default").insecure());
        return config.current(currentContext).write(file);
    }

    /** Writes {@code dir/kubeconfig} with context {@code context} (also current) pointing at this mock. */
    public Path writeKubeconfig(Path dir, String context) {
        return writeKubeconfig(dir.resolve("kubeconfig"), context, Map.of(context, url()));
    }

    @Override
    public void close() {
        stopController();
        clients.forEach(KubernetesClient::close);
        if (admin != null) {
            admin.close();
        }
        server.destroy();
    }

    // ------------------------------------------------------------------------------------------ dispatcher

    /** CRUD dispatcher plus server-side apply, nodePort range validation and request recording. */
    private static final class ApplyingDispatcher extends KubernetesCrudDispatcher {
        private static final Pattern COLLECTION_PATH = Pattern.compile(
                "^/(api/v1|apis/[^/]+/[^/]+)/namespaces/[^/]+/[^/]+/?$");
        private static final Pattern SERVICE_PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)/services(/([^/?]+))?/?(\\?.*)?$");
        final List<Request> requests = new CopyOnWriteArrayList<>();
        final Map<String, List<MockDiscovery.Resource>> groupVersions = java.util.Collections.synchronizedMap(
                new java.util.LinkedHashMap<>(MockDiscovery.GROUP_VERSIONS));
        volatile int nodePortMin = 30000;
        volatile int nodePortMax = 32767;

        /** Resources the real API server serves only cluster-wide: under {@code /namespaces/<ns>/} it answers 404. */
        private static final Pattern NAMESPACED_CLUSTER_SCOPED = Pattern.compile("^/(api/v1|apis/[^/]+/[^/]+)"
                + "/namespaces/[^/]+/(namespaces|nodes|persistentvolumes|clusterroles|clusterrolebindings"
                + "|ingressclasses|storageclasses|customresourcedefinitions|priorityclasses|runtimeclasses"
                + "|validatingwebhookconfigurations|mutatingwebhookconfigurations|apiservices|csidrivers)(/.*)?$");

        /**
         * Answers every request: one the mock does not model (a namespaced path for a cluster-scoped kind, or one
         * the CRUD dispatcher fails on) gets an error Status, never a connection left hanging.
         */
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath() == null ? "" : request.getPath();
            String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            try {
                if (NAMESPACED_CLUSTER_SCOPED.matcher(pathOnly).matches()) {
                    record(request);
                    return MockDiscovery.status(404, "NotFound", "the server could not find the requested resource");
                }
                MockResponse response = answer(request);
                return response != null ? response : MockDiscovery.status(500, "InternalError",
                        "the mock API server does not model " + request.getMethod() + " " + path);
            } catch (RuntimeException e) {
                return MockDiscovery.status(500, "InternalError", "the mock API server cannot answer "
                        + request.getMethod() + " " + path + ": " + e);
            }
        }

        private void record(RecordedRequest request) {
            if (!ADMIN_AGENT.equals(request.getHeader("User-Agent"))) {
                String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(),
                        java.nio.charset.StandardCharsets.UTF_8);
                requests.add(new Request(request.getMethod().toUpperCase(java.util.Locale.ROOT), request.getPath(),
                        request.getHeader("Content-Type"), body));
            }
        }

        private MockResponse answer(RecordedRequest request) {
            String method = request.getMethod().toUpperCase(java.util.Locale.ROOT);
            if (request.getPath().startsWith(REQUESTS_PATH)) {
                return requestLog(method);
            }
            String contentType = request.getHeader("Content-Type");
            String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            if (!ADMIN_AGENT.equals(request.getHeader("User-Agent"))) {
                requests.add(new Request(method, request.getPath(), contentType, body));
            }
            if ("GET".equals(method)) {
                MockResponse discovery = MockDiscovery.answer(request.getPath(), request.getHeader("Accept"),
                        request.getHeader("Host"), groupVersions);
                if (discovery != null) {
                    return discovery;
                }
            }
            if (WRITE_METHODS.contains(method) && !"DELETE".equals(method)) {
                MockResponse rejected = checkNodePorts(request.getPath(), body);
                if (rejected != null) {
                    return rejected;
                }
            }
            if (WRITE_METHODS.contains(method) && request.getPath().matches(".*[?&]dryRun=All(&.*)?")) {
                return dryRun(method, request.getPath(), body);
            }
            if ("PATCH".equals(method) && contentType != null && contentType.startsWith("application/apply-patch")) {
                return serverSideApply(request, body);
            }
            if ("DELETE".equals(method)) {
                MockResponse collection = deleteCollection(request);
                if (collection != null) {
                    return collection;
                }
                MockResponse failed = checkPreconditions(request.getPath(), body);
                if (failed != null) {
                    return failed;
                }
            }
            return super.dispatch(request);
        }

        /**
         * The request record over HTTP, for a benchmark or a script driving the mock from outside: GET answers
         * {@code {"requests": N, "writes": W, "byMethod": {...}, "writeLines": [...]}}, DELETE clears the record.
         */
        private MockResponse requestLog(String method) {
            if ("DELETE".equals(method)) {
                requests.clear();
                return MockDiscovery.json(200, Map.of("requests", 0, "writes", 0));
            }
            if (!"GET".equals(method)) {
                return MockDiscovery.status(405, "MethodNotAllowed", "GET or DELETE " + REQUESTS_PATH);
            }
            List<Request> all = List.copyOf(requests);
            Map<String, Integer> byMethod = new java.util.TreeMap<>();
            all.forEach(r -> byMethod.merge(r.method(), 1, Integer::sum));
            Map<String, Object> log = new java.util.LinkedHashMap<>();
            log.put("requests", all.size());
            log.put("writes", all.stream().filter(Request::isWrite).count());
            log.put("byMethod", byMethod);
            log.put("writeLines", all.stream().filter(Request::isWrite).map(Request::toString).toList());
            log.put("lines", all.stream().map(Request::toString).toList());
            return MockDiscovery.json(200, log);
        }

        /**
         * A write with {@code dryRun=All}: the answer the real server gives (the object as the write would leave
         * it: the body for a create, the merge for an apply or patch, the stored object for a delete), nothing
         * stored. No schema or {@code fieldValidation=Strict} check: the mock has no OpenAPI schemas.
         */
        private MockResponse dryRun(String method, String path, String body) {
            String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            boolean collection = "POST".equals(method);
            MockResponse stored = collection ? null : handleGet(pathOnly);
            boolean exists = stored != null && stored.code() == 200;
            if ("DELETE".equals(method)) {
                return exists ? stored : MockDiscovery.status(404, "NotFound", "not found");
            }
            var json = context.getMapper().readTree(body.isBlank() ? "{}" : body);
            if (exists && "PATCH".equals(method)) {
                json = mergePatch(context.getMapper().readTree(stored.getBody().readUtf8()), json);
            }
            return new MockResponse().setResponseCode(exists ? 200 : 201).setHeader("Content-Type", "application/json")
                    .setBody(json.toString());
        }

        /** Create if missing, else a JSON merge patch of the applied object onto the stored one. */
        private MockResponse serverSideApply(RecordedRequest request, String body) {
            String path = request.getPath();
            String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            String json = context.getMapper().readTree(body).toString(); // the body is JSON, or YAML that is JSON
            if (handleGet(pathOnly).code() == 404) {
                String collection = pathOnly.substring(0, pathOnly.lastIndexOf('/'));
                MockResponse created = handleCreate(copy(request, "POST", collection, "application/json", json));
                if (created.code() < 300) {
                    created.setResponseCode(201);
                }
                return created;
            }
            // RFC 7386 merge of the applied object onto the stored one, stored back with a PUT
            var stored = context.getMapper().readTree(handleGet(pathOnly).getBody().readUtf8());
            var merged = mergePatch(stored, context.getMapper().readTree(json));
            if (stored.has("status")) {
                ((tools.jackson.databind.node.ObjectNode) merged).set("status", stored.get("status"));
            }
            MockResponse replaced = handleUpdate(copy(request, "PUT", pathOnly, "application/json", merged.toString()));
            if (replaced.code() < 300) {
                replaced.setResponseCode(200);
            }
            return replaced;
        }

        private tools.jackson.databind.JsonNode mergePatch(tools.jackson.databind.JsonNode target,
                tools.jackson.databind.JsonNode patch) {
            if (!patch.isObject()) {
                return patch.deepCopy();
            }
            var result = target != null && target.isObject() ? (tools.jackson.databind.node.ObjectNode) target.deepCopy()
                    : context.getMapper().createObjectNode();
            for (var field : patch.properties()) {
                if (field.getValue().isNull()) {
                    result.remove(field.getKey());
                } else {
                    result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
                }
            }
            return result;
        }

        /**
         * A namespaced collection delete with a label selector ({@code deletecollection}): the CRUD store does not
         * evaluate set-based selectors ({@code in}, {@code notin}, {@code !key}, {@code !=}) and would delete too
         * much, so the selector is evaluated here with devk8s's parser (the API server's semantics) and each
         * matching object is deleted by name. Null when the request is not such a delete.
         */
        /**
         * A DELETE whose DeleteOptions carry {@code preconditions} (resourceVersion, uid) that the stored object no
         * longer meets: 409 Conflict with the real server's message; null when they hold or there are none.
         */
        private MockResponse checkPreconditions(String path, String body) {
            if (body == null || body.isBlank()) {
                return null;
            }
            var preconditions = context.getMapper().readTree(body).path("preconditions");
            if (preconditions.isMissingNode() || preconditions.isNull()) {
                return null;
            }
            String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            MockResponse stored = handleGet(pathOnly);
            if (stored == null || stored.code() != 200) {
                return null; // the CRUD dispatcher answers 404
            }
            var meta = context.getMapper().readTree(stored.getBody().readUtf8()).path("metadata");
            for (String field : new String[] {"resourceVersion", "uid"}) {
                String wanted = preconditions.path(field).asText("");
                String actual = meta.path(field).asText("");
                if (!wanted.isEmpty() && !wanted.equals(actual)) {
                    String name = field.equals("uid") ? "UID" : "ResourceVersion";
                    return MockDiscovery.status(409, "Conflict", "Precondition failed: " + name + " in precondition: "
                            + wanted + ", " + name + " in object meta: " + actual);
                }
            }
            return null;
        }

        private MockResponse deleteCollection(RecordedRequest request) {
            String path = request.getPath();
            int q = path.indexOf('?');
            String pathOnly = q < 0 ? path : path.substring(0, q);
            if (q < 0 || !COLLECTION_PATH.matcher(pathOnly).matches()) {
                return null;
            }
            String selector = null;
            for (String param : path.substring(q + 1).split("&")) {
                if (param.startsWith("labelSelector=")) {
                    selector = java.net.URLDecoder.decode(param.substring("labelSelector=".length()),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            if (selector == null) {
                return null;
            }
            io.devk8s.adapter.kubernetes.LabelSelector parsed = io.devk8s.adapter.kubernetes.LabelSelector.parse(
                    selector);
            var items = context.getMapper().readTree(handleGet(pathOnly).getBody().readUtf8()).path("items");
            for (int i = 0; i < items.size(); i++) {
                var meta = items.get(i).path("metadata");
                Map<String, String> labels = new java.util.HashMap<>();
                meta.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                if (parsed.matches(labels)) {
                    super.dispatch(copy(request, "DELETE", pathOnly + "/" + meta.path("name").asText(),
                            "application/json", ""));
                }
            }
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\"}");
        }

        private static RecordedRequest copy(RecordedRequest original, String method, String path, String contentType,
                String body) {
            var headers = original.getHeaders().newBuilder().set("Content-Type", contentType).build();
            return new RecordedRequest(original.getHttpVersion(), io.fabric8.mockwebserver.dsl.HttpMethod.valueOf(method),
                    path, headers, new Buffer(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }

        /** The real apiserver's answer to a nodePort outside the range. */
        private MockResponse checkNodePorts(String path, String body) {
            Matcher m = SERVICE_PATH.matcher(path);
            if (!m.matches() || body.isBlank()) {
                return null;
            }
            var tree = context.getMapper().readTree(body);
            var ports = tree.path("spec").path("ports");
            for (int i = 0; i < ports.size(); i++) {
                var nodePort = ports.get(i).path("nodePort");
                if (nodePort.isNumber() && (nodePort.asInt() < nodePortMin || nodePort.asInt() > nodePortMax)) {
                    String name = tree.path("metadata").path("name").asText(m.group(3) == null ? "" : m.group(3));
                    String cause = "Invalid value: " + nodePort.asInt()
                            + ": provided port is not in the valid range. The range of valid ports is " + nodePortMin
                            + "-" + nodePortMax;
                    String field = "spec.ports[" + i + "].nodePort";
                    Map<String, Object> status = new java.util.LinkedHashMap<>();
                    status.put("kind", "Status");
                    status.put("apiVersion", "v1");
                    status.put("metadata", Map.of());
                    status.put("status", "Failure");
                    status.put("message", "Service \"" + name + "\" is invalid: " + field + ": " + cause);
                    status.put("reason", "Invalid");
                    status.put("details", Map.of("name", name, "kind", "Service",
                            "causes", List.of(Map.of("reason", "FieldValueInvalid", "message", cause, "field", field))));
                    status.put("code", 422);
                    return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
                            .setBody(context.getMapper().writeValueAsString(status));
                }
            }
            return null;
        }
    }

    /** Names of the recorded write requests, e.g. {@code PATCH /api/v1/namespaces/devk8s/services/traefik}. */
    public List<String> writeLines() {
        List<String> lines = new ArrayList<>();
        for (Request r : writes()) {
            lines.add(r.toString());
        }
        return lines;
    }
}
