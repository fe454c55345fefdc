package io.devk8s.adapter.kubernetes;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One kube context as resolved from the merged kubeconfig: the context, its cluster and its user.
 *
 * @param name           context name
 * @param cluster        the context's cluster name
 * @param user           the context's user name (empty when none)
 * @param namespace      the context's namespace, {@code default} when it sets none
 * @param server         the cluster's API server URL (empty when the cluster entry is missing)
 * @param caFile         the cluster's {@code certificate-authority}, resolved against the file that defined it
 * @param hasCaData      whether the cluster carries {@code certificate-authority-data} instead
 * @param kubeconfigFiles the kubeconfig files that were merged, in precedence order (existing files only)
 */
public record KubeContext(String name, String cluster, String user, String namespace, String server,
                          Optional<Path> caFile, boolean hasCaData, List<Path> kubeconfigFiles) {

    public KubeContext {
        kubeconfigFiles = List.copyOf(kubeconfigFiles);
    }

    /** The server's host, or empty when the server URL has none. */
    public Optional<String> serverHost() {
        try {
            return Optional.ofNullable(URI.create(server).getHost());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The server's port, with the scheme's default (443 for https, 80 for http) when the URL has none. */
    public int serverPort() {
        try {
            URI uri = URI.create(server);
            if (uri.getPort() > 0) {
                return uri.getPort();
            }
            return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
