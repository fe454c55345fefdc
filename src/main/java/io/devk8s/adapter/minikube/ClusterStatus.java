package io.devk8s.adapter.minikube;

/**
 * The parsed result of {@code minikube status -o json -p PROFILE}: the typed state plus minikube's own words.
 *
 * @param state      the typed state
 * @param exitCode   minikube's exit code (a bitmask 1 host, 2 cluster, 4 kubeconfig; 85 for a missing profile)
 * @param host       e.g. {@code Running}, {@code Stopped}, {@code Nonexistent}; empty when not reported
 * @param kubelet    e.g. {@code Running}, {@code Stopped}
 * @param apiServer  e.g. {@code Running}, {@code Paused}, {@code Stopped}
 * @param kubeconfig e.g. {@code Configured}, {@code Misconfigured}, {@code Stopped}
 * @param message    minikube's message when it printed no status (missing profile, errors); else empty
 */
public record ClusterStatus(ProfileStatus state, int exitCode, String host, String kubelet, String apiServer,
                            String kubeconfig, String message) {

    /** One line for humans, e.g. {@code running} or {@code stopped (host Stopped, apiserver Stopped)}. */
    public String describe() {
        String name = state.name().toLowerCase(java.util.Locale.ROOT);
        if (state == ProfileStatus.RUNNING) {
            return name;
        }
        if (!host.isEmpty()) {
            return name + " (host " + host + ", kubelet " + kubelet + ", apiserver " + apiServer
                    + ", kubeconfig " + kubeconfig + ")";
        }
        return message.isEmpty() ? name + " (minikube exit " + exitCode + ")" : name + ": " + message;
    }
}
