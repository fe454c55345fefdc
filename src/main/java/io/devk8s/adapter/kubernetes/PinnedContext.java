package io.devk8s.adapter.kubernetes;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one kube context a command acts on, resolved and checked once at the start of the command. Every
 * later API call or kubectl run uses exactly this context from exactly these kubeconfig files, so a
 * {@code kubectl config use-context} by someone else halfway through cannot redirect it.
 *
 * @param contextName     the kube context
 * @param server          its API server URL
 * @param namespace       its namespace ({@code default} when it sets none)
 * @param kubeconfigFiles the kubeconfig files it came from, in precedence order
 * @param profile         the Minikube profile it belongs to
 * @param reason          why it was accepted
 */
public record PinnedContext(String contextName, String server, String namespace, List<Path> kubeconfigFiles,
                            String profile, Reason reason) {

    public PinnedContext {
        kubeconfigFiles = List.copyOf(kubeconfigFiles);
    }

    /** Why a context counts as the Minikube profile's. */
    public enum Reason {
        /** The context is named after the profile (what {@code minikube start} writes). */
        CONTEXT_NAME,
        /** Its cluster's CA file lies under minikube's home. */
        MINIKUBE_CA,
        /** Its server host:port is the profile's control-plane node IP:port. */
        NODE_ENDPOINT,
        /** The user named it with {@code --allow-context}. */
        ALLOWED_BY_FLAG,
        /**
         * A local cluster of another kind: {@code kind-*}, {@code k3d-*}, {@code docker-desktop},
         * {@code rancher-desktop}, {@code colima}, {@code orbstack}, with its API server on this machine.
         */
        LOCAL_CLUSTER,
        /** Listed under {@code allowContexts:} in the project's {@code devk8s.yaml}. */
        ALLOWED_BY_FILE;

        /** Whether the context is the Minikube profile's (named, CA or node endpoint). */
        public boolean isMinikube() {
            return this == CONTEXT_NAME || this == MINIKUBE_CA || this == NODE_ENDPOINT;
        }

        /** Whether the cluster runs on this machine (Minikube's or another local one), not one the user allowed. */
        public boolean isLocal() {
            return isMinikube() || this == LOCAL_CLUSTER;
        }
    }

    /** The value for {@code KUBECONFIG} that reproduces this context's files, for kubectl child processes. */
    public String kubeconfigEnv() {
        return kubeconfigFiles.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /** The arguments that pin a kubectl call to this context, e.g. {@code --context minikube}. */
    public List<String> kubectlArgs() {
        return List.of("--context", contextName);
    }
}
