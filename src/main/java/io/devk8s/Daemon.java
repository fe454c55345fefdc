package io.devk8s;

import io.devk8s.adapter.docker.DockerEngine;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.cli.Devk8sCommand;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The background process: runs the commands {@link DaemonClient} sends it, each on its own thread, with that
 * command's arguments, working directory, environment and terminal, and sends back its output and exit code. It
 * listens on a Unix socket in a folder only its user can enter, and leaves when it has been idle for
 * {@code DEVK8S_DAEMON_IDLE} seconds (default three hours), when its jar is replaced, or on {@code devk8s daemon
 * stop}. The terminal's signals do not reach it (it runs in a session of its own, and ignores SIGINT and SIGHUP):
 * a command stopped with Ctrl-C closes its socket, and the work done for it is interrupted.
 */
public final class Daemon {
    private static final Duration DEFAULT_IDLE = Duration.ofHours(3);

    private final DaemonPaths paths;
    private final ServerSocketChannel server;
    private final Duration idle;
    private final Instant started = Instant.now();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean stopping;

    private Daemon(DaemonPaths paths, ServerSocketChannel server, Duration idle) {
        this.paths = paths;
        this.server = server;
        this.idle = idle;
    }

    /** {@code Daemon SOCKET}: started by {@link DaemonClient}, with the socket its paths name. */
    public static void main(String[] args) throws IOException {
        DaemonPaths paths = DaemonPaths.of(System.getenv());
        if (args.length != 1 || paths == null || !paths.socket().toString().equals(args[0]) || !paths.privateDir()) {
            System.err.println("devk8s daemon: started with " + List.of(args) + ", expected the socket "
                    + (paths == null ? "(none: not run from a jar)" : paths.socket()));
            System.exit(ExitCode.USAGE);
        }
        ignore("INT");
        ignore("HUP");
        Devk8s.configureLogging(new String[0]);
        ServerSocketChannel server = bind(paths.socket());
        if (server == null) {
            return; // another one listens there: it serves
        }
        KubernetesCluster.keepDiscoveryBetweenCommands();
        DockerEngine.keepClientsBetweenCommands();
        new Daemon(paths, server, idle(System.getenv("DEVK8S_DAEMON_IDLE"))).serve();
    }

    private static Duration idle(String seconds) {
        try {
            return seconds == null || seconds.isBlank() ? DEFAULT_IDLE
                    : Duration.ofSeconds(Math.max(1, Long.parseLong(seconds.trim())));
        } catch (NumberFormatException e) {
            return DEFAULT_IDLE;
        }
    }

