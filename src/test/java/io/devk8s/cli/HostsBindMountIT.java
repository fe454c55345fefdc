package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devk8s.support.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hosts file that is a bind mount, as {@code /etc/hosts} is in a container: {@code rename()} onto it fails
 * with EBUSY, so devk8s must rewrite it in place. Each command runs in its own mount namespace
 * ({@code unshare -m}, root only) where the real file {@code source} is bind-mounted over {@code etc/hosts}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostsBindMountIT {
    private static final String ORIGINAL = "127.0.0.1 localhost\r\n# container hosts\r\n172.17.0.2 box";
    private static final String MOUNT_THEN_RUN = "mount --bind \"$1\" \"$2\" || exit 99; shift 2; exec \"$@\"";
    private static final String MOUNT_READ_ONLY_THEN_RUN = "mount --bind \"$1\" \"$2\" || exit 99; "
            + "mount -o remount,ro,bind \"$2\" || exit 98; shift 2; exec \"$@\"";

    @TempDir
    Path dir;

    private Path source;
    private Path target;

    @BeforeEach
    void setUp() throws Exception {
        source = dir.resolve("source-hosts");
        Files.writeString(source, ORIGINAL);
        target = Files.createDirectories(dir.resolve("etc")).resolve("hosts");
        Files.writeString(target, "# the file under the mount\n");
        var probe = mounted(List.of("/bin/true"));
        assumeTrue(probe.exitCode() == 0, "needs root and unshare -m with mount --bind: " + probe.describe());
    }

    private Processes.Result mounted(List<String> command) throws Exception {
        return mounted(MOUNT_THEN_RUN, command);
    }

    private Processes.Result mounted(String script, List<String> command) throws Exception {
        List<String> all = new ArrayList<>(List.of("unshare", "-m", "/bin/sh", "-c", script, "sh",
                source.toString(), target.toString()));
        all.addAll(command);
        return Processes.run(all, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "NO_COLOR", "1"), dir, "mounted");
    }

    @Test
    void should_rewrite_a_bind_mounted_hosts_file_in_place_when_rename_is_refused() throws Exception {
        // control: replacing the mounted file by rename really fails here
        var mv = mounted(List.of("/bin/sh", "-c", "echo x > \"$0.new\" && mv \"$0.new\" \"$0\"", target.toString()));
        assertNotEquals(0, mv.exitCode(), mv.describe());
        assertTrue(mv.err().contains("busy"), mv.err());
        Files.deleteIfExists(target.resolveSibling("hosts.new"));

        var apply = mounted(Processes.concat(Processes.devk8s(), "hosts", "apply", "--hosts-file", target.toString(),
                "--ip", "192.168.49.2"));
        assertEquals(0, apply.exitCode(), apply.describe());
        assertTrue(apply.err().contains("hosts: updated " + target), apply.err());
        assertEquals(ORIGINAL + "\r\n# BEGIN devk8s minikube\r\n192.168.49.2 traefik-ui.minikube prometheus.minikube "
                + "grafana.minikube jaeger.minikube\r\n# END devk8s minikube", Files.readString(source));
        assertEquals(ORIGINAL, Files.readString(target.resolveSibling("hosts.devk8s.bak")));
        assertFalse(Files.exists(target.resolveSibling("hosts.devk8s.tmp")), "the failed temp file is cleaned up");
        assertEquals("# the file under the mount\n", Files.readString(target));

        var again = mounted(Processes.concat(Processes.devk8s(), "hosts", "apply", "--hosts-file", target.toString(),
                "--ip", "192.168.49.2"));
        assertEquals("hosts: unchanged", again.err().strip(), again.describe());

        var remove = mounted(Processes.concat(Processes.devk8s(), "hosts", "remove", "--hosts-file",
                target.toString()));
        assertEquals(0, remove.exitCode(), remove.describe());
        assertEquals(ORIGINAL, Files.readString(source));
    }

    /**
     * A read-only mount refuses every user: the hosts step fails with exit 1 naming the mount, never suggests
     * sudo (the tests run as root here, where sudo adds nothing anyway), and changes nothing.
     */
    @Test
    void should_exit_1_naming_a_read_only_mount_and_change_nothing() throws Exception {
        var probe = mounted(MOUNT_READ_ONLY_THEN_RUN, List.of("/bin/sh", "-c", "echo x >> \"$0\"", target.toString()));
        assumeTrue(probe.exitCode() != 98 && probe.exitCode() != 0, "needs a read-only bind mount: " + probe.describe());

        for (List<String> args : List.of(
                List.of("hosts", "apply", "--hosts-file", target.toString(), "--ip", "192.168.49.2"),
                List.of("hosts", "apply", "--hosts-file", target.toString(), "--ip", "192.168.49.2", "--dry-run"))) {
            var apply = mounted(MOUNT_READ_ONLY_THEN_RUN, Processes.concat(Processes.devk8s(),
                    args.toArray(String[]::new)));
            assertEquals(1, apply.exitCode(), apply.describe());
            assertEquals("", apply.out(), apply.describe());
            assertEquals(1, apply.err().strip().lines().count(), apply.describe());
            assertTrue(apply.err().contains("cannot write hosts file " + target
                    + ": the file system is mounted read-only"), apply.err());
            assertFalse(apply.err().contains("sudo") || apply.err().contains("permission"), apply.err());
        }
        assertEquals(ORIGINAL, Files.readString(source));
        assertFalse(Files.exists(target.resolveSibling("hosts.devk8s.bak")));
        assertFalse(Files.exists(target.resolveSibling("hosts.devk8s.lock")));
    }
}
