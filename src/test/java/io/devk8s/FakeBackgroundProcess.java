package io.devk8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The test playing the background process: a server on the socket a command for this jar and JDK uses, which
 * checks the identity the client sent (the one the JVM computes), hands back the request and plays a script.
 */
final class FakeBackgroundProcess {

    /** What the fake process answers, after the request. */
    @FunctionalInterface
    interface Script {
        void play(DataInputStream in, DataOutputStream out) throws IOException;
    }

    private FakeBackgroundProcess() {
    }

    /** Listens for one command; the future holds its request (or what went wrong). */
    static CompletableFuture<DaemonProtocol.Request> start(Map<String, String> env, Path jar, Script script)
            throws IOException {
        DaemonPaths paths = DaemonPaths.of(env, jar.toString(), System.getProperty("java.home"));
        assertTrue(paths.privateDir());
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(paths.socket()));
        CompletableFuture<DaemonProtocol.Request> seen = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (server; SocketChannel channel = server.accept()) {
                DataInputStream in = DaemonProtocol.input(channel);
                DataOutputStream out = DaemonProtocol.output(channel);
                DaemonProtocol.Request request = DaemonProtocol.Request.decode(DaemonProtocol.read(in).payload());
                assertEquals(paths.identity(), request.identity(), "the identity the client computed");
                seen.complete(request);
                script.play(in, out);
            } catch (Throwable e) {
                seen.completeExceptionally(e);
            } finally {
                try {
                    Files.deleteIfExists(paths.socket());
                } catch (IOException ignored) {
                    // the temporary folder goes anyway
                }
            }
        }, "fake-background-process");
        thread.setDaemon(true);
        thread.start();
        return seen;
    }

    /**
     * Asks the client to run a process in its terminal, as sudo is run: a shell in {@code work} that writes its
     * parent's pid, a variable of the environment sent and its folder to {@code marker}, and exits with 5. Returns the
     * exit code the client answered.
     */
    static int runInTerminal(DataInputStream in, DataOutputStream out, Path marker, Path work) throws IOException {
        DaemonProtocol.Writer sudo = new DaemonProtocol.Writer()
                .strings(java.util.List.of("/bin/sh", "-c", "echo $PPID $MARK $(pwd) > " + marker + "; exit 5"))
                .integer(2).string("MARK").string("from-the-background").string("PATH").string("/usr/bin:/bin")
                .string(work.toString());
        DaemonProtocol.write(out, DaemonProtocol.TERMINAL, sudo.bytes());
        DaemonProtocol.Frame answer = DaemonProtocol.read(in);
        assertEquals(DaemonProtocol.TERMINAL_ANSWER, answer.type());
        DaemonProtocol.Reader r = answer.reader();
        int code = r.integer();
        assertEquals("", r.string());
        return code;
    }

    /** A process that accepts the command, prints "half" and dies (its socket closes). */
    static final Script DIES_MIDWAY = (in, out) -> {
        DaemonProtocol.write(out, DaemonProtocol.ACCEPTED, new byte[0]);
        DaemonProtocol.write(out, DaemonProtocol.STDOUT, "half".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    };

    /** What a client must make of {@link #DIES_MIDWAY}: the output so far, exit 1 and one line that says what to do. */
    static void assertReportedLost(io.devk8s.support.Processes.Result r) {
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("half", r.out());
        assertTrue(r.err().startsWith("error: the devk8s background process stopped while running this command"),
                r.describe());
        assertEquals(1, r.err().lines().count(), "one line");
        assertTrue(r.err().contains("DEVK8S_DAEMON=0"), r.describe());
    }
}
