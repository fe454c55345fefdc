package io.devk8s;

import io.devk8s.console.ColorChoice;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code devk8s} side of the background process: runs a command there instead of in this JVM, so that a
 * deploy, up or status answers with warm code (compiled, classes loaded) instead of a JVM that starts cold for
 * every command. The installed launcher turns it on ({@code -Ddevk8s.daemon=auto}); {@code DEVK8S_DAEMON=0}
 * turns it off. Commands that read the terminal or run until stopped ({@code shell}, {@code logs}, {@code dev}),
 * help, {@code --verbose} (its logging is the process's) and everything else run here, as without it.
 *
 * <p>The first command starts the process (in its own session, so the terminal's Ctrl-C and hang-up do not reach
 * it) and waits for it to listen; when it cannot be started, the command runs here. Once the process has taken a
 * command, that command's outcome is the process's: the output and exit code come back as they are, and a
 * process that dies meanwhile is reported, not run again.
 */
public final class DaemonClient {
    /** {@link #run}'s answer when the command was not run by the background process: run it here. */
    public static final int NOT_SERVED = -1;

    /** Commands the background process runs: none reads the terminal; each ends on its own. */
    static final List<String> COMMANDS = List.of("deploy", "up", "down", "teardown", "status", "render");

    private static final int START_WAIT_MS = 15_000;

    private final DaemonPaths paths;
    private final String[] args;
    private final Map<String, String> env;
    private OutputStream stdout;
    private OutputStream stderr;

    private DaemonClient(DaemonPaths paths, String[] args, Map<String, String> env) {
        this.paths = paths;
        this.args = args;
        this.env = env;
    }

    /**
     * Runs {@code args} in the background process when it is on and the command is one it runs; returns the exit
     * code, or {@link #NOT_SERVED} when the command is to run in this process.
     */
    public static int run(String[] args) {
        if (!"auto".equals(System.getProperty("devk8s.daemon"))) {
            return NOT_SERVED;
        }
        Map<String, String> env = System.getenv();
        if (!enabled(env.get("DEVK8S_DAEMON")) || !served(args)) {
            return NOT_SERVED;
        }
        DaemonPaths paths = DaemonPaths.of(env);
        if (paths == null || !paths.privateDir()) {
            return NOT_SERVED;
        }
        return new DaemonClient(paths, args, env).serve();
    }

    /** Whether {@code DEVK8S_DAEMON} leaves the background process on (unset, empty or anything but off). */
    static boolean enabled(String value) {
        if (value == null) {
            return true;
        }
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        return !(v.equals("0") || v.equals("false") || v.equals("no") || v.equals("off"));
    }

    /**
     * Whether the background process runs this command line: its command (the first word that is not a flag; the
     * root's flags take no value) is one of {@link #COMMANDS}, and it asks for no help, version or
     * {@code --verbose}, and reads no {@code @file} (which picocli expands here).
     */
    static boolean served(String[] args) {
        String command = null;
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.startsWith("@") || arg.equals("--help") || arg.equals("--version") || arg.equals("--verbose")) {
                return false;
            }
            if (arg.length() > 1 && arg.charAt(0) == '-' && arg.charAt(1) != '-' && shortFlags(arg)) {
                return false;
            }
            if (command == null && !arg.startsWith("-")) {
                command = arg;
            }
        }
        return command != null && COMMANDS.contains(command);
    }

    /** A cluster of short flags holding -h, -V or -v (help, version, verbose). */
    private static boolean shortFlags(String arg) {
        for (int i = 1; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == 'h' || c == 'V' || c == 'v') {
                return true;
            }
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return false;
    }

    /** What the background process says of itself ({@code devk8s daemon status}). */
    public record Info(long pid, String started, int served, int running, String jar, String javaHome,
            List<String> memory, Path socket, Path log) {
    }

    /**
     * The background process serving this installation, asked for its state, or empty when none runs.
     *
     * @param stop whether to ask it to leave as well
     * @throws IllegalStateException when this devk8s does not run from a jar (no process can serve it)
     */
    public static java.util.Optional<Info> control(Environment environment, boolean stop) {
        DaemonPaths paths = DaemonPaths.of(environment.variables());
        if (paths == null) {
            throw new IllegalStateException("this devk8s runs from class folders, not from a jar: no background"
                    + " process serves it");
        }
        if (!paths.privateDir()) {
            return java.util.Optional.empty(); // a folder others can enter holds no process of this user's
        }
        SocketChannel channel = connect(paths.socket());
        if (channel == null) {
            return java.util.Optional.empty();
        }
        try (channel) {
            DataOutputStream out = DaemonProtocol.output(channel);
            DataInputStream in = DaemonProtocol.input(channel);
            DaemonProtocol.write(out, stop ? DaemonProtocol.STOP : DaemonProtocol.STATUS, new byte[0]);
            DaemonProtocol.Frame frame = DaemonProtocol.read(in);
            if (frame == null || frame.type() != DaemonProtocol.INFO) {
                return java.util.Optional.empty();
            }
            DaemonProtocol.Reader r = frame.reader();
            Info info = new Info(Long.parseLong(r.string()), r.string(), r.integer(), r.integer(), r.string(),
                    r.string(), List.of(r.string().lines().toArray(String[]::new)), paths.socket(), paths.log());
            if (stop) {
                // it closes its socket as it leaves: wait for that, so that the next command starts a new one
                for (int i = 0; i < 250 && connectable(paths.socket()); i++) {
                    pause(20);
                }
            }
            return java.util.Optional.of(info);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static boolean connectable(Path socket) {
        SocketChannel channel = connect(socket);
        if (channel == null) {
            return false;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed anyway
        }
        return true;
    }

    private int serve() {
        SocketChannel channel = connect(paths.socket());
        if (channel == null) {
            channel = start();
            if (channel == null) {
                return NOT_SERVED;
            }
        }
        int code = send(channel);
        // refused: not this user's, or (a name shared by two identities) another build's: run here
        return code == REFUSED ? NOT_SERVED : code;
    }

    private static final int REFUSED = -2;

    /** Sends the request and relays the answers; the exit code, {@link #REFUSED} or {@link #NOT_SERVED}. */
    private int send(SocketChannel channel) {
        boolean accepted = false;
        try (channel) {
            DataOutputStream out = DaemonProtocol.output(channel);
            DataInputStream in = DaemonProtocol.input(channel);
            Charset charset = System.console() != null ? System.console().charset() : Charset.defaultCharset();
            DaemonProtocol.Request request = new DaemonProtocol.Request(DaemonProtocol.VERSION, paths.identity(),
                    Path.of("").toAbsolutePath().toString(), List.of(args), env, ColorChoice.isTerminal(),
                    charset.name());
            DaemonProtocol.write(out, DaemonProtocol.REQUEST, request.encode());
            DaemonProtocol.Frame first = DaemonProtocol.read(in);
            if (first == null || first.type() == DaemonProtocol.REFUSED) {
                return REFUSED;
            }
            accepted = true;
            return relay(in, out);
        } catch (IOException e) {
            if (!accepted) {
                return NOT_SERVED;
            }
            return lost(e.getMessage());
        }
    }

    private int relay(DataInputStream in, DataOutputStream out) throws IOException {
        while (true) {
            DaemonProtocol.Frame frame = DaemonProtocol.read(in);
            if (frame == null) {
                return lost("the connection closed");
            }
            switch (frame.type()) {
                case DaemonProtocol.STDOUT -> print(stdout(), frame.payload());
                case DaemonProtocol.STDERR -> print(stderr(), frame.payload());
                case DaemonProtocol.COLUMNS -> DaemonProtocol.write(out, DaemonProtocol.COLUMNS_ANSWER,
                        new DaemonProtocol.Writer().integer(columns()).bytes());
                case DaemonProtocol.TERMINAL -> DaemonProtocol.write(out, DaemonProtocol.TERMINAL_ANSWER,
                        runInTerminal(frame.reader()));
                case DaemonProtocol.EXIT -> {
                    return frame.reader().integer();
                }
                default -> {
                    return lost("an unknown answer '" + (char) frame.type() + "'");
                }
            }
        }
    }

    /**
     * Writes output where it goes; a closed pipe ({@code devk8s status | head -1}) drops it and the command goes on,
     * as a PrintWriter does in a command that runs alone.
     */
    private static void print(OutputStream stream, byte[] bytes) {
        try {
            stream.write(bytes);
        } catch (IOException e) {
            // the reader went away: nothing to do with it
        }
    }

    private OutputStream stdout() {
        if (stdout == null) {
            stdout = new FileOutputStream(FileDescriptor.out);
        }
        return stdout;
    }

    private OutputStream stderr() {
        if (stderr == null) {
            stderr = new FileOutputStream(FileDescriptor.err);
        }
        return stderr;
    }

    private int lost(String why) {
        try {
            stderr().write(("error: the devk8s background process stopped while running this command (" + why
                    + "; its log: " + paths.log() + "); run the command again, or set DEVK8S_DAEMON=0 to run"
                    + " commands without it\n").getBytes(Charset.defaultCharset()));
        } catch (IOException ignored) {
            // nowhere left to say it
        }
        return ExitCode.FAILURE;
    }

    /** This terminal's width, as picocli measures it for help (80 when it cannot tell). */
    private static int columns() {
        return new picocli.CommandLine.Model.UsageMessageSpec().autoWidth(true).width();
    }

    /** Runs a process the background process needs a terminal for (sudo) here, with this terminal attached. */
    private static byte[] runInTerminal(DaemonProtocol.Reader r) throws IOException {
        List<String> command = r.strings();
        int n = r.integer();
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            env.put(r.string(), r.string());
        }
        String dir = r.string();
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO().directory(new File(dir));
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process process = pb.start();
            return new DaemonProtocol.Writer().integer(process.waitFor()).string("").bytes();
        } catch (IOException e) {
            return new DaemonProtocol.Writer().integer(-1).string(String.valueOf(e.getMessage())).bytes();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** The JDK's own selector provider on Linux, named so that no service lookup opens the jar ({@link #open}). */
    private static final String LINUX_PROVIDER = "sun.nio.ch.EPollSelectorProvider";
    private static final String PROVIDER_PROPERTY = "java.nio.channels.spi.SelectorProvider";

    /**
     * A Unix socket channel. The first one asks for the selector provider, which looks for providers on the class
     * path: the jar's 26,000-entry directory is read for it (about 25 ms of a command passed on). On Linux the
     * JDK's own provider is named instead; where that fails, the lookup runs as usual.
     */
    static SocketChannel open() throws IOException {
        boolean named = false;
        if (System.getProperty(PROVIDER_PROPERTY) == null && "Linux".equals(System.getProperty("os.name"))) {
            System.setProperty(PROVIDER_PROPERTY, LINUX_PROVIDER);
            named = true;
        }
        try {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (java.util.ServiceConfigurationError e) {
            if (!named) {
                throw e;
            }
            System.clearProperty(PROVIDER_PROPERTY);
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        } finally {
            if (named) {
                System.clearProperty(PROVIDER_PROPERTY); // decided once: nothing else reads it later
            }
        }
    }

    private static SocketChannel connect(Path socket) {
        if (!Files.exists(socket)) {
            return null;
        }
        SocketChannel channel = null;
        try {
            channel = open();
            channel.connect(UnixDomainSocketAddress.of(socket));
            if (!DaemonPaths.sameUser(channel)) {
                channel.close(); // another user's process: never hand it a command, nor run what it asks
                return null;
            }
            return channel;
        } catch (IOException | UnsupportedOperationException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // not connected
                }
            }
            return null;
        }
    }

    /** Starts the background process and waits until it listens; null when it does not. */
    private SocketChannel start() {
        Process process;
        try {
            // appended to, not truncated: a second process started in a race writes there too before it leaves
            if (Files.isRegularFile(paths.log()) && Files.size(paths.log()) > 1 << 20) {
                Files.delete(paths.log());
            }
            process = new ProcessBuilder(command()).directory(new File("/"))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.log().toFile()))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        long deadline = System.currentTimeMillis() + START_WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            SocketChannel channel = connect(paths.socket());
            if (channel != null) {
                return channel;
            }
            if (!process.isAlive()) {
                // it found another one listening (and left), or it failed: one more look, then run here
                return connect(paths.socket());
            }
            pause(10);
        }
        return null;
    }

    /**
     * The background process's command line: this JVM, with C2 for the JDK's crypto, digests and big numbers only
     * (unless {@code DEVK8S_JAVA_OPTS} chooses the compilers), with the full archive when the launcher has one.
     */
    List<String> command() {
        List<String> cmd = new ArrayList<>();
        for (String setsid : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (Files.isExecutable(Path.of(setsid))) {
                cmd.add(setsid); // a session of its own: the terminal's signals and job control pass it by
                break;
            }
        }
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx192m");
        cmd.add("-Xlog:disable");
        cmd.add("-Xlog:all=warning:stderr");
        String archive = System.getProperty("devk8s.daemon.archive", "");
        if (archive.startsWith("-XX:SharedArchiveFile=")) {
            cmd.add("-Xshare:auto");
            cmd.add("-Xlog:cds*=off:stderr");
            cmd.add(archive);
        } else if (archive.startsWith("-XX:AOTCache=")) {
            cmd.add("-Xlog:aot*=off:stderr");
            cmd.add(archive);
        }
        String extra = env.getOrDefault("DEVK8S_JAVA_OPTS", "").trim();
        if (!extra.contains("Tiered") && !extra.contains("CompilationMode") && !extra.contains("CompilerDirectives")) {
            // C2 took about half of the process's CPU for its first hundred commands, each compiling a few more
            // methods: C1 alone ran every command faster. But only C2 has the intrinsics of SHA-256, AES-GCM and
            // BigInteger's Montgomery multiplication, 4 to 10 times faster than C1's code for a build context's
            // digest, its TLS upload to Minikube's Docker engine and the RSA signature of each TLS handshake with
            // a client certificate; so C2 compiles the JDK's crypto, digests and big numbers, and C1 the rest.
            // (Measured: a no-op `up` 281 ms on average over a new process's commands 2 to 16 and 210 ms over 17
            // to 40; 346 and 257 ms with C2 for all; 247 and 186 ms on C1 alone, whose TLS upload of a 100 MB
            // context is 2 s slower.)
            Path directives = compilerDirectives();
            if (directives != null) {
                cmd.add("-XX:+UnlockDiagnosticVMOptions");
                cmd.add("-XX:CompilerDirectivesFile=" + directives);
            }
        }
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(paths.jar().toString());
        cmd.add(Daemon.class.getName());
        cmd.add(paths.socket().toString());
        return cmd;
    }

    /** The command line that starts the background process of {@code paths} for a command with {@code env}. */
    static List<String> command(DaemonPaths paths, Map<String, String> env) {
        return new DaemonClient(paths, new String[0], env).command();
    }

    /** Which methods C2 compiles in the background process (every other one is compiled by C1 alone). */
    static final String COMPILER_DIRECTIVES = """
            [
              { match: ["sun/security/*.*", "com/sun/crypto/provider/*.*", "java/security/*.*", "javax/crypto/*.*",
                        "java/math/*.*"],
                c2: { Exclude: false } },
              { match: "*.*", c2: { Exclude: true } }
            ]
            """;

    /** {@link #COMPILER_DIRECTIVES} written next to the process's log, or null when it cannot be. */
    private Path compilerDirectives() {
        Path file = paths.log().resolveSibling("compiler-directives.json");
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || !Files.readString(file).equals(COMPILER_DIRECTIVES)) {
                Path tmp = Files.createTempFile(file.getParent(), "compiler-directives", ".tmp");
                Files.writeString(tmp, COMPILER_DIRECTIVES);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            return null; // the JVM's own choice then: C2 for all
        }
    }

    /**
     * For the small archive's training run ({@link StartupTraining}): passes one command on, through a socket in a
     * temporary folder, to a stand-in that answers at once, so that the archive holds what a command the background
     * process runs loads in this JVM.
     */
    static void trainingRun() throws IOException, InterruptedException {
        served(new String[] {"deploy", "web"});
        DaemonPaths own = DaemonPaths.of(System.getenv());
        Path dir = Files.createTempDirectory("devk8s-training");
        Path socket = dir.resolve("training.sock");
        try (java.nio.channels.ServerSocketChannel server =
                java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread standIn = new Thread(() -> {
                try (SocketChannel channel = server.accept()) {
                    DataInputStream in = DaemonProtocol.input(channel);
                    DataOutputStream out = DaemonProtocol.output(channel);
                    DaemonProtocol.Request.decode(DaemonProtocol.read(in).payload());
                    DaemonProtocol.write(out, DaemonProtocol.ACCEPTED, new byte[0]);
                    DaemonProtocol.write(out, DaemonProtocol.STDOUT, new byte[0]);
                    DaemonProtocol.write(out, DaemonProtocol.EXIT, new DaemonProtocol.Writer().integer(0).bytes());
                } catch (IOException e) {
                    // the client reports it: it does not get its exit code
                }
            }, "devk8s-training-stand-in");
            standIn.start();
            DaemonPaths paths = new DaemonPaths(dir, socket, dir.resolve("training.log"),
                    own != null ? own.jar() : socket, "training");
            int code = new DaemonClient(paths, new String[] {"status"}, System.getenv()).serve();
            standIn.join();
            if (code != 0) {
                throw new IOException("the training round trip ended with " + code);
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
