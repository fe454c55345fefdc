package io.devk8s.adapter.kubernetes;

/**
 * One host rule of an Ingress, as {@code devk8s status} turns it into a URL.
 *
 * @param namespace the Ingress's namespace
 * @param ingress   the Ingress's name
 * @param component its {@code app.kubernetes.io/name} label, or {@code null} when it has none
 * @param host      {@code spec.rules[].host}
 * @param urlPath   the {@value #URL_PATH_ANNOTATION} annotation (e.g. {@code /dashboard/}), or {@code null}
 */
public record IngressHost(String namespace, String ingress, String component, String host, String urlPath) {
    /** Annotation an Ingress may carry to say where its UI lives under the host (default {@code /}). */
    public static final String URL_PATH_ANNOTATION = "devk8s.io/url-path";
}
