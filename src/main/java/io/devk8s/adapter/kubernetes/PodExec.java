package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecListener;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.TtyExecErrorChannelable;
import io.fabric8.kubernetes.client.dsl.TtyExecOutputErrorable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Runs a command in a pod's container over the exec WebSocket, like {@code kubectl exec}: stdin is copied to the
 * remote process, stdout and stderr are written to the given streams as they arrive (always consumed, so the exit
 * status, which comes last, always arrives), and the result is the remote exit code.
 */
public final class PodExec {
    /** A running session: its terminal can be resized. */
    public interface Session {
        void resize(int columns, int rows);
    }

    /** How a session ended: the remote exit code, or empty when the connection closed without one. */
    public record Outcome(Optional<Integer> exitCode, String closeReason) {
    }

    private final KubeConnection connection;

    public PodExec(KubernetesCluster cluster) {
        this.connection = cluster.connection();
    }

    /**
     * Runs {@code command} in {@code pod}, copying {@code stdin} (null: none) to it until its end or the end of the
     * session. With {@code tty}, the remote side gets a terminal (stderr then arrives on stdout).
     * {@code started} gets the session once it is open (e.g. to send the window size).
     */
    public Outcome run(String namespace, String pod, List<String> command, boolean tty, InputStream stdin,
            OutputStream stdout, OutputStream stderr, Consumer<Session> started) throws InterruptedException {
        CompletableFuture<String> closed = new CompletableFuture<>();
        ExecListener listener = new ExecListener() {
            @Override
            public void onFailure(Throwable t, Response failureResponse) {
                closed.complete(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            }

            @Override
            public void onClose(int code, String reason) {
                closed.complete(reason == null || reason.isBlank() ? "closed with code " + code : reason);
            }
        };
        var target = connection.client().pods().inNamespace(namespace).withName(pod);
        ExecWatch watch;
        try {
            TtyExecOutputErrorable input = stdin == null ? target : target.redirectingInput();
            TtyExecErrorChannelable streams = input.writingOutput(stdout).writingError(stderr);
            String[] argv = command.toArray(String[]::new);
            watch = tty ? streams.withTTY().usingListener(listener).exec(argv)
                    : streams.usingListener(listener).exec(argv);
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.namespaced("Pod", namespace, pod), e, connection);
        }
        Thread pump = null;
        try {
            started.accept(watch::resize);
            if (stdin != null) {
                OutputStream remote = watch.getInput();
                pump = new Thread(() -> copy(stdin, remote), "devk8s-exec-stdin");
                pump.setDaemon(true);
                pump.start();
            }
            Integer code;
            try {
                code = watch.exitCode().get();
            } catch (ExecutionException e) {
                code = null;
                closed.complete(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            }
            if (code != null && code >= 0) {
                return new Outcome(Optional.of(code), null);
            }
            return new Outcome(Optional.empty(), closed.getNow("the connection closed without an exit status"));
        } finally {
            if (pump != null) {
                pump.interrupt();
            }
            watch.close();
            flush(stdout);
            flush(stderr);
        }
    }

    private static void copy(InputStream in, OutputStream remote) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0) {
                    remote.write(buffer, 0, n);
                    remote.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the session ended (fabric8 reports a closed socket unchecked); nothing left to send to
        }
    }

    private static void flush(OutputStream out) {
        try {
            out.flush();
        } catch (IOException e) {
            throw new Devk8sException(1, "cannot write the command's output: " + e.getMessage(), e);
        }
    }
}
