package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.sudo.Sudo;
import io.devk8s.service.StackOptions;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.StackOnMock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hosts step of {@code up} and {@code down}: everything about the hosts file (type, markers, writability) is
 * checked before the first cluster write. Runs the real CLI against fabric8's mock API server (CRUD mode with
 * server-side apply) and the minikube fixture; the mock records every request, so "no write" is checked on what
 * reached the API server.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostsStepMockTest {
    private static final String BLOCK = "# BEGIN devk8s minikube\n192.168.49.2 traefik-ui.minikube\n"
            + "# END devk8s minikube\n";

    @TempDir
    Path dir;

    private MockKubernetes mock;
    private CliRunner cli;
    private Path minikubeLog;

    @BeforeEach
    void setUp() throws IOException {
        mock = MockKubernetes.start().nodePortRange(80, 32767);
        Path bin = MinikubeFixture.install(dir);
        minikubeLog = dir.resolve("minikube.log");
        cli = new CliRunner()
                .env("PATH", MinikubeFixture.pathWith(bin))
                .env("HOME", Files.createDirectories(dir.resolve("home")).toString())
                .env("KUBECONFIG", mock.writeKubeconfig(dir, "minikube").toString())
                .env("FIXTURE_MINIKUBE_LOG", minikubeLog.toString())
                .env("FIXTURE_MINIKUBE_DRIVER", "kvm2");
    }

    @AfterEach
    void tearDown() {
        mock.close();
    }

    private CliRunner.Result run(int expected, String command, Path hosts, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "--hosts-file", hosts.toString(), "--timeout", "5s"));
        args.addAll(List.of(extra));
        return assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> cli.runAndExpect(expected, args.toArray(String[]::new)));
    }

    private Path fifo() throws Exception {
        Path p = dir.resolve("hosts-pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor());
        return p;
    }

    private static void assertOneError(CliRunner.Result r, String... parts) {
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), r.err());
        for (String part : parts) {
            assertTrue(errors.get(0).contains(part), part + " not in: " + r.err());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--dry-run"})
    void should_refuse_a_fifo_as_hosts_file_before_up_asks_minikube_or_the_api_server(String dryRun)
            throws Exception {
        Path pipe = fifo();
        var r = dryRun.isEmpty() ? run(ExitCode.USAGE, "up", pipe) : run(ExitCode.USAGE, "up", pipe, dryRun);
        assertOneError(r, "hosts file " + pipe + " is a FIFO (named pipe), not a regular file", "--no-hosts");
        assertEquals("", r.out());
        assertEquals(List.of(), mock.requests(), "no API request at all");
        assertFalse(Files.exists(dir.resolve("hosts-pipe.devk8s.lock")));
    }

    @Test
    void should_leave_no_minikube_call_running_after_up_stops_at_the_hosts_file() throws Exception {
        // a minikube that takes four seconds: up asks it ahead, then stops at the hosts file before it answers
        Path slow = Files.createDirectories(dir.resolve("slow-bin"));
        Path finished = dir.resolve("slow-minikube-finished");
        Path exe = Files.writeString(slow.resolve("minikube"), "#!/bin/sh\nsleep 4\necho \"$*\" >> '" + finished
                + "'\nexec '" + dir.resolve("bin/minikube") + "' \"$@\"\n");
        assertTrue(exe.toFile().setExecutable(true));
        cli.env("PATH", slow + ":" + MinikubeFixture.pathWith(dir.resolve("bin")));
        Path pipe = fifo();

        long start = System.nanoTime();
        var r = run(ExitCode.USAGE, "up", pipe);
        assertOneError(r, "is a FIFO (named pipe)");
        long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(took < 3500, "up waited for minikube: " + took + " ms");

        Thread.sleep(5000 - took);
        assertFalse(Files.exists(finished), () -> "a minikube call outlived the command: " + uncheckedRead(finished));
    }

    private static String uncheckedRead(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void should_refuse_a_directory_and_a_link_loop_before_the_first_write_of_up() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("etc"));
        var r = run(ExitCode.USAGE, "up", folder);
        assertOneError(r, folder + " is a directory, not a regular file");
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        var l = run(ExitCode.USAGE, "up", loop);
        assertOneError(l, loop + " is a symbolic link loop");
        assertFalse(l.err().contains("permission") || l.err().contains("sudo"), l.err());
        assertEquals(List.of(), mock.writes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--dry-run"})
    void should_refuse_a_begin_marker_without_end_before_up_applies_anything(String dryRun) throws IOException {
        String broken = "127.0.0.1 localhost\n# BEGIN devk8s minikube\n10.0.0.1 grafana.minikube\n";
        Path hosts = Files.writeString(dir.resolve("hosts"), broken);
        var r = dryRun.isEmpty() ? run(ExitCode.FAILURE, "up", hosts) : run(ExitCode.FAILURE, "up", hosts, dryRun);
        assertOneError(r, hosts + " line 2", "has no matching '# END devk8s minikube'", "--no-hosts");
        assertEquals(List.of(), mock.writes());
        assertEquals(broken, Files.readString(hosts));
    }

    @Test
    void should_refuse_an_immutable_hosts_file_before_up_applies_anything() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        assumeTrue(HostsCommandTest.chattr("+i", hosts), "needs chattr +i (root)");
        try {
            var r = run(ExitCode.FAILURE, "up", hosts);
            assertOneError(r, "cannot write hosts file " + hosts, "lsattr", "--no-hosts");
            if (Sudo.runningAsRoot()) {
                assertFalse(r.err().contains("sudo"), r.err());
            }
            assertEquals(List.of(), mock.writes());
            // --no-hosts: the stack goes up and the file is not looked at
            mock.startController();
            var skipped = run(ExitCode.OK, "up", hosts, "--no-hosts");
            assertFalse(skipped.err().contains("hosts file"), skipped.err());
        } finally {
            HostsCommandTest.chattr("-i", hosts);
        }
        assertEquals("127.0.0.1 localhost\n", Files.readString(hosts));
    }

    @Test
    void should_refuse_a_fifo_or_an_immutable_hosts_file_before_down_deletes_anything() throws Exception {
        StackOnMock.deploy(mock, StackOptions.defaults());
        List<ObjectRef> before = StackOnMock.labelled(mock);
        Path pipe = fifo();
        var r = run(ExitCode.USAGE, "down", pipe);
        assertOneError(r, pipe + " is a FIFO (named pipe), not a regular file", "--no-hosts");
        assertEquals(before, StackOnMock.labelled(mock));

        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n" + BLOCK);
        assumeTrue(HostsCommandTest.chattr("+i", hosts), "needs chattr +i (root)");
        try {
            mock.clearRequests();
            var d = run(ExitCode.FAILURE, "down", hosts);
            assertOneError(d, "cannot write hosts file " + hosts, "lsattr");
            var dry = run(ExitCode.FAILURE, "down", hosts, "--dry-run");
            assertOneError(dry, "cannot write hosts file " + hosts);
            assertEquals(List.of(), mock.writes());
            assertEquals(before, StackOnMock.labelled(mock));
        } finally {
            HostsCommandTest.chattr("-i", hosts);
        }
        assertEquals("127.0.0.1 localhost\n" + BLOCK, Files.readString(hosts));
    }

    @Test
    void should_let_down_pass_an_immutable_hosts_file_without_a_block() throws Exception {
        StackOnMock.deploy(mock, StackOptions.defaults());
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        assumeTrue(HostsCommandTest.chattr("+i", hosts), "needs chattr +i (root)");
        try {
            var r = run(ExitCode.OK, "down", hosts);
            assertTrue(r.err().contains("stack removed"), r.err());
        } finally {
            HostsCommandTest.chattr("-i", hosts);
        }
        assertEquals(List.of(), StackOnMock.labelled(mock));
    }
}
