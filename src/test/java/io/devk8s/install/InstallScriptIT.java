package io.devk8s.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real install.sh with the jar this build produced, the way a newcomer would, into a temp prefix. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InstallScriptIT {
    private static final Path PROJECT = Path.of(System.getProperty("devk8s.project.dir", ".")).toAbsolutePath();
    private static final Path INSTALL_SH = PROJECT.resolve("install.sh");
    private static final Path JAR = Path.of(System.getProperty("devk8s.jar", "target/devk8s.jar")).toAbsolutePath();

    @TempDir
    Path tmp;

    record Run(int exitCode, String out, String err) {
        String describe() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private Path prefix() {
        return tmp.resolve("prefix");
    }

    /** The start-up archives in lib/devk8s, cli first: devk8s-<kind>-<JDK>.jsa (Java 17-24) or .aot (25+). */
    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(prefix().resolve("lib/devk8s"))) {
            return files.filter(f -> f.getFileName().toString().matches("devk8s-.*\\.(jsa|aot)")).sorted().toList();
        }
    }

    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private Map<String, String> baseEnv() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("PREFIX");
        env.remove("DEVK8S_JAVA_OPTS");
        env.put("HOME", tmp.resolve("home").toString());
        env.remove("DEVK8S_DAEMON");
        env.put("XDG_RUNTIME_DIR", runtimeDir().toString()); // the background process's socket: in this test's folder
        return env;
    }

    private Path runtimeDir() {
        try {
            return Files.createDirectories(tmp.resolve("run"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<Path> daemonSockets() throws IOException {
        Path dir = runtimeDir().resolve("devk8s");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".sock")).toList();
        }
    }

    private Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run install(Map<String, String> env, String... extraArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(bash(), INSTALL_SH.toString(), "--prefix", prefix().toString(),
                "--jar", JAR.toString()));
        cmd.addAll(List.of(extraArgs));
        return run(env, cmd.toArray(String[]::new));
    }

    private Run devk8s(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(prefix().resolve("bin/devk8s").toString()));
        cmd.addAll(List.of(args));
        return run(env, cmd.toArray(String[]::new));
    }

    private static String bash() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "bash");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("no bash on PATH");
    }

    @Test
    void should_install_a_launcher_that_prints_the_version_and_help() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "the jar must be built first (mvn verify): " + JAR);
        Run r = install(baseEnv());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().contains("installed devk8s "), r.describe());

        Path bin = prefix().resolve("bin/devk8s");
        assertTrue(Files.isExecutable(bin), "launcher missing");
        assertEquals(Files.size(JAR), Files.size(prefix().resolve("lib/devk8s/devk8s.jar")));
        List<Path> archives = archives();
        assertEquals(2, archives.size(), "one start-up archive per kind of command: " + archives + "\n" + r.describe());
        assertTrue(Files.size(archives.get(0)) > 0, "empty start-up archive: " + r.describe());
        assertTrue(r.out().contains("start-up archive: created"), r.describe());
        assertTrue(Files.isRegularFile(prefix().resolve("share/bash-completion/completions/devk8s")), r.describe());
        // the prefix is not on PATH: the installer says exactly which line to add
        assertTrue(r.out().contains("export PATH=\"" + prefix().resolve("bin") + ":$PATH\""), r.describe());

        Run version = devk8s(baseEnv(), "--version");
        assertEquals(0, version.exitCode(), version.describe());
        Run direct = run(baseEnv(), "java", "-jar", JAR.toString(), "--version");
        assertEquals(direct.out(), version.out(), "the launcher must print what the jar prints");
        assertTrue(version.out().startsWith("devk8s "), version.describe());
        assertFalse(version.out().contains("[warning]"), version.describe());

        Run help = devk8s(baseEnv(), "--help");
        assertEquals(0, help.exitCode(), help.describe());
        assertTrue(help.out().contains("Usage: devk8s"), help.describe());

        // what a newcomer does next: the whole stack, valid Kubernetes, from the installed launcher
        Run stack = devk8s(baseEnv(), "render", "stack");
        assertEquals(0, stack.exitCode(), stack.describe());
        io.devk8s.support.ManifestValidator.check(stack.out()).forEach(problem -> {
            throw new AssertionError("installed devk8s rendered an invalid stack: " + problem);
        });
        for (String host : List.of("traefik-ui.minikube", "prometheus.minikube", "grafana.minikube", "jaeger.minikube")) {
            assertTrue(stack.out().contains("host: " + host), "no Ingress for " + host);
        }
    }

    @Test
    void should_start_from_the_archive_and_pass_DEVK8S_JAVA_OPTS_to_java() throws Exception {
        assertEquals(0, install(baseEnv()).exitCode());
        Map<String, String> env = baseEnv();
        env.put("DEVK8S_JAVA_OPTS", "-Xlog:class+load=info:stdout");
        Run r = devk8s(env, "--version");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().contains("io.devk8s.Devk8s source: shared objects file (top)"),
                "the main class must come from the start-up archive:\n" + r.out().lines()
                        .filter(l -> l.contains("io.devk8s")).limit(5).toList());
        // --version is in the small archive whole: no class comes from the jar (the launcher's -cp and the
        // version constants spare opening its 26,000-entry central directory)
        assertTrue(r.out().contains("io.devk8s.Version source: shared objects file (top)"), r.describe());
        List<String> fromJar = r.out().lines().filter(l -> l.contains("source: file:")).toList();
        assertEquals(List.of(), fromJar, "classes --version loaded from the jar, not the archive");
        assertTrue(r.out().contains("devk8s " + io.devk8s.Version.version() + " (commit "), r.describe());
        // the launcher's one compiler thread is for C1 alone: flags that bring the other tiers back still start
        env.put("DEVK8S_JAVA_OPTS", "-XX:TieredStopAtLevel=4");
        Run tiered = devk8s(env, "--version");
        assertEquals(0, tiered.exitCode(), tiered.describe());
        assertTrue(tiered.out().contains("devk8s " + io.devk8s.Version.version()), tiered.describe());
    }

    @Test
    void should_resolve_a_java_symlink_again_when_it_points_to_another_file_than_at_install_time()
            throws Exception {
        // JAVA_HOME/bin/java is a link to the real java, as /usr/bin/java is (update-alternatives)
        Path realJava = Path.of(ProcessHandle.current().info().command().orElseThrow()).toRealPath();
        Path home = Files.createDirectories(tmp.resolve("jdk/bin")).getParent();
        Path link = Files.createSymbolicLink(home.resolve("bin/java"), realJava);
        Map<String, String> env = baseEnv();
        env.put("JAVA_HOME", home.toString());
        assertEquals(0, install(env).exitCode());
        env.put("DEVK8S_JAVA_OPTS", "-Xlog:class+load=info:stdout");
        Run same = devk8s(env, "--version");
        assertTrue(same.out().contains("io.devk8s.Devk8s source: shared objects file (top)"), same.describe());

        // the link now points to another program (a wrapper that runs the same java): the launcher must not keep
        // the path it resolved at install time, so the archive of that JDK is not the one it picks
        Path wrapper = Files.writeString(Files.createDirectories(tmp.resolve("other/bin")).resolve("java"),
                "#!/bin/sh\nexec '" + realJava + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(link);
        Files.createSymbolicLink(link, wrapper);
        Run other = devk8s(env, "--version");
        assertEquals(0, other.exitCode(), other.describe());
        assertTrue(other.out().contains("io.devk8s.Devk8s source: file:"),
                "an archive was picked for a java that is not the installed one:\n" + other.describe());
    }

    @Test
    void should_pass_commands_on_through_the_jvm_when_installed_without_the_python_client() throws Exception {
        Map<String, String> env = baseEnv();
        env.put("DEVK8S_NO_PYTHON_CLIENT", "1");
        Run install = install(env);
        assertEquals(0, install.exitCode(), install.describe());
        assertTrue(install.out().contains("background process client: the JVM"), install.describe());
        assertFalse(Files.exists(prefix().resolve("lib/devk8s/devk8s-client.py")));
        Run render = devk8s(baseEnv(), "render", "stack");
        assertEquals(0, render.exitCode(), render.describe());
        assertEquals(1, daemonSockets().size(), "no background process socket under " + runtimeDir());
        assertTrue(devk8s(baseEnv(), "daemon", "status").out().contains("1 command served"));
        assertEquals(0, run(baseEnv(), bash(), INSTALL_SH.toString(), "--uninstall", "--prefix",
                prefix().toString()).exitCode());
        assertEquals(List.of(), daemonSockets(), "uninstall stops the background process");
    }

    @Test
    void should_silence_the_stale_archive_warning_on_stdout() throws Exception {
        assertEquals(0, install(baseEnv()).exitCode());
        // an archive that no longer matches: make it newer than the jar but from another class path
        Path jsa = archives().get(0);
        Path otherJar = tmp.resolve("other.jar");
        Files.copy(JAR, otherJar);
        Files.delete(jsa);
        Run train = run(baseEnv(), "java", "-XX:ArchiveClassesAtExit=" + jsa, "-jar", otherJar.toString(), "--help");
        assertEquals(0, train.exitCode(), train.describe());
        Files.setLastModifiedTime(jsa, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        Run r = devk8s(baseEnv(), "--version");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().startsWith("devk8s "), "stdout must hold only the version:\n" + r.describe());
        assertFalse(r.out().contains("shared archive") || r.err().contains("shared archive"), r.describe());
    }

    @Test
    void should_replace_a_previous_installation_and_uninstall_exactly_what_it_installed() throws Exception {
        Path bin = Files.createDirectories(prefix().resolve("bin"));
        Path foreign = Files.writeString(bin.resolve("someone-elses-tool"), "#!/bin/sh\n");

        Run first = install(baseEnv());
        assertEquals(0, first.exitCode(), first.describe());
        Run second = install(baseEnv());
        assertEquals(0, second.exitCode(), second.describe());
        assertEquals(0, devk8s(baseEnv(), "--version").exitCode());
        List<String> manifest = Files.readAllLines(prefix().resolve("lib/devk8s/install-manifest.txt"));
        assertEquals(manifest.stream().distinct().count(), manifest.size(), "duplicates in " + manifest);
        // the installed command passes render (like deploy, up, status) to the background process it starts
        Run render = devk8s(baseEnv(), "render", "stack");
        assertEquals(0, render.exitCode(), render.describe());
        assertEquals(1, daemonSockets().size(), "no background process socket under " + runtimeDir());
        Run daemon = devk8s(baseEnv(), "daemon", "status");
        assertTrue(daemon.out().contains("1 command served"), daemon.describe());
        // with a Python 3 at install time, the launcher passes commands on through the Python client (no JVM)
        if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
            assertTrue(Files.isRegularFile(prefix().resolve("lib/devk8s/devk8s-client.py")));
            assertTrue(second.out().contains("background process client: /usr/bin/python3"), second.describe());
            assertTrue(Files.readString(bin.resolve("devk8s")).contains("PYTHON=/usr/bin/python3"));
            Run viaPython = devk8s(baseEnv(), "render", "stack");
            assertEquals(render.out(), viaPython.out());
            assertTrue(devk8s(baseEnv(), "daemon", "status").out().contains("2 commands served"));
        }

        Run uninstall = run(baseEnv(), bash(), INSTALL_SH.toString(), "--uninstall", "--prefix", prefix().toString());
        assertEquals(0, uninstall.exitCode(), uninstall.describe());
        assertEquals(List.of(), daemonSockets(), "uninstall stops the background process");
        assertFalse(Files.exists(bin.resolve("devk8s")));
        assertFalse(Files.exists(prefix().resolve("lib")), "lib/ was created by the installer");
        assertFalse(Files.exists(prefix().resolve("share")), "share/ was created by the installer");
        assertTrue(Files.exists(foreign), "a file the installer did not create must stay");
        try (Stream<Path> left = Files.walk(prefix())) {
            assertEquals(List.of(prefix(), bin, foreign), left.sorted().toList());
        }

        Run again = run(baseEnv(), bash(), INSTALL_SH.toString(), "--uninstall", "--prefix", prefix().toString());
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.out().contains("nothing to uninstall"), again.describe());
    }

    @Test
    void should_remove_the_missing_parents_it_created_above_the_prefix_but_not_older_ones() throws Exception {
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        Path prefix = existing.resolve("made/by/install");
        Run r = run(baseEnv(), bash(), INSTALL_SH.toString(), "--prefix", prefix.toString(), "--jar", JAR.toString(),
                "--no-cds");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(Files.isExecutable(prefix.resolve("bin/devk8s")));

        Run uninstall = run(baseEnv(), bash(), INSTALL_SH.toString(), "--uninstall", "--prefix", prefix.toString());
        assertEquals(0, uninstall.exitCode(), uninstall.describe());
        assertFalse(Files.exists(existing.resolve("made")), "made/ and below were created by the installer");
        assertTrue(Files.isDirectory(existing), "a folder that existed before install must stay");

        // a created parent that holds something else by now stays
        assertEquals(0, run(baseEnv(), bash(), INSTALL_SH.toString(), "--prefix", prefix.toString(), "--jar",
                JAR.toString(), "--no-cds").exitCode());
        Path foreign = Files.writeString(existing.resolve("made/notes.txt"), "mine\n");
        assertEquals(0, run(baseEnv(), bash(), INSTALL_SH.toString(), "--uninstall", "--prefix",
                prefix.toString()).exitCode());
        try (Stream<Path> left = Files.walk(existing)) {
            assertEquals(List.of(existing, existing.resolve("made"), foreign), left.sorted().toList());
        }
    }

    @Test
    void should_run_the_java_from_JAVA_HOME_then_the_one_checked_at_install_time_before_java_on_PATH()
            throws Exception {
        assertEquals(0, install(baseEnv(), "--no-cds").exitCode());
        Path fakePath = Files.createDirectories(tmp.resolve("fake-path"));
        fakeJava(fakePath.resolve("java"), "a broken java on PATH", 1);
        Map<String, String> env = baseEnv();
        env.remove("JAVA_HOME");
        env.put("PATH", fakePath + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));

        Run checked = devk8s(env, "--version");
        assertEquals(0, checked.exitCode(), checked.describe());
        assertTrue(checked.out().startsWith("devk8s "), checked.describe());
        assertFalse(checked.out().contains("broken"), checked.describe());

        Path home = tmp.resolve("fake-jdk");
        fakeJava(Files.createDirectories(home.resolve("bin")).resolve("java"), "java from JAVA_HOME", 0);
        env.put("JAVA_HOME", home.toString());
        Run fromHome = devk8s(env, "--version");
        assertEquals(0, fromHome.exitCode(), fromHome.describe());
        assertEquals("java from JAVA_HOME\n", fromHome.out(), fromHome.describe());
    }

    private static void fakeJava(Path java, String says, int exitCode) throws IOException {
        Files.writeString(java, "#!/bin/sh\necho '" + says + "'\nexit " + exitCode + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void should_fail_with_one_line_and_write_nothing_when_java_is_missing() throws Exception {
        Map<String, String> env = baseEnv();
        env.put("JAVA_HOME", tmp.resolve("no-such-jdk").toString());
        env.put("PATH", Files.createDirectories(tmp.resolve("empty-path")).toString());
        Run r = install(env);
        assertNotEquals(0, r.exitCode(), r.describe());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.describe());
        assertTrue(r.err().contains("Java 17"), r.describe());
        assertTrue(r.err().contains("JAVA_HOME (" + tmp.resolve("no-such-jdk")), r.describe());
        assertTrue(r.err().contains("apt-get install openjdk-17-jre-headless"), r.describe());
        assertFalse(Files.exists(prefix()), "nothing may be written when Java is missing");
    }

    @Test
    void should_refuse_a_java_older_than_17_with_one_line() throws Exception {
        Path fakeBin = Files.createDirectories(tmp.resolve("old-java/bin"));
        Path java = fakeBin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = baseEnv();
        env.put("JAVA_HOME", fakeBin.getParent().toString());
        Run r = install(env);
        assertNotEquals(0, r.exitCode(), r.describe());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.describe());
        assertTrue(r.err().contains("is Java 11"), r.describe());
        assertFalse(Files.exists(prefix()), "nothing may be written for an old Java");
    }

    @Test
    void should_reject_a_missing_jar_and_an_unknown_option_with_one_line() throws Exception {
        Run missing = run(baseEnv(), bash(), INSTALL_SH.toString(), "--prefix", prefix().toString(),
                "--jar", tmp.resolve("nope.jar").toString());
        assertNotEquals(0, missing.exitCode());
        assertEquals(1, missing.err().strip().lines().count(), missing.describe());
        assertTrue(missing.err().contains("nope.jar: no such file"), missing.describe());

        Run unknown = run(baseEnv(), bash(), INSTALL_SH.toString(), "--frobnicate");
        assertNotEquals(0, unknown.exitCode());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.describe());
        assertTrue(unknown.err().contains("--frobnicate") && unknown.err().contains("--help"), unknown.describe());
        assertFalse(Files.exists(prefix()));
    }

    @Test
    void should_explain_itself_with_help() throws Exception {
        Run r = run(baseEnv(), bash(), INSTALL_SH.toString(), "--help");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().contains("--prefix DIR") && r.out().contains("--uninstall") && r.out().contains("--jar FILE"),
                r.describe());
    }
    @Test
    void should_make_a_missing_archive_in_the_background_and_use_it_on_the_next_run() throws Exception {
        assertEquals(0, install(baseEnv()).exitCode());
        Path archive = archives().get(0);
        Files.delete(archive); // as after a JDK update: no archive for this JDK
        Run first = devk8s(baseEnv(), "--version");
        assertEquals(0, first.exitCode(), first.describe());
        assertEquals(2, first.out().lines().count(), "only the version on stdout: " + first.describe());
        assertEquals("", first.err(), first.describe());
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(archive) && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        assertTrue(Files.size(archive) > 0, "the launcher did not make " + archive);
        Map<String, String> env = baseEnv();
        env.put("DEVK8S_JAVA_OPTS", "-Xlog:class+load=info:stdout");
        Run next = devk8s(env, "--version");
        assertTrue(next.out().contains("io.devk8s.Devk8s source: shared objects file (top)"), next.out().lines()
                .filter(l -> l.contains("io.devk8s")).limit(5).toList().toString());
        assertTrue(next.out().contains("io.devk8s.Version source: shared objects file (top)"), next.out().lines()
                .filter(l -> l.contains("io.devk8s")).limit(5).toList().toString());
        try (Stream<Path> left = Files.list(prefix().resolve("lib/devk8s"))) {
            assertEquals(List.of(), left.filter(f -> f.toString().contains(".tmp")).toList(), "temporary files left");
        }
    }

    @Test
    void should_make_and_use_one_aot_cache_per_kind_of_command_on_java_25_and_remove_all_archives_on_uninstall()
            throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(TEMURIN_25.resolve("bin/java")), "no Java 25 at " + TEMURIN_25);
        Map<String, String> env25 = baseEnv();
        env25.put("JAVA_HOME", TEMURIN_25.toString());
        Run r = install(env25);
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().contains("AOT caches for Java 25"), r.describe());
        List<String> names = archives().stream().map(p -> p.getFileName().toString().replaceAll("-25.*", "")).toList();
        assertEquals(List.of("devk8s-cli", "devk8s-full"), names, r.describe());

        env25.put("DEVK8S_JAVA_OPTS", "-Xlog:class+load=info:stdout");
        Run version = devk8s(env25, "--version");
        assertEquals(0, version.exitCode(), version.describe());
        assertTrue(version.out().contains("io.devk8s.Devk8s source: shared objects file"), version.out().lines()
                .filter(l -> l.contains("io.devk8s")).limit(5).toList().toString());
        assertFalse(version.out().contains("com.hubspot.jinjava") || version.out().contains(" io.fabric8."),
                "--version must not load the full commands' cache");

        // the same installation run with this build's Java: no warning, and the archive for it appears in the background
        env25.remove("DEVK8S_JAVA_OPTS");
        Map<String, String> env17 = baseEnv();
        env17.put("JAVA_HOME", System.getProperty("java.home"));
        Run other = devk8s(env17, "--version");
        assertEquals(0, other.exitCode(), other.describe());
        assertTrue(other.out().startsWith("devk8s ") && other.out().lines().count() == 2, other.describe());
        assertEquals("", other.err(), other.describe());

        Thread.sleep(1000);
        Run uninstall = run(baseEnv(), bash(), INSTALL_SH.toString(), "--uninstall", "--prefix", prefix().toString());
        assertEquals(0, uninstall.exitCode(), uninstall.describe());
        for (int i = 0; i < 240 && Files.exists(prefix().resolve("lib")); i++) {
            Thread.sleep(500); // a background training run may still be writing: uninstall again once it is done
            run(baseEnv(), bash(), INSTALL_SH.toString(), "--uninstall", "--prefix", prefix().toString());
        }
        assertFalse(Files.exists(prefix().resolve("lib")), "archives left behind");
    }
}
