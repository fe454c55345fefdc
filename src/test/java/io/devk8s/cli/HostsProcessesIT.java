package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.support.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several {@code devk8s hosts apply} processes on one file at once, through the packaged jar. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostsProcessesIT {
    private static final String ORIGINAL = "127.0.0.1 localhost\n\n# BEGIN devk8s dev\n192.168.58.2 grafana.dev\n"
            + "# END devk8s dev\n# profile.on awesome\n10.9.9.9 awesome.local\n# end\n";

    @TempDir
    Path dir;

    private List<Processes.Result> runConcurrently(Path hosts, int count, boolean sameIp) throws Exception {
        List<Process> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String ip = sameIp ? "192.168.49.2" : "10.0.0." + (i + 1);
            started.add(Processes.start(Processes.concat(Processes.devk8s(), "hosts", "apply",
                    "--hosts-file", hosts.toString(), "--profile", "minikube", "--ip", ip, "--host", "api.minikube"),
                    Map.of("PATH", System.getenv("PATH"), "NO_COLOR", "1"), dir, "run-" + sameIp + "-" + i));
        }
        List<Processes.Result> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Processes.Result r = Processes.finish(started.get(i), dir, "run-" + sameIp + "-" + i, 120);
            assertEquals(0, r.exitCode(), r.describe());
            results.add(r);
        }
        return results;
    }

    @Test
    void should_leave_exactly_one_well_formed_block_after_ten_concurrent_runs() throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, ORIGINAL);

        runConcurrently(hosts, 10, false);

        String text = Files.readString(hosts);
        String block = "# BEGIN devk8s minikube\n10\\.0\\.0\\.([0-9]+) traefik-ui\\.minikube prometheus\\.minikube "
                + "grafana\\.minikube jaeger\\.minikube api\\.minikube\n# END devk8s minikube\n";
        var m = Pattern.compile(Pattern.quote(ORIGINAL) + block).matcher(text);
        assertTrue(m.matches(), "not exactly the original plus one block:\n" + text);
        int last = Integer.parseInt(m.group(1));
        assertTrue(last >= 1 && last <= 10, text);
        assertTrue(Pattern.compile(Pattern.quote(ORIGINAL) + "(" + block + ")?").matcher(
                Files.readString(dir.resolve("hosts.devk8s.bak"))).matches(), "the backup is a whole earlier file");
    }

    @Test
    void should_write_once_when_ten_concurrent_runs_ask_for_the_same_block() throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, ORIGINAL);

        List<Processes.Result> results = runConcurrently(hosts, 10, true);

        long updated = results.stream().filter(r -> r.err().contains("hosts: updated")).count();
        long unchanged = results.stream().filter(r -> r.err().contains("hosts: unchanged")).count();
        assertEquals(1, updated, "the lock and the re-read under it make exactly one run write");
        assertEquals(9, unchanged);
        assertEquals(ORIGINAL + "# BEGIN devk8s minikube\n192.168.49.2 traefik-ui.minikube prometheus.minikube "
                + "grafana.minikube jaeger.minikube api.minikube\n# END devk8s minikube\n", Files.readString(hosts));
    }
}
