package io.devk8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devk8s.support.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's Python client of the background process ({@code devk8s-client.py}, taken out of the packaged jar as
 * install.sh does), run by the real {@code /usr/bin/python3}: against the real background process of the packaged
 * jar, and against a server the test plays on the socket (the test names say so). Where the client must run the
 * JVM in its place, the "JVM command" it is given is a shell that says it ran, so a test sees which one answered.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PythonClientIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path tmp;

    private Path jar;
    private Path client;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Files.isExecutable(PYTHON), "needs /usr/bin/python3 (scripts/test.sh installs it)");
        jar = Path.of(System.getProperty("devk8s.jar"));
        client = tmp.resolve("devk8s-client.py");
        try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(
                zip.getEntry("io/devk8s/devk8s-client.py"))) {
            Files.write(client, in.readAllBytes());
        }
        env = new HashMap<>(System.getenv());
        env.remove("DEVK8S_DAEMON");
        env.remove("DEVK8S_JAVA_OPTS");
        env.remove("KUBECONFIG");
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString());
        env.put("DEVK8S_DAEMON_IDLE", "300");
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("NO_COLOR", "1");
    }

    @AfterEach
    void stopTheBackgroundProcess() throws Exception {
        if (jar != null) {
            Processes.run(List.of(Processes.java(), "-cp", jar.toString(), "io.devk8s.Devk8s", "daemon", "stop"), env,
                    tmp, "stop");
        }
    }

    /** The JVM command the launcher hands the client: the one that passes a command on itself, or starts it. */
    private List<String> jvm() {
        return List.of(Processes.java(), "-XX:TieredStopAtLevel=1", "-Ddevk8s.daemon=auto", "-cp", jar.toString(),
                "io.devk8s.Devk8s");
    }

    /**
     * A stand-in for the JVM command: this JDK's java (the client reads the JDK from its first word) running a
     * one-file program that says it ran, with the arguments, and exits with 7.
     */
    private List<String> inPlace() throws IOException {
        Path echo = tmp.resolve("Echo.java");
        Files.writeString(echo, "public class Echo { public static void main(String[] a) {"
                + " System.out.println(\"ran in place: \" + String.join(\" \", a)); System.exit(7); } }");
        return List.of(Processes.java(), echo.toString());
    }

    private List<String> python(List<String> javaCommand, String... args) {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-I", "-S", client.toString(), jar.toString(),
                String.valueOf(Runtime.version().feature()), String.valueOf(javaCommand.size())));
        cmd.addAll(javaCommand);
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Processes.Result run(List<String> command, Map<String, String> environment, String name) throws Exception {
        return Processes.run(command, environment, tmp, name);
    }

    @Test
    void a_command_passed_on_by_python_prints_what_it_prints_in_its_own_process() throws Exception {
        // the first one finds no process: the JVM command runs, starts the process and passes the command on
        Processes.Result first = run(python(jvm(), "render", "stack"), env, "first");
        Map<String, String> off = new HashMap<>(env);
        off.put("DEVK8S_DAEMON", "0");
        Processes.Result alone = run(List.of(Processes.java(), "-cp", jar.toString(), "io.devk8s.Devk8s", "render",
                "stack"), off, "alone");
        // now it listens: Python passes the command on, and a JVM command that cannot start shows it was not needed
        List<String> broken = List.of(Processes.java(), "-cp", tmp.resolve("no.jar").toString(), "io.devk8s.Devk8s");
        Processes.Result served = run(python(broken, "render", "stack"), env, "served");
        Processes.Result failing = run(python(broken, "render", "stack", "--set", "no-equals-sign"), env, "failing");
        Processes.Result failingAlone = run(List.of(Processes.java(), "-cp", jar.toString(), "io.devk8s.Devk8s",
                "render", "stack", "--set", "no-equals-sign"), off, "failing-alone");

        assertEquals(0, first.exitCode(), first.describe());
        assertEquals(0, served.exitCode(), served.describe());
        assertEquals(alone.out(), served.out());
        assertEquals(alone.err(), served.err());
        assertEquals(first.out(), served.out());
        assertTrue(served.out().contains("kind: Deployment"), served.out());
        assertEquals(failingAlone.exitCode(), failing.exitCode(), failing.describe());
        assertTrue(failingAlone.exitCode() != 0, failingAlone.describe());
        assertEquals(failingAlone.err(), failing.err());
    }

    @Test
    void ctrl_c_on_the_python_client_stops_the_work_done_for_the_command() throws Exception {
        assertEquals(0, run(python(jvm(), "render", "stack"), env, "start").exitCode(), "starts the process");
        Path minikube = tmp.resolve("minikube-that-hangs");
        Files.writeString(minikube, "#!/bin/sh\nexec sleep 297\n");
        assertTrue(minikube.toFile().setExecutable(true));
        List<String> broken = List.of(Processes.java(), "-cp", tmp.resolve("no.jar").toString(), "io.devk8s.Devk8s");
        Process python = Processes.start(python(broken, "up", "--minikube", minikube.toString()), env, tmp, "up");
        List<ProcessHandle> hung = List.of();
        for (int i = 0; i < 300 && hung.size() < 2; i++) {
            Thread.sleep(50);
            hung = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains("sleep 297")).toList();
        }
        assertEquals(2, hung.size(), "up asks minikube for its status and its profile at once");
        assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(python.pid())).start().waitFor());
        assertTrue(python.waitFor(10, TimeUnit.SECONDS));
        assertEquals(130, python.exitValue());
        for (int i = 0; i < 100 && hung.stream().anyMatch(ProcessHandle::isAlive); i++) {
            Thread.sleep(50);
        }
        assertFalse(hung.stream().anyMatch(ProcessHandle::isAlive), "a minikube run for the command is still running");
    }

    @Test
    void no_background_process_runs_the_JVM_command_in_its_place() throws Exception {
        Processes.Result r = run(python(inPlace(), "status", "-p", "dev"), env, "in-place");
        assertEquals(7, r.exitCode(), r.describe());
        assertEquals("ran in place: status -p dev\n", r.out());
    }

    @Test
    void a_missing_jar_leaves_the_JVM_command_to_say_what_is_wrong() throws Exception {
        List<String> cmd = new ArrayList<>(python(inPlace(), "status"));
        cmd.set(cmd.indexOf(jar.toString()), tmp.resolve("gone.jar").toString());
        Processes.Result r = run(cmd, env, "no-jar");
        assertEquals(7, r.exitCode(), r.describe());
        assertEquals("ran in place: status\n", r.out());
        assertEquals("", r.err(), "no Python traceback");
    }

    @Test
    void commands_the_background_process_does_not_serve_run_in_place() throws Exception {
        for (List<String> args : List.of(List.of("shell", "web"), List.of("status", "--verbose"), List.of("up", "-hv"),
                List.of("--version"), List.of("deploy", "@args.txt"))) {
            Processes.Result r = run(python(inPlace(), args.toArray(String[]::new)), env, "in-place");
            assertEquals(7, r.exitCode(), r.describe());
            assertEquals("ran in place: " + String.join(" ", args) + "\n", r.out());
        }
        Map<String, String> off = new HashMap<>(env);
        off.put("DEVK8S_DAEMON", "off");
        assertEquals(7, run(python(inPlace(), "status"), off, "off").exitCode());
    }

    @Test
    void python_and_java_agree_on_which_commands_are_passed_on() throws Exception {
        List<List<String>> cases = List.of(List.of("up"), List.of("deploy", "web", "--tag", "v1"), List.of("-p", "x",
                "status"), List.of("render", "stack"), List.of("status", "-o", "json"), List.of("logs", "web"),
                List.of("status", "-h"), List.of("status", "-vx"), List.of("status", "-ox"), List.of("down", "--", "-h"),
                List.of("teardown", "--help"), List.of("hosts", "show"), List.of(), List.of("--no-color", "up"),
                List.of("up", "@file"), List.of("daemon", "status"), List.of("status", "-V"));
        StringBuilder script = new StringBuilder("import importlib.util, sys\n"
                + "spec = importlib.util.spec_from_file_location('c', sys.argv[1])\n"
                + "c = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(c)\n");
        for (List<String> args : cases) {
            script.append("print(c.served([");
            for (String a : args) {
                script.append("'").append(a).append("',");
            }
            script.append("]))\n");
        }
        Processes.Result r = run(List.of(PYTHON.toString(), "-I", "-S", "-c", script.toString(), client.toString()),
                env, "served");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> python = r.out().lines().toList();
        for (int i = 0; i < cases.size(); i++) {
            boolean java = DaemonClient.served(cases.get(i).toArray(String[]::new));
            assertEquals(java ? "True" : "False", python.get(i), "for " + cases.get(i));
        }
    }

    @Test
    void a_socket_folder_that_others_can_enter_is_not_used_with_a_fake_background_process() throws Exception {
        CompletableFuture<DaemonProtocol.Request> seen = fakeBackgroundProcess((in, out) -> { });
        Files.setPosixFilePermissions(tmp.resolve("run").resolve("devk8s"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Processes.Result r = run(python(inPlace(), "status"), env, "open-folder");
        assertEquals(7, r.exitCode(), r.describe());
        assertFalse(seen.isDone(), "the client connected to a socket in a folder others can enter");
    }

    @Test
    void a_refused_command_runs_in_place_with_a_fake_background_process() throws Exception {
        fakeBackgroundProcess((in, out) -> DaemonProtocol.write(out, DaemonProtocol.REFUSED, new byte[0]));
        Processes.Result r = run(python(inPlace(), "status"), env, "refused");
        assertEquals(7, r.exitCode(), r.describe());
        assertEquals("ran in place: status\n", r.out());
    }

    @Test
    void output_exit_code_width_and_terminal_processes_are_relayed_with_a_fake_background_process() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path marker = tmp.resolve("ran-by");
        CompletableFuture<Integer> width = new CompletableFuture<>();
        CompletableFuture<Integer> terminalCode = new CompletableFuture<>();
        CompletableFuture<DaemonProtocol.Request> request = fakeBackgroundProcess((in, out) -> {
            DaemonProtocol.write(out, DaemonProtocol.ACCEPTED, new byte[0]);
            DaemonProtocol.write(out, DaemonProtocol.STDOUT, "out line ✓\n".getBytes(StandardCharsets.UTF_8));
            DaemonProtocol.write(out, DaemonProtocol.COLUMNS, new byte[0]);
            DaemonProtocol.Frame columns = DaemonProtocol.read(in);
            assertEquals(DaemonProtocol.COLUMNS_ANSWER, columns.type());
            width.complete(columns.reader().integer());
            terminalCode.complete(FakeBackgroundProcess.runInTerminal(in, out, marker, work));
            DaemonProtocol.write(out, DaemonProtocol.STDERR, "err line\n".getBytes(StandardCharsets.UTF_8));
            DaemonProtocol.write(out, DaemonProtocol.EXIT, new DaemonProtocol.Writer().integer(42).bytes());
        });
        Map<String, String> callerEnv = new HashMap<>(env);
        callerEnv.put("ONLY_IN_THE_CALLER", "yes");
        Process python = Processes.start(python(inPlace(), "render", "stack", "--set", "x=1"), callerEnv, work,
                "python");
        Processes.Result r = Processes.finish(python, work, "python", 60);

        assertEquals(42, r.exitCode(), r.describe());
        assertEquals("out line ✓\n", r.out());
        assertEquals("err line\n", r.err());
        assertEquals(80, width.get(10, TimeUnit.SECONDS), "no terminal: picocli's default width");
        assertEquals(5, terminalCode.get(10, TimeUnit.SECONDS));
        assertEquals(python.pid() + " from-the-background " + work.toRealPath(), Files.readString(marker).trim(),
                "the terminal process is the client's child, in the folder and with the environment it was sent");
        DaemonProtocol.Request sent = request.get(10, TimeUnit.SECONDS);
        assertEquals(DaemonProtocol.VERSION, sent.version());
        assertEquals(List.of("render", "stack", "--set", "x=1"), sent.args());
        assertEquals(work.toRealPath().toString(), Path.of(sent.workDir()).toRealPath().toString());
        assertEquals("yes", sent.env().get("ONLY_IN_THE_CALLER"));
        assertFalse(sent.terminal(), "output to files is no terminal");
        assertTrue(java.nio.charset.Charset.isSupported(sent.charset()), sent.charset());
    }

    @Test
    void a_background_process_that_dies_during_the_command_is_reported_in_one_line_with_a_fake_background_process()
            throws Exception {
        fakeBackgroundProcess(FakeBackgroundProcess.DIES_MIDWAY);
        FakeBackgroundProcess.assertReportedLost(run(python(inPlace(), "render", "stack"), env, "dies"));
    }

    /** The test playing the background process (see {@link FakeBackgroundProcess}). */
    private CompletableFuture<DaemonProtocol.Request> fakeBackgroundProcess(FakeBackgroundProcess.Script script)
            throws IOException {
        return FakeBackgroundProcess.start(env, jar, script);
    }
}
