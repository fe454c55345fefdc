package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.devk8s.Devk8sException;
import io.devk8s.support.Kubeconfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lean reader ({@link LeanReads}) and the fabric8 path ({@link ClusterQueries}) must fail with the same
 * one-line message and exit code: 401, 403 (plain and a terminating namespace), 500 after the same retries, a
 * body that is not a Status, connection refused and a server that does not answer. A JDK {@link HttpServer}
 * stands in for the API server with canned answers; the real API server's Status bodies are copied from it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LeanReadsErrorsTest {
    private HttpServer server;
    private ExecutorService executor;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int code = 200;
    private volatile String body = "{}";
    private volatile long delayMillis;
    /** When set, every request waits (at most 5 s) until this many have arrived: shows requests go out together. */
    private volatile java.util.concurrent.CountDownLatch together;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                java.util.concurrent.CountDownLatch gate = together;
                if (gate != null) {
                    gate.countDown();
                    gate.await(5, java.util.concurrent.TimeUnit.SECONDS);
                }
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type",
                        body.startsWith("{") ? "application/json" : "text/plain");
                exchange.sendResponseHeaders(code, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (InterruptedException | IOException e) {
                exchange.close();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + message.replace("\"", "\\\"") + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }

    /** Each read status makes, over both paths, must throw the same message and exit code. */
    private void assertSameFailures(String server, Duration timeout) {
        List<Path> kubeconfig = List.of(Kubeconfig.with("minikube", server).write(dir.resolve("kubeconfig")));
        LabelSelector stack = LabelSelector.parse(io.devk8s.service.StackCatalog.STACK_SELECTOR);
        List<Function<Object, Object>> reads = List.of(
                q -> q instanceof LeanReads l ? l.deployments("devk8s", stack)
                        : ((ClusterQueries) q).deployments("devk8s", stack),
                q -> q instanceof LeanReads l ? l.nodePort("devk8s", "traefik", "web")
                        : ((ClusterQueries) q).nodePort("devk8s", "traefik", "web"),
                q -> q instanceof LeanReads l ? l.namespaceAnnotation("devk8s", "a")
                        : ((ClusterQueries) q).namespaceAnnotation("devk8s", "a"),
                q -> q instanceof LeanReads l ? l.exist(List.of(ObjectRef.clusterScoped("ClusterRole", "c")))
                        .orElseThrow() : ((ClusterQueries) q).exist(List.of(ObjectRef.clusterScoped("ClusterRole", "c"))),
                q -> q instanceof LeanReads l ? l.ingressHosts(null, stack)
                        : ((ClusterQueries) q).ingressHosts(null, stack));
        for (Function<Object, Object> read : reads) {
            try (KubeConnection connection = new KubeConnection("minikube", "minikube", kubeconfig)) {
                connection.timeouts(timeout, timeout);
                ClusterQueries fabric8 = new ClusterQueries(connection, new ApiDiscovery(connection));
                LeanReads lean = LeanReads.forContext("minikube", "minikube", kubeconfig).orElseThrow()
                        .timeouts(timeout, timeout);
                requests.set(0);
                Devk8sException expected = assertThrows(Devk8sException.class, () -> read.apply(fabric8));
                int fabric8Requests = requests.getAndSet(0);
                Devk8sException actual = assertThrows(Devk8sException.class, () -> read.apply(lean));
                assertEquals(expected.getMessage(), actual.getMessage());
                assertEquals(expected.exitCode(), actual.exitCode(), expected.getMessage());
                assertEquals(fabric8Requests, requests.get(), "the same retries: " + expected.getMessage());
            }
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void the_existence_checks_go_out_together_and_answer_in_the_given_order() {
        code = 404;
        body = status(404, "NotFound", "not found");
        List<ObjectRef> refs = List.of(ObjectRef.clusterScoped("ClusterRole", "a"),
                ObjectRef.clusterScoped("ClusterRoleBinding", "b"), ObjectRef.clusterScoped("IngressClass", "c"));
        together = new java.util.concurrent.CountDownLatch(refs.size());
        List<Path> kubeconfig = List.of(Kubeconfig.with("minikube", url()).write(dir.resolve("kubeconfig")));
        LeanReads lean = LeanReads.forContext("minikube", "minikube", kubeconfig).orElseThrow();

        java.util.Map<ObjectRef, Boolean> found = lean.exist(refs).orElseThrow();

        assertEquals(refs, List.copyOf(found.keySet()));
        assertEquals(List.of(false, false, false), List.copyOf(found.values()));
        assertEquals(refs.size(), mostInFlight.get(), "requests in flight at once (one after another: 1)");
    }

    @Test
    void unauthorized_gives_the_same_message_over_both_paths() {
        code = 401;
        body = status(401, "Unauthorized", "Unauthorized");
        assertSameFailures(url(), Duration.ofSeconds(5));
    }

    @Test
    void forbidden_gives_the_same_message_over_both_paths() {
        code = 403;
        body = status(403, "Forbidden", "deployments.apps is forbidden: User \"system:anonymous\" cannot list"
                + " resource \"deployments\" in API group \"apps\" in the namespace \"devk8s\"");
        assertSameFailures(url(), Duration.ofSeconds(5));
    }

    @Test
    void forbidden_in_a_terminating_namespace_gives_the_same_message_over_both_paths() {
        code = 403;
        body = status(403, "Forbidden", "unable to create new content in namespace devk8s because it is being"
                + " terminated");
        assertSameFailures(url(), Duration.ofSeconds(5));
    }

    @Test
    void a_server_error_is_retried_and_gives_the_same_message_over_both_paths() {
        code = 500;
        body = status(500, "InternalError", "etcdserver: request timed out");
        assertSameFailures(url(), Duration.ofSeconds(5));
    }

    @Test
    void an_answer_that_is_not_a_status_gives_the_same_message_over_both_paths() {
        code = 403;
        body = "Forbidden";
        assertSameFailures(url(), Duration.ofSeconds(5));
    }

    @Test
    void connection_refused_gives_the_same_message_over_both_paths() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertSameFailures("http://127.0.0.1:" + port, Duration.ofSeconds(5));
    }

    /**
     * The one deliberate difference: the JDK HTTP client under fabric8 reports a host name that does not resolve as
     * a refused connection; the lean reader names the unknown host (the rest of the line is the same).
     */
    @Test
    void an_unknown_host_is_named_by_the_lean_reader_where_the_client_says_connection_refused() {
        List<Path> kubeconfig = List.of(Kubeconfig.with("minikube", "http://no-such-host.invalid:6443")
                .write(dir.resolve("kubeconfig")));
        Devk8sException lean = assertThrows(Devk8sException.class, () -> LeanReads.forContext("minikube", "minikube",
                kubeconfig).orElseThrow().namespaceAnnotation("devk8s", "a"));
        Devk8sException fabric8;
        try (KubeConnection connection = new KubeConnection("minikube", "minikube", kubeconfig)) {
            fabric8 = assertThrows(Devk8sException.class, () -> new ClusterQueries(connection,
                    new ApiDiscovery(connection)).namespaceAnnotation("devk8s", "a"));
        }
        String server = "Namespace devk8s: cannot reach the Kubernetes API of context 'minikube' at"
                + " http://no-such-host.invalid:6443/: ";
        String hint = ": is the cluster running? check with `minikube status -p minikube`, start it with"
                + " `minikube start -p minikube`";
        assertEquals(server + "unknown host no-such-host.invalid" + hint, lean.getMessage());
        assertEquals(server + "connection refused" + hint, fabric8.getMessage());
        assertEquals(fabric8.exitCode(), lean.exitCode());
    }

    @Test
    void a_server_that_does_not_answer_gives_the_same_message_over_both_paths() {
        delayMillis = 3_000;
        assertSameFailures(url(), Duration.ofMillis(300));
        assertTrue(requests.get() > 1, "retried after the time-outs");
    }
}
