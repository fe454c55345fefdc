package io.devk8s.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs commands as separate processes with the environment given, for tests that need real processes. */
public final class Processes {
    private Processes() {}

    public record Result(int exitCode, String out, String err) {
        public String describe() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    /** The {@code java} of the JVM running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -jar target/devk8s.jar}, with a quick start. */
    public static List<String> devk8s() {
        String jar = System.getProperty("devk8s.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property devk8s.jar does not name the packaged jar: " + jar);
        }
        return List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-jar", jar);
    }

    public static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** Starts the command with exactly this environment; stdout and stderr go to files under {@code dir}. */
    public static Process start(List<String> command, Map<String, String> env, Path dir, String name)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve(name + ".out").toFile());
        pb.redirectError(dir.resolve(name + ".err").toFile());
        return pb.start();
    }

    public static Result finish(Process p, Path dir, String name, long timeoutSeconds)
            throws IOException, InterruptedException {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            // what it printed and where its processes stand, for a hang seen only on a loaded machine
            String processes = processTree();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError(name + " did not finish within " + timeoutSeconds + " s; its output:\n"
                    + tail(dir.resolve(name + ".out")) + "\nits errors:\n" + tail(dir.resolve(name + ".err"))
                    + "\nprocesses:\n" + processes);
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(" + e + ")";
        }
    }

    private static String processTree() {
        try {
            Process ps = new ProcessBuilder("ps", "-eo", "pid,ppid,pgid,sid,stat,args").redirectErrorStream(true)
                    .start();
            String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ps.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "(" + e + ")";
        }
    }

    public static Result run(List<String> command, Map<String, String> env, Path dir, String name)
            throws IOException, InterruptedException {
        return finish(start(command, env, dir, name), dir, name, 120);
    }
}
