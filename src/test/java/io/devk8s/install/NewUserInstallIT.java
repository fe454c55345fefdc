package io.devk8s.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way a new user installs devk8s, end to end: {@code git clone} of this repository into a temp folder,
 * {@code ./install.sh --prefix <fresh folder>} (which builds the jar with Maven in the clone), then
 * {@code devk8s --version}, {@code devk8s completion bash|zsh}, the installed completion files and start-up archive,
 * a second install over the first (same files, no errors), a run on another JDK than the one the archive was made
 * with (no JVM warning, still working) and {@code install.sh --uninstall} (nothing left in the prefix).
 *
 * <p>The clone holds what is committed (HEAD), not uncommitted edits. Maven builds offline from the local repository
 * the surrounding build filled ({@code settings.xml} in the temp HOME points at it), so no network is needed. The
 * second JDK is looked for under {@code /usr/lib/jvm} (or {@code devk8s.otherJdk}); without one the test fails
 * and says so, because the archive's behaviour on another JDK is half of what it is there to show.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NewUserInstallIT {
    private static final Path PROJECT = Path.of(System.getProperty("devk8s.project.dir", ".")).toAbsolutePath();
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");

    @TempDir
    Path tmp;

    record Run(int exitCode, String out, String err) {
        String describe() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private Run run(int minutes, Map<String, String> env, Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out after " + minutes + " min: " + String.join(" ", command));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A new user's environment: their own HOME, no PREFIX or JVM options, Maven offline on the local repository. */
    private Map<String, String> newUser() throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("MAVEN_") || k.startsWith("DEVK8S_") || k.equals("PREFIX")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path repo = Path.of(System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        Files.writeString(Files.createDirectories(home.resolve(".m2")).resolve("settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  <offline>true</offline>
                </settings>
                """.formatted(repo));
        env.put("HOME", home.toString());
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString());
        return env;
    }

    @Test
    void should_install_from_a_clean_clone_reinstall_run_on_another_jdk_and_uninstall_without_a_trace()
            throws Exception {
        Map<String, String> env = newUser();
        Path clone = tmp.resolve("devk8s");
        Run cloned = run(5, env, tmp, "git", "clone", "-q", PROJECT.toString(), clone.toString());
        assertEquals(0, cloned.exitCode(), cloned.describe());
        Path prefix = tmp.resolve("fresh-prefix");

        // install, building from the clone
        Run install = run(20, env, clone, "bash", "./install.sh", "--prefix", prefix.toString());
        assertEquals(0, install.exitCode(), install.describe());
        assertTrue(install.out().contains("installed devk8s "), install.describe());
        assertEquals("", install.err(), "a clean install prints nothing on stderr");
        Path bash = prefix.resolve("share/bash-completion/completions/devk8s");
        Path zsh = prefix.resolve("share/zsh/site-functions/_devk8s");
        assertTrue(install.out().contains(bash.toString()) && install.out().contains(zsh.toString()),
                "install.sh names both completion files: " + install.describe());
        assertTrue(install.out().contains("fpath=(" + zsh.getParent() + " $fpath)")
                        || install.out().contains("zsh finds it"), "install.sh says how to enable zsh completion");
        assertTrue(install.out().contains("source " + bash), "install.sh says how to enable bash completion");
        Run status = run(1, env, clone, "git", "status", "--porcelain");
        assertEquals("", status.out(), "installing must leave the clone as it was (build output is ignored)");

        Path devk8s = prefix.resolve("bin/devk8s");
        Run version = run(2, env, tmp, devk8s.toString(), "--version");
        assertEquals(0, version.exitCode(), version.describe());
        assertTrue(version.out().startsWith("devk8s "), version.describe());
        assertEquals("", version.err(), version.describe());

        for (String[] shell : List.of(new String[] {"bash", "devk8s.bash"}, new String[] {"zsh", "_devk8s"})) {
            Run script = run(2, env, tmp, devk8s.toString(), "completion", shell[0]);
            assertEquals(0, script.exitCode(), script.describe());
            assertEquals(Files.readString(clone.resolve("completions").resolve(shell[1])), script.out(),
                    "devk8s completion " + shell[0] + " prints the committed script");
        }
        assertEquals(Files.readString(clone.resolve("completions/devk8s.bash")), Files.readString(bash));
        assertEquals(Files.readString(clone.resolve("completions/_devk8s")), Files.readString(zsh));

        // the start-up archive: whatever install.sh makes of it (AppCDS .jsa, AOT cache .aot), next to the jar
        List<Path> archives = archives(prefix);
        assertFalse(archives.isEmpty(), "no start-up archive under " + prefix.resolve("lib/devk8s") + ": "
                + install.describe());

        // the same install again: the same files, no errors
        Map<String, String> before = listing(prefix);
        Run again = run(20, env, clone, "bash", "./install.sh", "--prefix", prefix.toString());
        assertEquals(0, again.exitCode(), again.describe());
        assertEquals("", again.err(), again.describe());
        Map<String, String> after = listing(prefix);
        assertEquals(before.keySet(), after.keySet(), "a second install must leave the same files");
        before.forEach((file, digest) -> {
            if (!file.matches(".*\\.(jsa|aot)$")) {   // archives are re-made: same file, new content
                assertEquals(digest, after.get(file), file + " changed on a second install of the same clone");
            }
        });
        List<String> manifest = Files.readAllLines(prefix.resolve("lib/devk8s/install-manifest.txt"));
        assertEquals(manifest.stream().distinct().count(), manifest.size(), "duplicates in " + manifest);

        // another JDK than the archive was made for: no JVM warning, still works
        int installedMajor = major(installJava(env));
        Path other = otherJdk(installedMajor).orElseThrow(() -> new AssertionError(
                "no second JDK (other than Java " + installedMajor + ") under /usr/lib/jvm: this test runs devk8s on "
                        + "a JDK the start-up archive was not made for; install one (e.g. Temurin 25) or point "
                        + "-Ddevk8s.otherJdk=DIR at it"));
        Map<String, String> otherEnv = new HashMap<>(env);
        otherEnv.put("JAVA_HOME", other.toString());
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"render", "stack"})) {
            List<String> cmd = new ArrayList<>(List.of(devk8s.toString()));
            cmd.addAll(List.of(args));
            Run r = run(3, otherEnv, tmp, cmd.toArray(String[]::new));
            assertEquals(0, r.exitCode(), "on " + other + ": " + r.describe());
            assertEquals("", r.err(), "no JVM warning on " + other + ": " + r.describe());
            assertFalse(r.out().toLowerCase().contains("warning") || r.out().contains("shared archive"),
                    "on " + other + ": " + r.describe());
        }

        // uninstall: nothing left in the prefix (which install.sh created, so it goes too)
        Run uninstall = run(2, env, clone, "bash", "./install.sh", "--uninstall", "--prefix", prefix.toString());
        assertEquals(0, uninstall.exitCode(), uninstall.describe());
        assertEquals("", uninstall.err(), uninstall.describe());
        if (Files.exists(prefix)) {
            try (Stream<Path> left = Files.walk(prefix)) {
                fail("left behind after --uninstall: " + left.toList());
            }
        }
    }

    private static List<Path> archives(Path prefix) throws IOException {
        try (Stream<Path> files = Files.walk(prefix.resolve("lib/devk8s"))) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches(".*\\.(jsa|aot)$"))
                    .filter(f -> f.toFile().length() > 0).toList();
        }
    }

    /**
     * Every file under the prefix with the SHA-256 of its content; for a jar, of its entries' names and contents
     * (a rebuilt jar differs in its entries' timestamps only).
     */
    private static Map<String, String> listing(Path prefix) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(prefix)) {
            for (Path p : walk.toList()) {
                String key = prefix.relativize(p).toString() + (Files.isDirectory(p) ? "/" : "");
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                if (Files.isDirectory(p)) {
                    files.put(key, "");
                    continue;
                }
                if (p.toString().endsWith(".jar")) {
                    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(p.toFile())) {
                        zip.stream().map(e -> e.getName() + " " + e.getCrc() + "\n").sorted()
                                .forEach(line -> sha.update(line.getBytes(StandardCharsets.UTF_8)));
                    }
                } else {
                    sha.update(Files.readAllBytes(p));
                }
                files.put(key, HexFormat.of().formatHex(sha.digest()));
            }
        }
        return files;
    }

    /** The java install.sh checks: JAVA_HOME's, else the one on PATH. */
    private static Path installJava(Map<String, String> env) throws IOException {
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && Files.isExecutable(Path.of(javaHome, "bin/java"))) {
            return Path.of(javaHome, "bin/java").toRealPath();
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path java = Path.of(dir, "java");
            if (Files.isExecutable(java)) {
                return java.toRealPath();
            }
        }
        throw new AssertionError("no java on PATH");
    }

    /** A JDK (or JRE) of another major version: -Ddevk8s.otherJdk, else the first such under /usr/lib/jvm. */
    private static Optional<Path> otherJdk(int notMajor) throws Exception {
        String given = System.getProperty("devk8s.otherJdk");
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            for (Path dir : dirs.sorted().toList()) {
                Path java = dir.resolve("bin/java");
                if (!Files.isSymbolicLink(dir) && Files.isExecutable(java) && major(java) != notMajor) {
                    return Optional.of(dir);
                }
            }
        }
        return Optional.empty();
    }

    private static int major(Path java) throws Exception {
        Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(1, TimeUnit.MINUTES);
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            throw new AssertionError("cannot read the version of " + java + ": " + out);
        }
        int major = Integer.parseInt(m.group(1));
        return major == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : major;
    }
}
