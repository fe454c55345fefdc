package io.devk8s.adapter.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.process.ProcessRunner.Invocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProcessRunnerTest {
    @TempDir
    Path dir;

    private Path script(String name, String body) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private ProcessRunner runner(Map<String, String> vars) {
        return new ProcessRunner(new Environment(vars, dir));
    }

    @Test
    void should_find_executables_on_the_environments_path_not_the_jvms() throws IOException {
        Path tool = script("devk8s-test-tool", "echo hi");
        assertEquals(tool.toAbsolutePath(), runner(Map.of("PATH", "/nonexistent:" + tool.getParent()))
                .which("devk8s-test-tool").orElseThrow());
        assertTrue(runner(Map.of("PATH", "/usr/bin")).which("devk8s-test-tool").isEmpty());
        assertTrue(runner(Map.of()).which("sh").isEmpty(), "no PATH in the Environment means nothing is found");
    }

    @Test
    void should_skip_files_that_are_not_executable() throws IOException {
        Path tool = script("notexec", "echo hi");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(runner(Map.of("PATH", tool.getParent().toString())).which("notexec").isEmpty());
    }

    @Test
    void should_report_a_missing_tool_as_exit_3_with_where_to_get_it() {
        var ex = assertThrows(Devk8sException.class, () -> runner(Map.of("PATH", dir.toString()))
                .locate("frobctl", null, "https://frob.example/install", "--frobctl"));
        assertEquals(ExitCode.PRECONDITION, ex.exitCode());
        assertEquals("frobctl not found on PATH; install it from https://frob.example/install or pass --frobctl PATH",
                ex.getMessage());
    }

    @Test
    void should_reject_an_explicit_path_that_is_not_an_executable() {
        Path missing = dir.resolve("nope/frobctl");
        var ex = assertThrows(Devk8sException.class, () -> runner(Map.of())
                .locate("frobctl", missing, "https://frob.example/install", "--frobctl"));
        assertEquals(ExitCode.PRECONDITION, ex.exitCode());
        assertTrue(ex.getMessage().startsWith("--frobctl " + missing + ": no executable file there"), ex.getMessage());
    }

    @Test
    void should_capture_stdout_stderr_exit_code_and_pass_only_the_environments_variables() throws IOException {
        Path tool = script("tool", "echo \"out $GREETING $1\"; echo \"err ${HOME:-nohome}\" >&2; exit 4");
        var r = runner(Map.of("GREETING", "hello")).run(Invocation.of(tool, "world"));
        assertEquals(4, r.exitCode());
        assertEquals("out hello world\n", r.stdout());
        assertEquals("err nohome\n", r.stderr(), "the JVM's HOME must not leak into the child");
    }

    @Test
    void should_let_an_invocation_add_and_remove_variables() throws IOException {
        Path tool = script("tool", "echo \"${A:-unset} ${B:-unset}\"");
        var r = runner(Map.of("A", "a")).run(Invocation.of(tool).withEnv("A", null).withEnv("B", "b"));
        assertEquals("unset b\n", r.stdout());
    }

    @Test
    void should_stream_merged_output_line_by_line() throws IOException {
        Path tool = script("tool", "echo one; echo two >&2; echo three");
        List<String> lines = new ArrayList<>();
        var r = runner(Map.of()).stream(Invocation.of(tool), lines::add);
        assertTrue(r.ok());
        assertEquals(List.of("one", "two", "three"), lines);
    }

    @Test
    void should_kill_a_process_that_outlives_its_timeout() throws IOException {
        Path tool = script("slow", "sleep 30");
        long t0 = System.nanoTime();
        var ex = assertThrows(Devk8sException.class, () -> runner(Map.of("PATH", "/usr/bin:/bin"))
                .run(Invocation.of(tool).withTimeout(Duration.ofMillis(300))));
        assertEquals(ExitCode.FAILURE, ex.exitCode());
        assertTrue(ex.getMessage().contains("`slow` did not finish within"), ex.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10);
    }

    @Test
    void should_turn_an_unrunnable_file_into_exit_3() throws IOException {
        Path bogus = dir.resolve("bogus");
        Files.writeString(bogus, "not a program");
        Files.setPosixFilePermissions(bogus, PosixFilePermissions.fromString("rw-r--r--"));
        var ex = assertThrows(Devk8sException.class, () -> runner(Map.of()).run(Invocation.of(bogus)));
        assertEquals(ExitCode.PRECONDITION, ex.exitCode());
        assertFalse(ex.getMessage().contains("\n"));
    }

    @Test
    void should_run_with_the_terminal_attached_in_its_environment_and_return_the_exit_code() throws IOException {
        Path exe = script("tool", "test -t 0 || true; pwd > \"$OUT\"; echo \"$GREETING $1\" >> \"$OUT\"; exit 7");
        Path out = dir.resolve("out.txt");
        int code = runner(Map.of("PATH", "/usr/bin:/bin", "OUT", out.toString(), "GREETING", "hello"))
                .inheritTerminal(Invocation.of(exe, "world").withEnv("GREETING", "hi"));
        assertEquals(7, code);
        assertEquals(List.of(dir.toRealPath().toString(), "hi world"), Files.readAllLines(out),
                "the working directory and variables of the environment, with the invocation's own on top");
    }

    @Test
    void should_fail_in_one_line_when_the_terminal_mode_cannot_start_the_program() throws IOException {
        Path notExecutable = Files.writeString(dir.resolve("plain"), "text");
        var e = assertThrows(Devk8sException.class,
                () -> runner(Map.of()).inheritTerminal(Invocation.of(notExecutable)));
        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertTrue(e.getMessage().startsWith("couldn't run " + notExecutable), e.getMessage());
    }
}
