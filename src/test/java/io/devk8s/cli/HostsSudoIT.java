package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devk8s.service.StackOptions;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.Processes;
import io.devk8s.support.StackOnMock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hosts file the user may not write. The CLI runs as a real unprivileged process: as user nobody
 * ({@code setpriv}) when the tests run as root, else as the current user on a read-only file. A fixture
 * {@code sudo} first on PATH records the command it was asked to run.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostsSudoIT {
    private static final String ORIGINAL = "127.0.0.1 localhost\n# keep me\n";
    private static final FileTime OLD = FileTime.fromMillis(946_684_800_000L);
    private static final String LAUNCHER = "/opt/devk8s/bin/devk8s";

    @TempDir
    Path dir;

    private Path etc;
    private Path hosts;
    private Path jar;
    private Path fixtureBin;
    private Path record;
    private boolean root;

    @BeforeEach
    void setUp() throws Exception {
        root = "root".equals(System.getProperty("user.name"));
        if (root) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv to drop root");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        etc = Files.createDirectories(dir.resolve("etc dir"));
        hosts = etc.resolve("hosts");
        Files.writeString(hosts, ORIGINAL);
        Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setLastModifiedTime(hosts, OLD);
        jar = dir.resolve("devk8s.jar");
        Files.copy(Path.of(System.getProperty("devk8s.jar")), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        fixtureBin = Files.createDirectories(dir.resolve("bin"));
        Path sudo = fixtureBin.resolve("sudo");
        Files.writeString(sudo, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$SUDO_RECORD\"\nexit \"${SUDO_EXIT:-0}\"\n");
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path records = Files.createDirectories(dir.resolve("records"));
        Files.setPosixFilePermissions(records, PosixFilePermissions.fromString("rwxrwxrwx"));
        record = records.resolve("argv");
        if (!root) {
            Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("r--r--r--"));
            Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
    }

    @AfterEach
    void restore() throws IOException {
        if (etc != null) {
            Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private Processes.Result devk8s(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(List.of(Processes.java(), "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-jar",
                jar.toString()));
        command.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(Map.of("NO_COLOR", "1", "SUDO_RECORD", record.toString(),
                "PATH", fixtureBin + ":/usr/bin:/bin"));
        all.putAll(env);
        return Processes.run(command, all, dir, "devk8s");
    }

    private static List<String> applyArgs(Path hosts) {
        return List.of("hosts", "apply", "--hosts-file", hosts.toString(), "--profile", "minikube",
                "--ip", "192.168.49.2", "--domain", "minikube", "--host", "api.minikube");
    }

    private static List<String> plus(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all;
    }

    private void assertUntouched() throws IOException {
        assertEquals(ORIGINAL, Files.readString(hosts));
        assertEquals(OLD, Files.getLastModifiedTime(hosts));
        assertFalse(Files.exists(etc.resolve("hosts.devk8s.bak")));
    }

    private List<String> recorded() throws IOException {
        return Files.readAllLines(record);
    }

    @Test
    void should_run_only_the_hosts_step_again_through_sudo_with_the_exact_command() throws Exception {
        var r = devk8s(Map.of("DEVK8S_LAUNCHER", LAUNCHER), "hosts", "apply", "--hosts-file", hosts.toString(),
                "--ip", "192.168.49.2", "--host", "api.minikube");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(plus(List.of(LAUNCHER), applyArgs(hosts)), recorded());
        assertTrue(r.err().contains(hosts + " is not writable by this user"), r.err());
        assertTrue(r.err().contains("sudo"), r.err());
        assertUntouched();
    }

    @Test
    void should_start_the_running_jar_under_sudo_without_a_launcher_script() throws Exception {
        var r = devk8s(Map.of(), "hosts", "apply", "--hosts-file", hosts.toString(), "--ip", "192.168.49.2",
                "--host", "api.minikube");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(plus(List.of(Processes.java(), "-jar", jar.toString()), applyArgs(hosts)), recorded());
        assertUntouched();
    }

    @Test
    void should_exit_1_naming_the_exit_code_when_the_sudo_run_fails() throws Exception {
        for (String code : List.of("5", "1")) {
            var r = devk8s(Map.of("DEVK8S_LAUNCHER", LAUNCHER, "SUDO_EXIT", code), "hosts", "apply",
                    "--hosts-file", hosts.toString(), "--ip", "192.168.49.2");
            assertEquals(1, r.exitCode(), r.describe());
            assertTrue(Files.exists(record));
            assertTrue(r.err().contains("error: hosts: `sudo devk8s hosts apply` exited with " + code
                    + ": the hosts step was not done"), r.err());
            assertEquals("", r.out());
        }
        assertUntouched();
    }

    /** The hosts step was asked for and did not happen: exit 1, and the command to run goes to stderr. */
    @Test
    void should_print_the_exact_command_on_stderr_and_exit_1_with_no_sudo() throws Exception {
        var r = devk8s(Map.of("DEVK8S_LAUNCHER", LAUNCHER), "hosts", "apply", "--hosts-file", hosts.toString(),
                "--ip", "192.168.49.2", "--host", "api.minikube", "--no-sudo");
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().contains("--no-sudo"), r.err());
        assertTrue(r.err().contains("the hosts step was not done"), r.err());
        assertFalse(Files.exists(record), "sudo must not run");
        String line = r.err().strip().lines().reduce((a, b) -> b).orElseThrow().strip();
        assertTrue(line.startsWith("sudo " + LAUNCHER + " hosts apply --hosts-file '" + hosts + "' "), line);
        assertEquals(plus(List.of(LAUNCHER), applyArgs(hosts)), shellWords(line.substring("sudo ".length())));
        assertUntouched();
    }

    @Test
    void should_print_the_command_and_exit_1_when_no_sudo_is_on_path() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        var r = devk8s(Map.of("DEVK8S_LAUNCHER", LAUNCHER, "PATH", empty.toString()), "hosts", "apply",
                "--hosts-file", hosts.toString(), "--ip", "192.168.49.2", "--host", "api.minikube");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.err().contains("no sudo on PATH"), r.err());
        assertEquals("", r.out());
        String line = r.err().strip().lines().reduce((a, b) -> b).orElseThrow().strip();
        assertEquals(plus(List.of(LAUNCHER), applyArgs(hosts)), shellWords(line.substring("sudo ".length())));
        assertUntouched();
    }

    /** An immutable file refuses every user: sudo would not help, so it is neither run nor suggested. */
    @Test
    void should_not_run_or_suggest_sudo_for_an_immutable_file() throws Exception {
        assumeTrue(root, "chattr +i needs root (the CLI then runs as nobody)");
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("rw-rw-rw-"));
        assumeTrue(HostsCommandTest.chattr("+i", hosts), "needs chattr +i");
        try {
            var r = devk8s(Map.of("DEVK8S_LAUNCHER", LAUNCHER), "hosts", "apply", "--hosts-file", hosts.toString(),
                    "--ip", "192.168.49.2");
            assertEquals(1, r.exitCode(), r.describe());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("cannot write hosts file " + hosts + ": the system refuses every write"),
                    r.err());
            assertFalse(r.err().contains("sudo"), r.err());
            assertFalse(Files.exists(record), "sudo must not run");
        } finally {
            HostsCommandTest.chattr("-i", hosts);
            Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertEquals(ORIGINAL, Files.readString(hosts));
        assertFalse(Files.exists(etc.resolve("hosts.devk8s.bak")));
    }

    /**
     * A FIFO is refused from its type for this user too (exit 2): it is never opened, so the command does not
     * wait for a writer, and no sudo runs.
     */
    @Test
    void should_refuse_a_fifo_without_sudo_or_waiting() throws Exception {
        Path pipe = dir.resolve("records").resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor());
        var r = devk8s(Map.of("DEVK8S_LAUNCHER", LAUNCHER), "hosts", "apply", "--hosts-file", pipe.toString(),
                "--ip", "192.168.49.2");
        assertEquals(2, r.exitCode(), r.describe());
        assertTrue(r.err().contains(pipe + " is a FIFO (named pipe), not a regular file"), r.err());
        assertFalse(Files.exists(record), "sudo must not run");
        assertFalse(Files.exists(pipe.resolveSibling("pipe.devk8s.lock")));
    }

    @Test
    void should_remove_through_sudo_too() throws Exception {
        String withBlock = ORIGINAL + "# BEGIN devk8s minikube\n10.0.0.1 grafana.minikube\n# END devk8s minikube\n";
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(hosts, withBlock);
        if (!root) {
            Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("r--r--r--"));
            Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        var show = devk8s(Map.of(), "hosts", "show", "--hosts-file", hosts.toString());
        assertEquals(0, show.exitCode(), show.describe());
        assertTrue(show.out().contains("10.0.0.1 grafana.minikube"), show.out());

        var r = devk8s(Map.of("DEVK8S_LAUNCHER", LAUNCHER), "hosts", "remove", "--hosts-file", hosts.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(List.of(LAUNCHER, "hosts", "remove", "--hosts-file", hosts.toString(), "--profile", "minikube"),
                recorded());
        assertEquals(withBlock, Files.readString(hosts));
    }

    /**
     * {@code up --no-sudo} as a user who may not write the hosts file, against fabric8's mock API server and the
     * minikube fixture: the stack is applied, stdout carries only the URLs, the command to run as root goes to
     * stderr, and the exit code is 1 because the hosts step was asked for and did not happen.
     */
    @Test
    void should_exit_1_after_up_with_no_sudo_and_keep_the_command_off_stdout() throws Exception {
        try (MockKubernetes mock = MockKubernetes.start().nodePortRange(80, 32767)) {
            Path bin = MinikubeFixture.install(dir);
            Path home = Files.createDirectories(dir.resolve("records").resolve("home"));
            Path kubeconfig = mock.writeKubeconfig(dir, "minikube");
            Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-r--r--"));
            Map<String, String> env = Map.of("DEVK8S_LAUNCHER", LAUNCHER, "HOME", home.toString(),
                    "KUBECONFIG", kubeconfig.toString(), "FIXTURE_MINIKUBE_DRIVER", "kvm2",
                    "PATH", MinikubeFixture.pathWith(bin) + ":" + fixtureBin);
            var r = devk8s(env, "up", "--hosts-file", hosts.toString(), "--no-wait", "--no-sudo");
            assertEquals(1, r.exitCode(), r.describe());
            assertFalse(mock.writes().isEmpty(), "the stack was applied: " + r.describe());
            List<String> out = r.out().lines().toList();
            assertEquals(4, out.size(), r.out());
            assertTrue(out.stream().allMatch(l -> l.contains("http://")), r.out());
            assertTrue(r.err().contains("hosts: " + hosts + " is not writable by this user"), r.err());
            assertTrue(r.err().contains("sudo " + LAUNCHER + " hosts apply --hosts-file '" + hosts + "'"), r.err());
            assertTrue(r.err().contains("the hosts step was not done"), r.err());
            assertFalse(Files.exists(record), "sudo must not run");
        }
        assertUntouched();
    }

    /**
     * {@code down --no-sudo} as a user who may not write the hosts file (fabric8's mock API server, minikube
     * fixture): the stack is deleted, the block stays, the command goes to stderr and the exit code is 1.
     */
    @Test
    void should_exit_1_after_down_with_no_sudo_when_the_block_stays() throws Exception {
        String withBlock = ORIGINAL + "# BEGIN devk8s minikube\n192.168.49.2 grafana.minikube\n# END devk8s minikube\n";
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(hosts, withBlock);
        if (!root) {
            Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("r--r--r--"));
            Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try (MockKubernetes mock = MockKubernetes.start().nodePortRange(80, 32767)) {
            StackOnMock.deploy(mock, StackOptions.defaults());
            Path bin = MinikubeFixture.install(dir);
            Path home = Files.createDirectories(dir.resolve("records").resolve("home"));
            Path kubeconfig = mock.writeKubeconfig(dir, "minikube");
            Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-r--r--"));
            Map<String, String> env = Map.of("DEVK8S_LAUNCHER", LAUNCHER, "HOME", home.toString(),
                    "KUBECONFIG", kubeconfig.toString(), "PATH", MinikubeFixture.pathWith(bin) + ":" + fixtureBin);
            var r = devk8s(env, "down", "--hosts-file", hosts.toString(), "--timeout", "5s", "--no-sudo");
            assertEquals(1, r.exitCode(), r.describe());
            assertEquals(List.of(), StackOnMock.labelled(mock), "the stack was deleted: " + r.describe());
            assertEquals("", r.out());
            assertTrue(r.err().contains("sudo " + LAUNCHER + " hosts remove --hosts-file '" + hosts + "'"), r.err());
            assertTrue(r.err().contains("hosts block still present: the hosts step was not done"), r.err());
            assertFalse(Files.exists(record), "sudo must not run");
        }
        assertEquals(withBlock, Files.readString(hosts));
    }

    /** How a POSIX shell splits the line into words. */
    private List<String> shellWords(String line) throws Exception {
        var r = Processes.run(List.of("/bin/sh", "-c", "eval \"set -- $1\"; printf '%s\\n' \"$@\"", "sh", line),
                Map.of("PATH", "/usr/bin:/bin"), dir, "sh");
        assertEquals(0, r.exitCode(), r.describe());
        return r.out().lines().toList();
    }
}
