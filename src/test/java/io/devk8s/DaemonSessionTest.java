package io.devk8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The background process's side of one command: what it asks the command (the terminal's width, a process to run in
 * its terminal) and what happens when the command goes away. Pipes stand in for the socket; {@code DaemonIT} runs
 * the real thing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DaemonSessionTest {
    private DataInputStream fromDaemon;
    private DataOutputStream toDaemon;
    private DataInputStream daemonIn;
    private DataOutputStream daemonOut;

    /** Holds the threads that play the command: a pipe whose writer thread ended reads as broken. */
    private final CountDownLatch done = new CountDownLatch(1);

    @org.junit.jupiter.api.AfterEach
    void release() {
        done.countDown();
    }

    /** Plays the command on a thread that lives until the test ends. */
    private <T> CompletableFuture<T> command(java.util.concurrent.Callable<T> script) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(script.call());
                done.await();
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return result;
    }

    @BeforeEach
    void pipes() throws IOException {
        PipedOutputStream callerWrites = new PipedOutputStream();
        daemonIn = new DataInputStream(new PipedInputStream(callerWrites, 1 << 16));
        toDaemon = new DataOutputStream(callerWrites);
        PipedOutputStream daemonWrites = new PipedOutputStream();
        fromDaemon = new DataInputStream(new PipedInputStream(daemonWrites, 1 << 16));
        daemonOut = new DataOutputStream(daemonWrites);
    }

    /**
     * @param command the thread a caller that goes away interrupts (a thread never started, where that is not the
     *     point: the session's reader outlives the test, and must not interrupt the next one's)
     */
    private Daemon.Session session(boolean terminal, Thread command) {
        DaemonProtocol.Request request = new DaemonProtocol.Request(DaemonProtocol.VERSION, "id", "/", List.of("up"),
                Map.of(), terminal, "UTF-8");
        Daemon.Session session = new Daemon.Session(request, daemonIn, daemonOut, command);
        session.listen();
        return session;
    }

    @Test
    void a_process_for_the_terminal_is_sent_to_the_command_which_answers_with_its_exit_code() throws Exception {
        Daemon.Session session = session(true, new Thread());
        CompletableFuture<List<String>> asked = command(() -> {
            {
                DaemonProtocol.Frame frame = DaemonProtocol.read(fromDaemon);
                assertEquals(DaemonProtocol.TERMINAL, frame.type());
                DaemonProtocol.Reader r = frame.reader();
                List<String> command = r.strings();
                assertEquals(1, r.integer());
                assertEquals(List.of("PATH", "/bin"), List.of(r.string(), r.string()));
                assertEquals("/work", r.string());
                DaemonProtocol.write(toDaemon, DaemonProtocol.TERMINAL_ANSWER,
                        new DaemonProtocol.Writer().integer(3).string("").bytes());
                return command;
            }
        });
        int code = session.runInTerminal(List.of("sudo", "tee", "/etc/hosts"), Map.of("PATH", "/bin"), Path.of("/work"));
        assertEquals(3, code);
        assertEquals(List.of("sudo", "tee", "/etc/hosts"), asked.get(5, TimeUnit.SECONDS));
        assertTrue(session.terminal());
    }

    @Test
    void a_process_the_command_cannot_start_fails_with_its_reason() throws Exception {
        Daemon.Session session = session(false, new Thread());
        command(() -> {
            DaemonProtocol.read(fromDaemon);
            DaemonProtocol.write(toDaemon, DaemonProtocol.TERMINAL_ANSWER,
                    new DaemonProtocol.Writer().integer(-1).string("No such file or directory").bytes());
            return null;
        });
        IOException e = assertThrows(IOException.class,
                () -> session.runInTerminal(List.of("sudo"), Map.of(), Path.of("/")));
        assertEquals("No such file or directory", e.getMessage());
        assertFalse(session.terminal());
    }

    @Test
    void the_width_is_asked_once() throws Exception {
        Daemon.Session session = session(true, new Thread());
        command(() -> {
            assertEquals(DaemonProtocol.COLUMNS, DaemonProtocol.read(fromDaemon).type());
            DaemonProtocol.write(toDaemon, DaemonProtocol.COLUMNS_ANSWER,
                    new DaemonProtocol.Writer().integer(132).bytes());
            return null;
        });
        assertEquals(132, session.columns());
        assertEquals(132, session.columns()); // no second question: nobody would answer it
    }

    @Test
    void a_command_that_goes_away_interrupts_the_work_done_for_it() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread work = new Thread(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
                interrupted.complete(false);
            } catch (InterruptedException e) {
                interrupted.complete(true);
            }
        });
        work.start();
        session(true, work);
        started.await();
        toDaemon.close(); // the command ended (Ctrl-C): its end of the socket closes
        assertTrue(interrupted.get(5, TimeUnit.SECONDS));
    }
}
