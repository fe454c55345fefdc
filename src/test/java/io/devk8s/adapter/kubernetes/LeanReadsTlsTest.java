package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsServer;
import io.devk8s.Devk8sException;
import io.devk8s.support.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lean reader over HTTPS with client-certificate authentication, against a JDK {@link HttpsServer} that
 * requires a client certificate signed by its CA (standing in for the API server: it answers one Namespace).
 * Certificates and keys are made by the real {@code openssl} in the formats kubeconfigs carry (RSA PKCS#1 as
 * minikube writes it, PKCS#8, EC SEC1); the kubeconfig names them by file or carries them as {@code -data}. The
 * fabric8 path reads the same kubeconfig and must give the same answer.
 */
class LeanReadsTlsTest {
    @TempDir
    static Path dir;
    static HttpsServer server;
    static TestCertificates certs;
    static String url;
    static final AtomicReference<String> clientSubject = new AtomicReference<>();

    @BeforeAll
    static void certificatesAndServer() throws Exception {
        certs = new TestCertificates(dir);
        certs.ca("other-ca");
        openssl("genrsa", "-traditional", "-out", "rsa-pkcs1.key", "2048");
        openssl("pkey", "-in", "rsa-pkcs1.key", "-out", "rsa-pkcs8.key");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-sec1.key");
        for (String key : List.of("rsa-pkcs1", "ec-sec1")) {
            certs.clientCertificate(key);
        }
        Files.copy(dir.resolve("rsa-pkcs1.pem"), dir.resolve("rsa-pkcs8.pem"));

        server = certs.clientAuthServer(exchange -> {
            SSLSession session = ((com.sun.net.httpserver.HttpsExchange) exchange).getSSLSession();
            clientSubject.set(((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName());
            boolean ours = exchange.getRequestURI().getPath().equals("/api/v1/namespaces/devk8s");
            byte[] body = (ours ? "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"devk8s\","
                    + "\"annotations\":{\"devk8s.io/components\":\"traefik,grafana\"}}}"
                    : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"not found\","
                    + "\"reason\":\"NotFound\",\"code\":404}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(ours ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        url = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A kubeconfig with the CA and the client certificate and key as files, or inline as {@code -data}. */
    private static Path kubeconfig(String name, String ca, String key, boolean inline, boolean insecure)
            throws IOException {
        String cluster = insecure ? "    insecure-skip-tls-verify: true\n"
                : inline ? "    certificate-authority-data: " + data(ca) + "\n"
                : "    certificate-authority: " + ca + "\n"; // relative to the kubeconfig's folder
        String user = inline ? "    client-certificate-data: " + data(key + ".pem") + "\n    client-key-data: "
                + data(key + ".key") + "\n"
                : "    client-certificate: " + dir.resolve(key + ".pem") + "\n    client-key: " + key + ".key\n";
        return Files.writeString(dir.resolve(name), "apiVersion: v1\nkind: Config\ncurrent-context: minikube\n"
                + "clusters:\n- name: minikube\n  cluster:\n    server: " + url + "\n" + cluster
                + "contexts:\n- name: minikube\n  context:\n    cluster: minikube\n    user: minikube\n"
                + "users:\n- name: minikube\n  user:\n" + user);
    }

    private static String data(String file) throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve(file)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs1", "rsa-pkcs8", "ec-sec1"})
    void a_client_certificate_from_files_authenticates_the_lean_reader_like_the_client(String key) throws Exception {
        List<Path> files = List.of(kubeconfig(key + "-files.yaml", "ca.pem", key, false, false));
        assertSameAnswer(files, key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs1", "rsa-pkcs8", "ec-sec1"})
    void a_client_certificate_inline_authenticates_the_lean_reader_like_the_client(String key) throws Exception {
        List<Path> files = List.of(kubeconfig(key + "-inline.yaml", "ca.pem", key, true, false));
        assertSameAnswer(files, key);
    }

    @Test
    void insecure_skip_tls_verify_still_presents_the_client_certificate() throws Exception {
        List<Path> files = List.of(kubeconfig("insecure.yaml", null, "rsa-pkcs1", false, true));
        assertSameAnswer(files, "rsa-pkcs1");
    }

    private static void assertSameAnswer(List<Path> files, String key) {
        clientSubject.set(null);
        LeanReads lean = LeanReads.forContext("minikube", "minikube", files).orElseThrow();
        assertEquals(Optional.of("traefik,grafana"), lean.namespaceAnnotation("devk8s", "devk8s.io/components"));
        assertEquals("CN=" + key.replace("-pkcs8", "-pkcs1"), clientSubject.get());
        assertEquals(Optional.empty(), lean.namespaceAnnotation("other", "devk8s.io/components"));
        try (KubeConnection connection = new KubeConnection("minikube", "minikube", files)) {
            ClusterQueries fabric8 = new ClusterQueries(connection, new ApiDiscovery(connection));
            assertEquals(fabric8.namespaceAnnotation("devk8s", "devk8s.io/components"),
                    lean.namespaceAnnotation("devk8s", "devk8s.io/components"));
        }
    }

    @Test
    void a_server_certificate_from_another_ca_is_refused_like_the_client_refuses_it() throws Exception {
        List<Path> files = List.of(kubeconfig("other-ca.yaml", "other-ca.pem", "rsa-pkcs1", false, false));
        LeanReads lean = LeanReads.forContext("minikube", "minikube", files).orElseThrow();
        Devk8sException e = assertThrows(Devk8sException.class,
                () -> lean.namespaceAnnotation("devk8s", "devk8s.io/components"));
        try (KubeConnection connection = new KubeConnection("minikube", "minikube", files)) {
            Devk8sException expected = assertThrows(Devk8sException.class, () -> new ClusterQueries(connection,
                    new ApiDiscovery(connection)).namespaceAnnotation("devk8s", "devk8s.io/components"));
            assertEquals(expected.getMessage(), e.getMessage());
            assertEquals(expected.exitCode(), e.exitCode());
        }
        assertTrue(e.getMessage().startsWith("Namespace devk8s: cannot reach the Kubernetes API of context 'minikube'"
                + " at " + url + "/: SSLHandshakeException PKIX path building failed"), e.getMessage());
    }

    @Test
    void a_key_the_jdk_cannot_read_leaves_the_context_to_the_full_client() throws Exception {
        Files.writeString(dir.resolve("garbage.key"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        Files.copy(dir.resolve("rsa-pkcs1.pem"), dir.resolve("garbage.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<Path> files = List.of(kubeconfig("garbage.yaml", "ca.pem", "garbage", false, false));
        assertEquals(Optional.empty(), LeanReads.forContext("minikube", "minikube", files));
    }

    private static void openssl(String... args) throws Exception {
        certs.openssl(args);
    }
}
