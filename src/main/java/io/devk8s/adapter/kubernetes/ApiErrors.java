package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Turns fabric8 failures into one-line {@link Devk8sException}s that name the object and the fix. */
final class ApiErrors {
    private static final Pattern NODE_PORT_RANGE = Pattern.compile(
            "Invalid value: (\\d+): provided port is not in the valid range\\. The range of valid ports is (\\d+)-(\\d+)");
    private static final Pattern TERMINATING_NAMESPACE = Pattern.compile(
            "in namespace ([^\\s]+) because it is being terminated");
    private static final Pattern MISSING_NAMESPACE = Pattern.compile("namespaces \"([^\"]+)\" not found");

    /** What fabric8 says when it wraps a failure it has no words for. */
    private static final String GENERIC = "An error has occurred.";

    private ApiErrors() {
    }

    static Devk8sException translate(ObjectRef ref, KubernetesClientException e, KubernetesCluster cluster) {
        return translate(ref, e, cluster.connection());
    }

    static Devk8sException translate(ObjectRef ref, KubernetesClientException e, KubeConnection cluster) {
        String prefix = ref == null ? "" : ref + ": ";
        Throwable unreachable = unreachableCause(e);
        if (unreachable != null) {
            String server = safeServer(cluster);
            return new Devk8sException(io.devk8s.ExitCode.PRECONDITION, prefix + "cannot reach the Kubernetes API of context '"
                    + cluster.context() + "'" + (server == null ? "" : " at " + server) + ": " + describe(unreachable)
                    + ": is the cluster running? check with `minikube status -p " + cluster.profile()
                    + "`, start it with `minikube start -p " + cluster.profile() + "`", e);
        }
        String message = statusMessage(e);
        int code = e.getCode();
        if (code == 422 && ref != null) {
            Matcher m = NODE_PORT_RANGE.matcher(message + " " + causes(e.getStatus()));
            if (m.find()) {
                return new NodePortRangeException(ref, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), cluster.profile());
            }
            return Devk8sException.failure(prefix + "rejected by the API server: " + message
                    + ": fix the manifest or the template it comes from", e);
        }
        if (code == 401) {
            return new Devk8sException(io.devk8s.ExitCode.PRECONDITION, prefix + "the API server of context '"
                    + cluster.context() + "' rejected its credentials (HTTP 401): refresh them with `minikube update-context -p "
                    + cluster.profile() + "`", e);
        }
        if (code == 403) {
            Matcher terminating = TERMINATING_NAMESPACE.matcher(message);
            if (terminating.find()) {
                Devk8sException e2 = cluster.beingDeleted(ObjectRef.clusterScoped("Namespace", terminating.group(1)));
                return new Devk8sException(e2.exitCode(), prefix + e2.getMessage(), e);
            }
            return Devk8sException.failure(prefix + "forbidden: " + message + ": use a context with cluster-admin rights", e);
        }
        if (code == 404 && ref != null) {
            Matcher m = MISSING_NAMESPACE.matcher(message);
            if (m.find()) {
                return Devk8sException.failure(prefix + "namespace " + m.group(1)
                        + " does not exist: put its Namespace object first in the manifests", e);
            }
        }
        if (code == 409) {
            return Devk8sException.failure(prefix + "conflict: " + message + ": run the command again", e);
        }
        return Devk8sException.failure(prefix + message + (code > 0 ? " (HTTP " + code + ")" : ""), e);
    }

    private static String safeServer(KubeConnection cluster) {
        try {
            return cluster.serverUrl();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Throwable unreachableCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof HttpTimeoutException
                    || t instanceof SSLException || t instanceof java.nio.channels.ClosedChannelException) {
                return t;
            }
        }
        if (e instanceof KubernetesClientException k && k.getCode() <= 0 && k.getCause() instanceof IOException io) {
            return io;
        }
        return null;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        if (t instanceof ConnectException && (message == null || message.isBlank())) {
            return "connection refused";
        }
        if (t instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        if (t instanceof HttpTimeoutException) {
            return "timed out";
        }
        String text = message == null || message.isBlank() ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + " " + message;
        return oneLine(text);
    }

    static String statusMessage(KubernetesClientException e) {
        Status status = e.getStatus();
        if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
            return oneLine(status.getMessage());
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int at = message.indexOf("Message: ");
        if (at >= 0) {
            message = message.substring(at + "Message: ".length());
            int received = message.indexOf(". Received status:");
            if (received >= 0) {
                message = message.substring(0, received);
            }
        }
        if (message.isBlank() || message.strip().equals(GENERIC)) {
            String cause = causeMessage(e.getCause());
            if (cause != null) {
                return oneLine(cause);
            }
        }
        return oneLine(message);
    }

    /** The innermost cause that says something, for fabric8's wrapper that only says "An error has occurred.". */
    private static String causeMessage(Throwable cause) {
        String found = null;
        for (Throwable t = cause; t != null && t != t.getCause(); t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && !m.strip().equals(GENERIC)) {
                found = m;
            }
        }
        return found;
    }

    private static String causes(Status status) {
        if (status == null || status.getDetails() == null || status.getDetails().getCauses() == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (StatusCause cause : status.getDetails().getCauses()) {
            s.append(cause.getField()).append(": ").append(cause.getMessage()).append(' ');
        }
        return s.toString();
    }

    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
