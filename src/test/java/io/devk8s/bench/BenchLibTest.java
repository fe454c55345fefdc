package io.devk8s.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.support.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/lib.sh's {@code start_mock}, which bench/up.sh and bench/teardown.sh share: run against a stand-in
 * {@code scripts/mock-cluster.sh} that prints what the real one prints and then waits, so the test shows the URL and
 * the exports reach the calling script, HOME moves under the temp folder, and on exit the stand-in's whole process
 * group stops and the temp folder goes. It does not start the real mock API server (bench/*.sh do that).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BenchLibTest {
    private static final Path LIB = Path.of("bench/lib.sh").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void start_mock_exports_the_mocks_environment_and_stops_its_process_group_on_exit() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Path stub = scripts.resolve("mock-cluster.sh");
        Files.writeString(stub, """
                #!/usr/bin/env bash
                echo "export KUBECONFIG=/k/config MOCK_TEST_VALUE='a b'"
                sleep 300 &
                echo $! > "$(dirname "$0")/child.pid"
                echo "mock API server at http://127.0.0.1:4567/, minikube stand-in at /x"
                wait
                """);
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path driver = Files.writeString(dir.resolve("driver.sh"), """
                set -euo pipefail
                . "%s"
                start_mock bench/test.sh
                echo "url=$URL"
                echo "kubeconfig=$KUBECONFIG value=$MOCK_TEST_VALUE"
                echo "home=$HOME tmp=$tmp"
                echo "profile=${MINIKUBE_PROFILE:-unset}"
                echo "pid=$MOCK_PID"
                echo "median=$(median '30 10 20 ')"
                echo "xdg=$XDG_RUNTIME_DIR"
                """.formatted(LIB));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("MINIKUBE_PROFILE", "mine");

        var r = Processes.run(List.of("bash", "-x", driver.toString()), env, dir, "driver"); // -x: a trace if it hangs

        assertEquals(0, r.exitCode(), r.describe());
        List<String> lines = r.out().lines().toList();
        assertEquals("url=http://127.0.0.1:4567", lines.get(0), r.describe());
        assertEquals("kubeconfig=/k/config value=a b", lines.get(1));
        String tmp = lines.get(2).substring(lines.get(2).indexOf(" tmp=") + 5);
        assertEquals("home=" + tmp + "/home tmp=" + tmp, lines.get(2));
        assertEquals("profile=unset", lines.get(3));
        assertEquals("median=20", lines.get(5));
        assertEquals("xdg=" + tmp + "/run", lines.get(6), "each bench run starts its own devk8s background process");
        assertTrue(r.err().contains("starting the mock API server"), r.err());
        assertFalse(Files.exists(Path.of(tmp)), "the temp folder is removed on exit");
        long mockPid = Long.parseLong(lines.get(4).substring(4));
        long childPid = Long.parseLong(Files.readString(scripts.resolve("child.pid")).strip());
        for (long pid : new long[] {mockPid, childPid}) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid
                    + " of the mock's group still runs");
        }
    }

    @Test
    void both_benches_start_the_mock_through_the_shared_function() throws Exception {
        for (String bench : List.of("bench/up.sh", "bench/teardown.sh")) {
            String text = Files.readString(Path.of(bench));
            assertTrue(text.contains("\nstart_mock " + bench + "\n"), bench);
            assertFalse(text.contains("setsid scripts/mock-cluster.sh"), bench + " starts the mock itself");
            assertFalse(text.contains("median()"), bench + " defines its own median");
        }
    }
}
