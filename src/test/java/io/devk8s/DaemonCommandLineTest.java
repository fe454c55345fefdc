package io.devk8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background process's JVM options: which compiler compiles what, and that this JVM accepts them. */
class DaemonCommandLineTest {
    @TempDir
    Path dir;

    private DaemonPaths paths() {
        return new DaemonPaths(dir, dir.resolve("p.sock"), dir.resolve("p.log"), dir.resolve("devk8s.jar"), "id");
    }

    @Test
    void should_give_c2_only_the_jdk_crypto_and_digests_in_a_directives_file_this_jvm_accepts() throws Exception {
        List<String> cmd = DaemonClient.command(paths(), Map.of());
        Path file = dir.resolve("compiler-directives.json");
        assertTrue(cmd.contains("-XX:+UnlockDiagnosticVMOptions"), cmd.toString());
        assertTrue(cmd.contains("-XX:CompilerDirectivesFile=" + file), cmd.toString());
        assertEquals(DaemonClient.COMPILER_DIRECTIVES, Files.readString(file));
        Files.writeString(file, "[ stale ]");
        DaemonClient.command(paths(), Map.of());
        assertEquals(DaemonClient.COMPILER_DIRECTIVES, Files.readString(file), "written again when it differs");

        // the JVM refuses to start on a directives file it cannot parse: this one must parse
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + file, "-version")
                .redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes());
        assertTrue(java.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, java.exitValue(), out);
        assertTrue(out.contains("2 compiler directives added"), out);
    }

    @Test
    void should_leave_the_compilers_to_devk8s_java_opts_when_they_choose_them() {
        for (String opts : new String[] {"-XX:TieredStopAtLevel=1", "-XX:-TieredCompilation",
                "-XX:CompilationMode=quick-only"}) {
            List<String> cmd = DaemonClient.command(paths(), Map.of("DEVK8S_JAVA_OPTS", opts));
            assertFalse(cmd.stream().anyMatch(a -> a.startsWith("-XX:CompilerDirectivesFile=")), cmd.toString());
            assertTrue(cmd.contains(opts), cmd.toString());
        }
        assertFalse(Files.exists(dir.resolve("compiler-directives.json")));
    }
}
