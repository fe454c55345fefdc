package io.devk8s;

import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.console.Console;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The composition root: builds each adapter lazily, on first use, so that a command pays only for the
 * outside systems it talks to (no fabric8 or docker-java classes load for {@code --help} or
 * {@code render}), and closes what it built.
 */
public class Services implements AutoCloseable {
    private final Environment environment;
    private final Console console;
    private final Map<String, KubernetesCluster> clusters = new LinkedHashMap<>();

    public Services(Environment environment, Console console) {
        this.environment = environment;
        this.console = console;
    }

    public Environment environment() {
        return environment;
    }

    public Console console() {
        return console;
    }

    /**
     * The Kubernetes API of {@code context}, from the kubeconfig files this environment names (KUBECONFIG, else
     * ~/.kube/config). Built on first call per context; the HTTP client only on first request.
     */
    public KubernetesCluster kubernetes(String context) {
        return clusters.computeIfAbsent(context, c -> new KubernetesCluster(environment, c));
    }

    @Override
    public void close() {
        clusters.values().forEach(KubernetesCluster::close);
        clusters.clear();
    }
}
