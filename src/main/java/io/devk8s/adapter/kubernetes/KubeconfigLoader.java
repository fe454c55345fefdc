package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds a fabric8 {@link Config} for one named context from explicit kubeconfig files. Unlike
 * {@code Config.autoConfigure}, it reads neither the JVM's KUBECONFIG nor its KUBERNETES_* variables and system
 * properties, and ignores the files' current-context: the context is pinned.
 */
final class KubeconfigLoader {
    private KubeconfigLoader() {
    }

    static Config load(String context, String profile, List<Path> files) {
        List<Path> existing = files.stream().filter(Files::isRegularFile).toList();
        String where = files.stream().map(Path::toString).collect(Collectors.joining(", "));
        if (existing.isEmpty()) {
            throw Devk8sException.precondition("no kubeconfig found at " + where + ": start the cluster with `minikube start -p "
                    + profile + "`, or point KUBECONFIG at your kubeconfig");
        }
        List<io.fabric8.kubernetes.api.model.Config> parsed = new ArrayList<>();
        Set<String> contexts = new LinkedHashSet<>();
        for (Path file : existing) {
            io.fabric8.kubernetes.api.model.Config kubeconfig;
            try {
                KubeConfig.readText(file); // a binary file gets a message naming it, not the decoder's
                kubeconfig = KubeConfigUtils.parseConfig(file.toFile());
            } catch (Devk8sException e) {
                throw e;
            } catch (Exception e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage().lines().findFirst().orElse("");
                throw Devk8sException.usage("kubeconfig " + file + " cannot be read: " + reason
                        + ": fix the file or remove it from KUBECONFIG");
            }
            if (kubeconfig == null) {
                continue; // an empty file, as kubectl treats it
            }
            parsed.add(kubeconfig);
            if (kubeconfig.getContexts() != null) {
                kubeconfig.getContexts().stream().map(NamedContext::getName).forEach(contexts::add);
            }
        }
        if (!contexts.contains(context)) {
            throw Devk8sException.precondition("context '" + context + "' is not in the kubeconfig (" + where + "; "
                    + (contexts.isEmpty() ? "it has no contexts" : "contexts: " + String.join(", ", contexts))
                    + "): start the cluster with `minikube start -p " + profile + "`, or choose one of those with --context");
        }
        Config config = Config.empty();
        KubeConfigUtils.merge(config, context, parsed.toArray(io.fabric8.kubernetes.api.model.Config[]::new));
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw Devk8sException.precondition("context '" + context + "' in " + where
                    + " names no cluster server: repair it with `minikube update-context -p " + profile + "`");
        }
        // a stopped cluster should fail in a second or two, not after ten exponential retries
        config.setRequestRetryBackoffLimit(2);
        config.setRequestRetryBackoffInterval(200);
        config.setConnectionTimeout(5_000);
        config.setUserAgent("devk8s");
        // plain HTTP (`kubectl proxy`, a test server): HTTP/1.1, as kubectl speaks it there. The JDK client otherwise
        // asks to upgrade each new connection to HTTP/2 (h2c), and a new client sending several requests at once
        // lost an answer now and then, leaving the command waiting for it. Over HTTPS, HTTP/2 is agreed in the TLS
        // handshake, as before.
        if (config.getMasterUrl().regionMatches(true, 0, "http://", 0, 7)) {
            config.setHttp2Disable(true);
        }
        return config;
    }
}