    private static void ignore(String signal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // not on this platform: setsid alone keeps the terminal's signals away
        }
    }

    /** Binds the socket; a file left by a process that is gone is replaced; null when another process listens. */
    static ServerSocketChannel bind(Path socket) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(socket));
                return server;
            } catch (java.net.BindException | java.nio.file.FileAlreadyExistsException e) {
                server.close();
                try (SocketChannel other = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    other.connect(UnixDomainSocketAddress.of(socket));
                    return null;
                } catch (IOException gone) {
                    Files.deleteIfExists(socket);
                }
            }
        }
        return null;
    }

    private void serve() {
        Thread watchdog = new Thread(this::watch, "devk8s-daemon-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        QuietMachine quiet = QuietMachine.ofThisMachine(); // its rounds leave the CPUs to busy neighbours
        Thread warmUp = new Thread(new DaemonWarmUp(DaemonWarmUp.rounds(System.getenv("DEVK8S_DAEMON_WARMUP")),
                paths.socket().getParent(), () -> served.get() > 0 && active.get() == 0 && quiet.quiet(),
                () -> stopping),
                "devk8s-daemon-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
        System.err.println(Instant.now() + " devk8s daemon " + ProcessHandle.current().pid() + " listening on "
                + paths.socket());
        while (!stopping) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                break; // closed: stopping
            }
            Thread handler = new Thread(() -> handle(channel), "devk8s-daemon-request-" + served.get());
            handler.setDaemon(true);
            handler.start();
        }
        stop("stopped");
    }

    /** Leaves when idle long enough, when the jar changed or went, or when the socket is no longer this one's. */
    private void watch() {
        long period = Math.max(1, Math.min(60, idle.toSeconds() / 4));
        while (!stopping) {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(period));
            } catch (InterruptedException e) {
                return;
            }
            DaemonPaths now = DaemonPaths.of(System.getenv());
            synchronized (this) { // no command is admitted while this looks
                if (active.get() > 0) {
                    continue;
                }
                if (now == null || !now.identity().equals(paths.identity())) {
                    stop("its jar or JDK changed");
                } else if (!Files.exists(paths.socket())) {
                    stop("its socket was removed");
                } else if (System.nanoTime() - lastActivity > idle.toNanos()) {
                    stop("idle for " + idle.toSeconds() + "s");
                }
            }
        }
    }

    /** Takes a command: false once leaving (the command then runs in its own process). */
    private synchronized boolean admit() {
        if (stopping) {
            return false;
        }
        active.incrementAndGet();
        served.incrementAndGet();
        lastActivity = System.nanoTime();
        return true;
    }

    /** A command is done; the last one of a process that is leaving turns the light off. */
    private synchronized void finished() {
        lastActivity = System.nanoTime();
        if (active.decrementAndGet() == 0 && stopping) {
            System.exit(ExitCode.OK);
        }
    }

    /** Leaves now (asked to, or idle), even when commands run. */
    private synchronized void stop(String why) {
        retire(why);
        System.exit(ExitCode.OK);
    }

    /**
     * Takes no more commands: the socket goes (first the file, so that a new process may bind the path, then the
     * listener); the process leaves when the commands it runs are done.
     */
    private synchronized void retire(String why) {
        if (stopping) {
            return;
        }
        stopping = true;
        System.err.println(Instant.now() + " devk8s daemon leaving: " + why);
        try {
            Files.deleteIfExists(paths.socket());
        } catch (IOException e) {
            // a socket file left behind is replaced by the next process
        }
        try {
            server.close();
        } catch (IOException e) {
            // leaving anyway
        }
    }

    private void handle(SocketChannel channel) {
        try (channel) {
            if (!DaemonPaths.sameUser(channel)) {
                return; // the folder is this user's alone; a peer of another user gets nothing
            }
            DataInputStream in = DaemonProtocol.input(channel);
            DataOutputStream out = DaemonProtocol.output(channel);
            DaemonProtocol.Frame frame = DaemonProtocol.read(in);
            if (frame == null) {
                return;
            }
            switch (frame.type()) {
                case DaemonProtocol.STATUS -> DaemonProtocol.write(out, DaemonProtocol.INFO, info());
                case DaemonProtocol.STOP -> {
                    DaemonProtocol.write(out, DaemonProtocol.INFO, info());
                    channel.close();
                    stop("asked to stop");
                }
                case DaemonProtocol.REQUEST -> {
                    DaemonProtocol.Request request = DaemonProtocol.Request.decode(frame.payload());
                    // another identity under the same name (the name is a hash of it), or leaving: the command
                    // runs in its own process
                    if (request.version() != DaemonProtocol.VERSION || !request.identity().equals(paths.identity())
                            || !admit()) {
                        DaemonProtocol.write(out, DaemonProtocol.REFUSED, new byte[0]);
                        return;
                    }
                    try {
                        DaemonProtocol.write(out, DaemonProtocol.ACCEPTED, new byte[0]);
                        run(request, in, out);
                    } finally {
                        finished();
                    }
                }
                default -> {
                    // not a frame this version knows: nothing to answer
                }
            }
        } catch (IOException e) {
            // the command went away: nothing to tell it
        }
    }

    /** pid, start time, commands served and running, and peak memory: what {@code devk8s daemon status} shows. */
    private byte[] info() {
        String rss = "";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:") || line.startsWith("VmRSS:")) {
                    rss += line.replaceAll("\\s+", " ") + "\n";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no memory figures
        }
        return new DaemonProtocol.Writer().string(String.valueOf(ProcessHandle.current().pid()))
                .string(started.toString()).integer(served.get()).integer(active.get())
                .string(paths.jar().toString()).string(System.getProperty("java.home", "")).string(rss).bytes();
    }

    private void run(DaemonProtocol.Request request, DataInputStream in, DataOutputStream out) throws IOException {
        Session session = new Session(request, in, out, Thread.currentThread());
        int code;
        Charset charset = charset(request.charset());
        PrintWriter stdout = new PrintWriter(new OutputStreamWriter(
                new DaemonProtocol.FrameStream(out, DaemonProtocol.STDOUT), charset), true);
        PrintWriter stderr = new PrintWriter(new OutputStreamWriter(
                new DaemonProtocol.FrameStream(out, DaemonProtocol.STDERR), charset), true);
        try {
            session.listen();
            KubernetesCluster.forgetEarlierCommands();
            Environment environment = new Environment(request.env(), Path.of(request.workDir()));
            Devk8sCommand root = new Devk8sCommand(environment,
                    (env, console) -> new Services(env, console, session::runInTerminal), session);
            code = Devk8s.execute(root, request.args().toArray(new String[0]), stdout, stderr, false);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            stderr.println("error: " + e + " (in the devk8s background process; set DEVK8S_DAEMON=0 to run without"
                    + " it, and please report this)");
            code = ExitCode.FAILURE;
        } catch (VirtualMachineError e) {
            // out of memory: this process takes no further command (the next starts a fresh one) and leaves when
            // the commands it runs are done
            retire("out of memory");
            stderr.println("error: the devk8s background process ran out of memory (" + e.getMessage() + "); run"
                    + " the command again, or with DEVK8S_DAEMON=0 to run it in a process of its own");
            code = ExitCode.FAILURE;
        }
        stdout.flush();
        stderr.flush();
        Thread.interrupted(); // a cancelled command's interrupt must not break the last write
        DaemonProtocol.write(out, DaemonProtocol.EXIT, new DaemonProtocol.Writer().integer(code).bytes());
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** One command's link to its caller: the caller's terminal, and its answers to what is asked of it. */
    static final class Session implements Devk8sCommand.Caller {
        private final DaemonProtocol.Request request;
        private final DataInputStream in;
        private final DataOutputStream out;
        private final Thread command;
        private final BlockingQueue<DaemonProtocol.Frame> answers = new LinkedBlockingQueue<>();
        private volatile boolean gone;
        private Integer columns;

        Session(DaemonProtocol.Request request, DataInputStream in, DataOutputStream out, Thread command) {
            this.request = request;
            this.in = in;
            this.out = out;
            this.command = command;
        }

        /** Reads the caller's answers; when the caller goes (Ctrl-C), interrupts the command. */
        void listen() {
            Thread reader = new Thread(() -> {
                try {
                    DaemonProtocol.Frame frame;
                    while ((frame = DaemonProtocol.read(in)) != null) {
                        answers.add(frame);
                    }
                } catch (IOException e) {
                    // the same as the end of the stream
                }
                gone = true;
                command.interrupt();
                io.devk8s.service.Background.interruptStartedBy(command); // and the work it started alongside
            }, command.getName() + "-caller");
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public boolean terminal() {
            return request.terminal();
        }

        @Override
        public synchronized int columns() {
            if (columns == null) {
                columns = 80;
                try {
                    DaemonProtocol.write(out, DaemonProtocol.COLUMNS, new byte[0]);
                    DaemonProtocol.Frame answer = answer(DaemonProtocol.COLUMNS_ANSWER, 5);
                    if (answer != null) {
                        columns = answer.reader().integer();
                    }
                } catch (IOException e) {
                    // 80, as picocli says when it cannot tell
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return columns;
        }

        /** Runs {@code command} in the caller's terminal (sudo asks for a password there). */
        synchronized int runInTerminal(List<String> command, Map<String, String> env, Path dir)
                throws IOException, InterruptedException {
            DaemonProtocol.Writer w = new DaemonProtocol.Writer().strings(command).integer(env.size());
            for (Map.Entry<String, String> e : env.entrySet()) {
                w.string(e.getKey()).string(e.getValue());
            }
            DaemonProtocol.write(out, DaemonProtocol.TERMINAL, w.string(dir.toString()).bytes());
            DaemonProtocol.Frame answer = answer(DaemonProtocol.TERMINAL_ANSWER, 0);
            if (answer == null) {
                throw new InterruptedException("the command went away");
            }
            DaemonProtocol.Reader r = answer.reader();
            int code = r.integer();
            String error = r.string();
            if (!error.isEmpty()) {
                throw new IOException(error);
            }
            return code;
        }

        /** The caller's next answer of {@code type}; waits up to {@code seconds} (0: until it comes or goes). */
        private DaemonProtocol.Frame answer(byte type, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!gone || !answers.isEmpty()) {
                DaemonProtocol.Frame frame = answers.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null && frame.type() == type) {
                    return frame;
                }
                if (seconds > 0 && System.nanoTime() > deadline) {
                    return null;
                }
            }
            return null;
        }
    }
}
