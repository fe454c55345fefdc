package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context rules and the input digest on files in a temp folder; that the daemon receives the same files as
 * from the docker CLI is checked against a real engine in {@link BuildContextIT}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BuildContextTest {
    @TempDir
    Path dir;

    private Path write(String rel, String content) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void should_clean_patterns_like_go_filepath_clean() {
        assertEquals("a/b", DockerIgnore.clean("./a//b/"));
        assertEquals("b", DockerIgnore.clean("a/../b"));
        assertEquals("../x", DockerIgnore.clean("../x"));
        assertEquals("/", DockerIgnore.clean("/.."));
        assertEquals(".", DockerIgnore.clean(""));
        assertEquals(List.of("a", "!b/c", "d"), DockerIgnore.readLines("\uFEFFa\n# comment\n  \n! ./b/c\n/d/\n"));
        // only a # in the first column starts a comment
        assertEquals(List.of("#x"), DockerIgnore.readLines(" #x\n#y\n"));
    }

    @Test
    void should_match_like_docker_patternmatcher() {
        DockerIgnore rules = DockerIgnore.of(List.of("*.txt", "!keep.txt", "**/*.log", "build/**", "docs", "?x",
                "**/tmp"), "test");
        assertTrue(rules.excludes("a.txt"));
        assertFalse(rules.excludes("sub/a.txt"), "* stops at /");
        assertFalse(rules.excludes("keep.txt"));
        assertTrue(rules.excludes("a.log"), "**/ matches no folder too");
        assertTrue(rules.excludes("x/y/z.log"));
        assertTrue(rules.excludes("build/x/y"));
        assertTrue(rules.excludes("docs/deep/file.md"), "a matched folder excludes what is below it");
        assertTrue(rules.excludes("ax"));
        assertFalse(rules.excludes("abx"));
        assertTrue(rules.excludes("tmp"));
        assertTrue(rules.excludes("a/b/tmp/c"));
        assertFalse(rules.excludes("a/btmp"));
        assertTrue(rules.reincludesBelow("") == false);
        DockerIgnore withBang = DockerIgnore.of(List.of("vendor", "!vendor/keep/me.txt"), "test");
        assertTrue(withBang.reincludesBelow("vendor"));
        assertTrue(withBang.reincludesBelow("vendor/keep"));
        assertFalse(withBang.reincludesBelow("other"));
        Devk8sException e = assertThrows(Devk8sException.class, () -> DockerIgnore.of(List.of("!"), ".dockerignore"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith(".dockerignore: illegal exclusion pattern"), e.getMessage());
    }

    @Test
    void should_skip_ignored_folders_but_walk_those_with_a_reinclude_below() throws IOException {
        write("Dockerfile", "FROM scratch\n");
        write(".dockerignore", "vendor\n!vendor/keep/me.txt\nnode_modules\n");
        write("vendor/a.txt", "a");
        write("vendor/keep/me.txt", "me");
        write("vendor/keep/other.txt", "other");
        write("node_modules/x/y.js", "y");
        write("src/main.go", "package main");
        Path unreadable = write("node_modules/x/secret", "s");
        unreadable.toFile().setReadable(false, false);
        // node_modules is not walked at all: an unreadable file below it does not matter
        BuildContext ctx = BuildContext.scan(dir, "Dockerfile");
        assertEquals(List.of(".dockerignore", "Dockerfile", "src", "src/main.go", "vendor/keep/me.txt"), ctx.paths());
    }

    @Test
    void should_always_send_the_dockerfile_and_the_dockerignore_even_when_ignored() throws IOException {
        write("build/Dockerfile", "FROM scratch\n");
        write("build/notes.txt", "n");
        write(".dockerignore", "build\n.dockerignore\n");
        write("app.txt", "app");
        BuildContext ctx = BuildContext.scan(dir, "build/Dockerfile");
        assertEquals(List.of(".dockerignore", "app.txt", "build/Dockerfile"), ctx.paths());
        assertEquals("build/Dockerfile", ctx.dockerfile());
    }

    @Test
    void should_prefer_the_dockerfile_specific_ignore_file() throws IOException {
        write("Dockerfile", "FROM scratch\n");
        write("Dockerfile.dockerignore", "*.md\nDockerfile\n");
        write(".dockerignore", "*.txt\n");
        write("a.txt", "a");
        write("b.md", "b");
        BuildContext ctx = BuildContext.scan(dir, "Dockerfile");
        assertEquals("Dockerfile.dockerignore", ctx.ignoreFile());
        // .dockerignore is an ordinary file here; the Dockerfile goes along although ignored
        assertEquals(List.of(".dockerignore", "Dockerfile", "Dockerfile.dockerignore", "a.txt"), ctx.paths());
    }

    @Test
    void should_carry_the_dockerfile_specific_rules_as_the_tars_dockerignore_so_the_daemon_drops_the_dockerfile()
            throws IOException {
        write("Dockerfile", "FROM scratch\n");
        write("Dockerfile.dockerignore", "Dockerfile\n*.md\n");
        write("b.md", "b");
        write("c.txt", "c");
        BuildContext ctx = BuildContext.scan(dir, "Dockerfile");
        assertEquals(List.of(".dockerignore", "Dockerfile", "Dockerfile.dockerignore", "c.txt"), ctx.paths());
        Map<String, byte[]> tar = untar(ctx);
        assertEquals("Dockerfile\n*.md\n.dockerignore\n", new String(tar.get(".dockerignore"), StandardCharsets.UTF_8));
    }

    @Test
    void should_send_symlinks_as_links_without_following_them_and_keep_modes() throws IOException {
        write("Dockerfile", "FROM scratch\n");
        Path tool = write("real/tool.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("real"));
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("no/such/file"));
        BuildContext ctx = BuildContext.scan(dir, "Dockerfile");
        assertEquals(List.of("Dockerfile", "dangling", "link", "real", "real/tool.sh"), ctx.paths());
        List<TarArchiveEntry> entries = tarEntries(ctx);
        TarArchiveEntry link = entries.stream().filter(e -> e.getName().equals("link")).findFirst().orElseThrow();
        assertTrue(link.isSymbolicLink());
        assertEquals("real", link.getLinkName());
        TarArchiveEntry sh = entries.stream().filter(e -> e.getName().equals("real/tool.sh")).findFirst().orElseThrow();
        assertEquals(0750, sh.getMode() & 07777);
        assertEquals(0, sh.getLongUserId());
        assertTrue(entries.stream().anyMatch(e -> e.getName().equals("real/") && e.isDirectory()));
    }

    @Test
    void should_write_the_same_tar_in_the_same_order_every_time() throws IOException {
        write("Dockerfile", "FROM scratch\n");
        for (int i = 0; i < 50; i++) {
            write("d" + (i % 7) + "/f" + i + ".txt", "content " + i);
        }
        byte[] first = tarBytes(BuildContext.scan(dir, "Dockerfile"));
        byte[] second = tarBytes(BuildContext.scan(dir, "Dockerfile"));
        assertArrayEquals(first, second);
        List<String> names = tarEntries(BuildContext.scan(dir, "Dockerfile")).stream().map(TarArchiveEntry::getName)
                .toList();
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted, names);
    }

    @Test
    void should_stream_a_context_larger_than_the_pipe_through_the_writer_thread() throws IOException {
        write("Dockerfile", "FROM scratch\n");
        byte[] big = new byte[3 * TarStream.PIPE_BUFFER + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Files.write(dir.resolve("big.bin"), big);
        Map<String, byte[]> files = untar(BuildContext.scan(dir, "Dockerfile"));
        assertArrayEquals(big, files.get("big.bin"));
    }

    @Test
    void should_report_a_failing_writer_instead_of_sending_a_cut_tar() throws IOException {
        write("Dockerfile", "FROM scratch\n");
        Path f = write("grows.txt", "short");
        BuildContext ctx = BuildContext.scan(dir, "Dockerfile");
        Files.writeString(f, ""); // shrinks after the scan: the writer must fail, not pad
        try (TarStream in = ctx.openTarStream()) {
            IOException e = assertThrows(IOException.class, () -> in.transferTo(new ByteArrayOutputStream()));
            assertTrue(e.getMessage().contains("changed while devk8s was reading"), e.getMessage());
            assertThrows(Devk8sException.class, in::rethrow);
        }
    }

    @Test
    void should_keep_the_digest_stable_and_change_it_with_one_byte_a_mode_or_the_ignore_rules() throws IOException {
        write("Dockerfile", "FROM scratch\nCOPY . /\n");
        Path main = write("main.go", "package main\n");
        write("ignored/cache.bin", "xyz");
        write(".dockerignore", "ignored\n");
        Map<String, String> args = new LinkedHashMap<>(Map.of("BASE", "busybox"));
        String d1 = BuildContext.scan(dir, "Dockerfile").inputDigest(args, "");
        assertEquals(d1, BuildContext.scan(dir, "Dockerfile").inputDigest(args, ""), "stable across runs");
        assertTrue(d1.matches("[0-9a-f]{64}"), d1);

        write("ignored/cache.bin", "changed");
        assertEquals(d1, BuildContext.scan(dir, "Dockerfile").inputDigest(args, ""), "an ignored file does not count");

        write("main.go", "package mainX\n");
        String d2 = BuildContext.scan(dir, "Dockerfile").inputDigest(args, "");
        assertNotEquals(d1, d2, "one byte changes it");
        write("main.go", "package main\n");
        assertEquals(d1, BuildContext.scan(dir, "Dockerfile").inputDigest(args, ""), "and back");

        Files.setPosixFilePermissions(main, PosixFilePermissions.fromString("rwxr-xr-x"));
        String d3 = BuildContext.scan(dir, "Dockerfile").inputDigest(args, "");
        assertNotEquals(d1, d3, "the mode counts");
        Files.setPosixFilePermissions(main, PosixFilePermissions.fromString("rw-r--r--"));

        write(".dockerignore", "ignored\nmain.go\n");
        String d4 = BuildContext.scan(dir, "Dockerfile").inputDigest(args, "");
        assertNotEquals(d1, d4, "ignored or not counts");
        write(".dockerignore", "ignored\n");

        assertNotEquals(d1, BuildContext.scan(dir, "Dockerfile").inputDigest(Map.of("BASE", "alpine"), ""));
        assertNotEquals(d1, BuildContext.scan(dir, "Dockerfile").inputDigest(args, "final"));
        assertEquals(d1, BuildContext.scan(dir, "Dockerfile").inputDigest(args, ""));
    }

    @Test
    void should_change_the_digest_with_one_byte_of_a_file_whose_digest_the_process_remembers() throws Exception {
        write("Dockerfile", "FROM scratch\nCOPY . /\n");
        write("main.go", "package main\n");
        Thread.sleep(2_100);  // settled: the files' digests are remembered from here on
        String d1 = BuildContext.scan(dir, "Dockerfile").inputDigest(Map.of(), "");
        assertEquals(d1, BuildContext.scan(dir, "Dockerfile").inputDigest(Map.of(), ""));
        write("main.go", "package mainX\n");
        String d2 = BuildContext.scan(dir, "Dockerfile").inputDigest(Map.of(), "");
        assertNotEquals(d1, d2, "one byte changes it");
        Thread.sleep(50);
        write("main.go", "package main\n");
        assertEquals(d1, BuildContext.scan(dir, "Dockerfile").inputDigest(Map.of(), ""), "and back");
    }

    @Test
    void should_give_the_same_digests_when_the_files_were_hashed_ahead() throws IOException {
        write("Dockerfile", "FROM scratch\nCOPY . /\n");
        write("main.go", "package main\n");
        write("sub/data.bin", "x".repeat(200_000));
        BuildContext ahead = BuildContext.scan(dir, "Dockerfile").hashAhead();
        for (int i = 0; i < 2; i++) { // the hashed files are copied for each digest, never consumed
            for (Map<String, String> args : List.of(Map.<String, String>of(), Map.of("BASE", "busybox"))) {
                for (String target : new String[] {"", "final"}) {
                    assertEquals(BuildContext.scan(dir, "Dockerfile").inputDigest(args, target),
                            ahead.inputDigest(args, target), args + " " + target);
                }
            }
        }
    }

    @Test
    void should_fail_in_one_line_for_a_missing_dockerfile_or_one_outside_the_context() throws IOException {
        write("a.txt", "a");
        Devk8sException missing = assertThrows(Devk8sException.class, () -> BuildContext.scan(dir, "Dockerfile"));
        assertEquals(ExitCode.USAGE, missing.exitCode());
        assertTrue(missing.getMessage().contains("no Dockerfile at " + dir.resolve("Dockerfile")), missing.getMessage());
        Devk8sException outside = assertThrows(Devk8sException.class, () -> BuildContext.scan(dir, "../Dockerfile"));
        assertTrue(outside.getMessage().contains("not inside the build context"), outside.getMessage());
    }

    private static byte[] tarBytes(BuildContext ctx) throws IOException {
        try (InputStream in = ctx.openTarStream()) {
            return in.readAllBytes();
        }
    }

    private static List<TarArchiveEntry> tarEntries(BuildContext ctx) throws IOException {
        List<TarArchiveEntry> out = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(ctx.openTarStream())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    private static Map<String, byte[]> untar(BuildContext ctx) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(ctx.openTarStream())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    out.put(e.getName(), tar.readAllBytes());
                }
            }
        }
        return out;
    }
}
