package io.devk8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.support.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background process, for real: the packaged jar runs as the command (with {@code -Ddevk8s.daemon=auto}, as
 * the installed launcher passes it) and starts the background process, whose socket lives under a temporary
 * {@code XDG_RUNTIME_DIR}. The commands used need no cluster ({@code render stack}, {@code status} without one,
 * {@code up} with a minikube stand-in that never answers); the cluster commands go through the same code as in
 * their own process, which the other tests cover. Where the test itself plays the background process (a fake
 * server on the socket), the test names say so.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DaemonIT {
    @TempDir
    Path tmp;

    private Path jar;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        jar = Path.of(System.getProperty("devk8s.jar"));
        Path runtime = Files.createDirectories(tmp.resolve("run"));
        env = new HashMap<>(System.getenv());
        env.remove("DEVK8S_DAEMON");
        env.remove("KUBECONFIG");
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("DEVK8S_DAEMON_IDLE", "300"); // one left behind by a failed test leaves on its own
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("NO_COLOR", "1");
    }

    @AfterEach
    void stopTheBackgroundProcess() throws Exception {
        devk8s(tmp, env, "stop", "daemon", "stop");
    }

    private List<String> command(Path jarFile, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Processes.java(), "-XX:TieredStopAtLevel=1",
                "-Ddevk8s.daemon=auto", "-cp", jarFile.toString(), "io.devk8s.Devk8s"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Processes.Result devk8s(Path dir, Map<String, String> environment, String name, String... args)
            throws Exception {
        return Processes.run(command(jar, args), environment, dir, name);
    }

    private Path socketDir() {
        return tmp.resolve("run").resolve("devk8s");
    }

    private List<Path> sockets() throws IOException {
        if (!Files.isDirectory(socketDir())) {
            return List.of();
        }
        try (var files = Files.list(socketDir())) {
            return files.filter(p -> p.toString().endsWith(".sock")).toList();
        }
    }

    /** The pid `devk8s daemon status` reports, or empty when none runs. */
    private Optional<Long> daemonPid(Path jarFile) throws Exception {
        Processes.Result r = Processes.run(command(jarFile, "daemon", "status"), env, tmp, "status");
        assertEquals(0, r.exitCode(), r.describe());
        Matcher m = Pattern.compile("devk8s background process (\\d+): running since .*, (\\d+) commands? served")
                .matcher(r.out());
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /**
     * Whether the process has ended within 5 s, or the seconds given (a zombie counts as ended: in a container the process that adopts
     * it may never reap it).
     */
    private static boolean gone(long pid) throws Exception {
        return gone(pid, 5);
    }

    private static boolean gone(long pid, int seconds) throws Exception {
        for (int i = 0; i < seconds * 20; i++) {
            Path stat = Path.of("/proc/" + pid + "/stat");
            if (!Files.exists(stat)) {
                return true;
            }
            try {
                String s = Files.readString(stat);
                if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (IOException vanished) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void render_through_the_background_process_prints_what_it_prints_in_its_own_process() throws Exception {
        Processes.Result served = devk8s(tmp, env, "served", "render", "stack");
        Map<String, String> off = new HashMap<>(env);
        off.put("DEVK8S_DAEMON", "0");
        Processes.Result alone = devk8s(tmp, off, "alone", "render", "stack");

        assertEquals(0, served.exitCode(), served.describe());
        assertEquals(alone.out(), served.out());
        assertEquals(alone.err(), served.err());
        assertTrue(served.out().contains("kind: Deployment"), served.out());
        assertEquals(1, sockets().size(), "one socket in " + socketDir());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socketDir())));
        Optional<Long> pid = daemonPid(jar);
        assertTrue(pid.isPresent(), "devk8s daemon status shows no background process");
        assertNotEquals(ProcessHandle.current().pid(), pid.get());
    }

    @Test
    void each_command_gets_its_own_working_directory_and_environment() throws Exception {
        Path one = Files.createDirectories(tmp.resolve("one"));
        Path two = Files.createDirectories(tmp.resolve("two"));
        assertEquals(0, devk8s(one, env, "render", "render", "stack", "--out", "out").exitCode());
        assertEquals(0, devk8s(two, env, "render", "render", "stack", "--out", "rendered").exitCode());
        assertTrue(Files.isRegularFile(one.resolve("out/10-traefik.yaml")), "written in the first command's folder");
        assertTrue(Files.isRegularFile(two.resolve("rendered/10-traefik.yaml")), "written in the second's");
        assertFalse(Files.exists(one.resolve("rendered")));

        Map<String, String> first = new HashMap<>(env);
        first.put("KUBECONFIG", one.resolve("missing-config").toString());
        Map<String, String> second = new HashMap<>(env);
        second.put("KUBECONFIG", two.resolve("missing-config").toString());
        Processes.Result a = devk8s(one, first, "status", "status");
        Processes.Result b = devk8s(two, second, "status", "status");
        assertTrue(a.err().contains("KUBECONFIG=" + one.resolve("missing-config")), a.describe());
        assertTrue(b.err().contains("KUBECONFIG=" + two.resolve("missing-config")), b.describe());
        Map<String, String> off = new HashMap<>(first);
        off.put("DEVK8S_DAEMON", "0");
        assertEquals(devk8s(one, off, "alone", "status").exitCode(), a.exitCode(), "the same exit code as alone");

        Processes.Result status = Processes.run(command(jar, "daemon", "status"), env, tmp, "daemon");
        assertTrue(status.out().contains(", 4 commands served"), "one process served all four: " + status.out());
    }

    @Test
    void a_command_that_goes_away_stops_the_work_done_for_it() throws Exception {
        Path minikube = tmp.resolve("minikube-that-hangs");
        Files.writeString(minikube, "#!/bin/sh\nexec sleep 293\n");
        minikube.toFile().setExecutable(true);
        Process client = Processes.start(command(jar, "up", "--minikube", minikube.toString()), env, tmp, "up");
        Optional<ProcessHandle> sleeper = Optional.empty();
        for (int i = 0; i < 300 && sleeper.isEmpty(); i++) {
            sleeper = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains("sleep 293")).findFirst();
            Thread.sleep(50);
        }
        assertTrue(sleeper.isPresent(), "the minikube stand-in never ran");
        long daemon = sleeper.get().parent().map(ProcessHandle::pid).orElse(-1L);
        assertEquals(daemonPid(jar).orElseThrow(), daemon, "the background process runs minikube, not the command");

        // up asks minikube two things at once: neither stand-in may be left
        Thread.sleep(300);
        List<ProcessHandle> hung = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 293")).toList();
        client.destroy(); // SIGTERM: the command ends, as with Ctrl-C, and its socket closes
        assertTrue(client.waitFor(10, TimeUnit.SECONDS));
        for (int i = 0; i < 100 && hung.stream().anyMatch(ProcessHandle::isAlive); i++) {
            Thread.sleep(50);
        }
        assertFalse(hung.stream().anyMatch(ProcessHandle::isAlive),
                "a minikube it ran for the command that went away is still running");
        assertEquals(Optional.of(daemon), daemonPid(jar), "the background process goes on serving");
        // the command's thread unwinds on its own after its caller went: it is done within moments
        Processes.Result status = Processes.run(command(jar, "daemon", "status"), env, tmp, "daemon");
        for (int i = 0; i < 20 && !status.out().contains(" 0 running now"); i++) {
            Thread.sleep(250);
            status = Processes.run(command(jar, "daemon", "status"), env, tmp, "daemon");
        }
        assertTrue(status.out().contains(" 0 running now"), status.out());
    }

    @Test
    void a_reinstalled_jar_is_served_by_a_new_background_process() throws Exception {
        env.put("DEVK8S_DAEMON_IDLE", "20"); // its watchdog looks every 5 s: for the jar, then for idleness
        Path installed = Files.createDirectories(tmp.resolve("lib")).resolve("devk8s.jar");
        Files.copy(jar, installed);
        assertEquals(0, Processes.run(command(installed, "render", "stack"), env, tmp, "first").exitCode());
        long before = daemonPid(installed).orElseThrow();

        Files.copy(jar, installed, StandardCopyOption.REPLACE_EXISTING); // what install.sh does
        Files.setLastModifiedTime(installed, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        Processes.Result again = Processes.run(command(installed, "render", "stack"), env, tmp, "again");
        assertEquals(0, again.exitCode(), again.describe());
        long after = daemonPid(installed).orElseThrow();
        assertNotEquals(before, after);
        assertTrue(gone(before, 12), "the process for the old jar did not leave");
        Processes.run(command(installed, "daemon", "stop"), env, tmp, "stop");
    }

    @Test
    void other_DEVK8S_JAVA_OPTS_get_a_process_of_their_own_and_leave_the_first_one_running() throws Exception {
        assertEquals(0, devk8s(tmp, env, "render", "render", "stack").exitCode());
        long first = daemonPid(jar).orElseThrow();
        Map<String, String> other = new HashMap<>(env);
        other.put("DEVK8S_JAVA_OPTS", "-Xss2m");
        Processes.Result r = devk8s(tmp, other, "other", "render", "stack");
        assertEquals(0, r.exitCode(), r.describe());
        Processes.Result status = Processes.run(command(jar, "daemon", "status"), other, tmp, "status-other");
        assertTrue(status.out().contains("devk8s background process "), status.describe());
        assertFalse(status.out().contains("devk8s background process " + first + ":"), status.describe());
        assertEquals(2, sockets().size(), "one socket each");
        assertEquals(Optional.of(first), daemonPid(jar), "the first one still serves its commands");
        Processes.run(command(jar, "daemon", "stop"), other, tmp, "stop-other");
    }

    @Test
    void a_reader_that_stops_reading_does_not_fail_the_command() throws Exception {
        assertEquals(0, devk8s(tmp, env, "start", "render", "stack").exitCode()); // the process runs
        ProcessBuilder pb = new ProcessBuilder(command(jar, "render", "stack")).directory(tmp.toFile())
                .redirectError(tmp.resolve("head.err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertTrue(reader.readLine() != null); // `devk8s render stack | head -1`
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("head.err")));
        assertEquals("", Files.readString(tmp.resolve("head.err")));
    }

    @Test
    void DEVK8S_DAEMON_0_runs_the_command_in_its_own_process() throws Exception {
        Map<String, String> off = new HashMap<>(env);
        off.put("DEVK8S_DAEMON", "0");
        assertEquals(0, devk8s(tmp, off, "render", "render", "stack").exitCode());
        assertEquals(List.of(), sockets());
    }

    @Test
    void a_socket_folder_that_others_can_enter_is_not_used() throws Exception {
        Files.createDirectories(socketDir());
        Files.setPosixFilePermissions(socketDir(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Processes.Result r = devk8s(tmp, env, "render", "render", "stack");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(List.of(), sockets(), "no socket in a folder others can open");
    }

    @Test
    void daemon_stop_stops_it_and_says_so_once() throws Exception {
        assertEquals(0, devk8s(tmp, env, "render", "render", "stack").exitCode());
        long pid = daemonPid(jar).orElseThrow();
        Processes.Result stop = devk8s(tmp, env, "stop1", "daemon", "stop");
        assertEquals(0, stop.exitCode(), stop.describe());
        assertTrue(stop.err().contains("stopped the devk8s background process " + pid), stop.describe());
        assertTrue(gone(pid), "still running");
        assertEquals(List.of(), sockets());
        Processes.Result again = devk8s(tmp, env, "stop2", "daemon", "stop");
        assertEquals(0, again.exitCode());
        assertTrue(again.err().contains("no devk8s background process was running"), again.describe());
    }

    // ------------------------------------------------------------------ the test plays the background process

    /** The test playing the background process (see {@link FakeBackgroundProcess}). */
    private CompletableFuture<DaemonProtocol.Request> fakeBackgroundProcess(FakeBackgroundProcess.Script script)
            throws IOException {
        return FakeBackgroundProcess.start(env, jar, script);
    }

    @Test
    void the_command_relays_output_and_exit_code_and_runs_terminal_processes_itself_with_a_fake_background_process()
            throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path marker = tmp.resolve("ran-by");
        CompletableFuture<Integer> terminalCode = new CompletableFuture<>();
        CompletableFuture<DaemonProtocol.Request> request = fakeBackgroundProcess((in, out) -> {
            DaemonProtocol.write(out, DaemonProtocol.ACCEPTED, new byte[0]);
            DaemonProtocol.write(out, DaemonProtocol.STDOUT, "out line\n".getBytes(StandardCharsets.UTF_8));
            terminalCode.complete(FakeBackgroundProcess.runInTerminal(in, out, marker, work));
            DaemonProtocol.write(out, DaemonProtocol.STDERR, "err line\n".getBytes(StandardCharsets.UTF_8));
            DaemonProtocol.write(out, DaemonProtocol.EXIT, new DaemonProtocol.Writer().integer(42).bytes());
        });
        Map<String, String> callerEnv = new HashMap<>(env);
        callerEnv.put("ONLY_IN_THE_CALLER", "yes");
        Process client = Processes.start(command(jar, "render", "stack", "--set", "x=1"), callerEnv, work, "client");
        Processes.Result r = Processes.finish(client, work, "client", 60);

        assertEquals(42, r.exitCode(), r.describe());
        assertEquals("out line\n", r.out());
        assertEquals("err line\n", r.err());
        assertEquals(5, terminalCode.get(10, TimeUnit.SECONDS));
        assertEquals(client.pid() + " from-the-background " + work.toRealPath(), Files.readString(marker).trim(),
                "the terminal process is the command's child, with the environment it was sent");
        DaemonProtocol.Request sent = request.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("render", "stack", "--set", "x=1"), sent.args());
        assertEquals(work.toRealPath().toString(), Path.of(sent.workDir()).toRealPath().toString());
        assertEquals("yes", sent.env().get("ONLY_IN_THE_CALLER"));
        assertFalse(sent.terminal(), "output to files is no terminal");
    }

    @Test
    void a_background_process_that_dies_during_the_command_is_reported_with_a_fake_background_process()
            throws Exception {
        fakeBackgroundProcess(FakeBackgroundProcess.DIES_MIDWAY);
        FakeBackgroundProcess.assertReportedLost(devk8s(tmp, env, "client", "render", "stack"));
    }
}
