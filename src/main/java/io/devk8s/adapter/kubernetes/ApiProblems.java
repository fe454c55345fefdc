package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-line messages of API failures, independent of the client that met them: fabric8's (through
 * {@link ApiErrors}) and the lean reader's ({@link LeanReads}) give the same words for the same failure. Loads no
 * fabric8 class.
 */
final class ApiProblems {
    private static final Pattern NODE_PORT_RANGE = Pattern.compile(
            "Invalid value: (\\d+): provided port is not in the valid range\\. The range of valid ports is (\\d+)-(\\d+)");
    private static final Pattern TERMINATING_NAMESPACE = Pattern.compile(
            "in namespace ([^\\s]+) because it is being terminated");
    private static final Pattern MISSING_NAMESPACE = Pattern.compile("namespaces \"([^\"]+)\" not found");

    /** What the messages name: the pinned context, its Minikube profile and its server. */
    interface Target {
        String context();

        String profile();

        /** The API server URL; may throw when the kubeconfig cannot say. */
        String serverUrl();
    }

    private ApiProblems() {
    }

    /** The API server could not be reached ({@code unreachable}: the connect, TLS or timeout failure). */
    static Devk8sException unreachable(ObjectRef ref, Throwable unreachable, Throwable cause, Target target) {
        String server = safeServer(target);
        return new Devk8sException(ExitCode.PRECONDITION, prefix(ref) + "cannot reach the Kubernetes API of context '"
                + target.context() + "'" + (server == null ? "" : " at " + server) + ": " + describe(unreachable)
                + ": is the cluster running? check with `minikube status -p " + target.profile()
                + "`, start it with `minikube start -p " + target.profile() + "`", cause);
    }

    /**
     * The API server answered {@code code} with {@code message} (the Status message, one line); {@code causes}
     * are the Status details' causes as {@code field: message} text.
     */
    static Devk8sException answered(ObjectRef ref, int code, String message, String causes, Throwable cause,
            Target target) {
        String prefix = prefix(ref);
        if (code == 422 && ref != null) {
            Matcher m = NODE_PORT_RANGE.matcher(message + " " + causes);
            if (m.find()) {
                return new NodePortRangeException(ref, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), target.profile());
            }
            return Devk8sException.failure(prefix + "rejected by the API server: " + message
                    + ": fix the manifest or the template it comes from", cause);
        }
        if (code == 401) {
            return new Devk8sException(ExitCode.PRECONDITION, prefix + "the API server of context '"
                    + target.context() + "' rejected its credentials (HTTP 401): refresh them with `minikube update-context -p "
                    + target.profile() + "`", cause);
        }
        if (code == 403) {
            Matcher terminating = TERMINATING_NAMESPACE.matcher(message);
            if (terminating.find()) {
                Devk8sException e2 = beingDeleted(ObjectRef.clusterScoped("Namespace", terminating.group(1)),
                        target.context());
                return new Devk8sException(e2.exitCode(), prefix + e2.getMessage(), cause);
            }
            return Devk8sException.failure(prefix + "forbidden: " + message + ": use a context with cluster-admin rights",
                    cause);
        }
        if (code == 404 && ref != null) {
            Matcher m = MISSING_NAMESPACE.matcher(message);
            if (m.find()) {
                return Devk8sException.failure(prefix + "namespace " + m.group(1)
                        + " does not exist: put its Namespace object first in the manifests", cause);
            }
        }
        if (code == 409) {
            return Devk8sException.failure(prefix + "conflict: " + message + ": run the command again", cause);
        }
        return Devk8sException.failure(prefix + message + (code > 0 ? " (HTTP " + code + ")" : ""), cause);
    }

    /**
     * {@code Deployment devk8s/web is being deleted; wait for it to go (kubectl --context minikube get deployment
     * -n devk8s web -w), then run the command again}.
     */
    static Devk8sException beingDeleted(ObjectRef ref, String context) {
        return Devk8sException.precondition(ref + " is being deleted; wait for it to go (kubectl --context " + context
                + " get " + ref.kind().toLowerCase(Locale.ROOT)
                + (ref.namespace() == null ? "" : " -n " + ref.namespace()) + " " + ref.name()
                + " -w), then run the command again");
    }

    private static String prefix(ObjectRef ref) {
        return ref == null ? "" : ref + ": ";
    }

    private static String safeServer(Target target) {
        try {
            return target.serverUrl();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        if (t instanceof ConnectException && (message == null || message.isBlank())) {
            return "connection refused";
        }
        if (t instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
            return "timed out";
        }
        String text = message == null || message.isBlank() ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + " " + message;
        return oneLine(text);
    }

    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
