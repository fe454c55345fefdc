package io.devk8s.adapter.hosts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.devk8s.adapter.hosts.HostsFile.Strategy;
import io.devk8s.support.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a process that rewrites the hosts file in a loop with SIGKILL ({@link Process#destroyForcibly()}) at
 * random moments and checks, each time, that the file holds exactly the old or the new bytes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostsCrashIT {
    private static final int TRIALS = 100;
    private static final String PROFILE = "minikube";
    private static final String IP_A = "192.168.100.100";
    private static final String IP_B = "10.0.0.1";
    private static final String BASE = "# static table\r\n127.0.0.1 localhost\r\n\r\n"
            + "# profile.on awesome\r\n10.9.9.9 awesome.local\r\n# end\r\n::1 localhost";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"RENAME", "IN_PLACE"})
    void should_leave_the_old_or_the_new_content_whenever_the_writer_is_killed(Strategy strategy) throws Exception {
        // the two contents the writer alternates between, computed by the same code on a scratch copy
        Path scratch = dir.resolve("scratch").resolve("hosts");
        Files.createDirectories(scratch.getParent());
        Files.writeString(scratch, BASE);
        List<String> names = List.of("traefik-ui.minikube", "prometheus.minikube", "grafana.minikube");
        HostsFile sample = new HostsFile(scratch, strategy);
        sample.apply(PROFILE, IP_A, names);
        byte[] a = Files.readAllBytes(scratch);
        sample.apply(PROFILE, IP_B, names);
        byte[] b = Files.readAllBytes(scratch);
        sample.apply(PROFILE, IP_A, names);
        assertArrayEquals(a, Files.readAllBytes(scratch), "the writer must alternate between two fixed contents");

        AtomicInteger sawA = new AtomicInteger();
        AtomicInteger sawB = new AtomicInteger();
        AtomicInteger midWrite = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> trials = new ArrayList<>();
            for (int t = 0; t < TRIALS; t++) {
                int trial = t;
                trials.add(pool.submit(() -> {
                    byte[] after = killedWriter(strategy, trial, a, midWrite);
                    if (Arrays.equals(after, a)) {
                        sawA.incrementAndGet();
                    } else if (Arrays.equals(after, b)) {
                        sawB.incrementAndGet();
                    } else {
                        fail("trial " + trial + ": the file is neither the old nor the new content:\n"
                                + new String(after, StandardCharsets.ISO_8859_1));
                    }
                    assertNextRunConverges(strategy, trial, a);
                    return null;
                }));
            }
            for (Future<?> f : trials) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("%s: %d kills, old content %d, new content %d, killed with a temp file written %d%n",
                strategy, TRIALS, sawA.get(), sawB.get(), midWrite.get());
        assertEquals(TRIALS, sawA.get() + sawB.get());
        assertTrue(sawA.get() > 0 && sawB.get() > 0,
                "kills should land in both phases of the loop: old " + sawA + ", new " + sawB);
    }

    private byte[] killedWriter(Strategy strategy, int trial, byte[] initial, AtomicInteger midWrite)
            throws Exception {
        Path trialDir = Files.createDirectories(dir.resolve("trial-" + trial));
        Path hosts = trialDir.resolve("hosts");
        Files.write(hosts, initial);
        List<String> command = List.of(Processes.java(), "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), HostsWriterLoop.class.getName(),
                hosts.toString(), strategy.name(), PROFILE, IP_A, IP_B);
        Process writer = new ProcessBuilder(command).redirectError(trialDir.resolve("err").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            if (!"ready".equals(line)) {
                writer.destroyForcibly().waitFor();
                fail("writer did not start: " + line + "\n" + Files.readString(trialDir.resolve("err")));
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 60));
            writer.destroyForcibly();
            assertTrue(writer.waitFor(20, TimeUnit.SECONDS));
        }
        byte[] after = Files.readAllBytes(hosts);
        if (Files.exists(trialDir.resolve("hosts.devk8s.tmp"))
                || Files.exists(trialDir.resolve("hosts.devk8s.bak.devk8s.tmp"))) {
            midWrite.incrementAndGet();
        }
        byte[] backup = Files.readAllBytes(new HostsFile(hosts).backupPath());
        assertTrue(backup.length > 0, "backup written before the first change");
        return after;
    }

    /** The next run after a kill finds the lock free, replaces any stale temp file and converges. */
    private void assertNextRunConverges(Strategy strategy, int trial, byte[] initial) throws IOException {
        Path hosts = dir.resolve("trial-" + trial).resolve("hosts");
        new HostsFile(hosts, strategy).apply(PROFILE, IP_A,
                List.of("traefik-ui.minikube", "prometheus.minikube", "grafana.minikube"));
        assertArrayEquals(initial, Files.readAllBytes(hosts), "trial " + trial + ": the next run converges");
    }
}
