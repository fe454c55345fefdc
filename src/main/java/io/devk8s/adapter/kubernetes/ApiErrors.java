package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** Turns fabric8 failures into one-line {@link Devk8sException}s that name the object and the fix. */
final class ApiErrors {

    /** What fabric8 says when it wraps a failure it has no words for. */
    private static final String GENERIC = "An error has occurred.";

    private ApiErrors() {
    }

    static Devk8sException translate(ObjectRef ref, KubernetesClientException e, KubernetesCluster cluster) {
        return translate(ref, e, cluster.connection());
    }

    static Devk8sException translate(ObjectRef ref, KubernetesClientException e, KubeConnection cluster) {
        Throwable unreachable = unreachableCause(e);
        if (unreachable != null) {
            return ApiProblems.unreachable(ref, unreachable, e, cluster);
        }
        return ApiProblems.answered(ref, e.getCode(), statusMessage(e), causes(e.getStatus()), e, cluster);
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
        return ApiProblems.oneLine(text);
    }
}
