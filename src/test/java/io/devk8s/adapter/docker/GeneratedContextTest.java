package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build context made in memory: a generated Dockerfile plus files from anywhere, nothing else of their folders. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GeneratedContextTest {
    @TempDir
    Path dir;

    @Test
    void holds_the_dockerfile_and_the_named_files_only_with_the_given_mode_and_no_times() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("mytool"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(bin.resolve("other"), "not sent");
        Path link = Files.createSymbolicLink(dir.resolve("link"), tool);

        BuildContext ctx = BuildContext.generated("FROM scratch\nCOPY tools/mytool /x\n",
                Map.of("tools/mytool", link), 0755);

        assertEquals(List.of("Dockerfile", "tools", "tools/mytool"), ctx.paths());
        assertEquals("Dockerfile", ctx.dockerfile());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ctx.writeTar(out);
        List<String> seen = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String content = e.isFile() ? new String(tar.readAllBytes(), StandardCharsets.UTF_8) : "";
                seen.add(e.getName() + " " + Integer.toOctalString(e.getMode() & 07777) + " "
                        + e.getModTime().getTime() + " " + content.length());
                if (e.getName().equals("tools/mytool")) {
                    assertEquals("#!/bin/sh\necho hi\n", content, "the link is followed");
                }
            }
        }
        assertEquals(List.of("Dockerfile 644 0 34", "tools/ 755 0 0", "tools/mytool 755 0 18"), seen);
    }

    @Test
    void its_digest_follows_the_content_of_the_dockerfile_and_the_files() throws Exception {
        Path tool = Files.writeString(dir.resolve("mytool"), "v1");
        String first = BuildContext.generated("FROM a\n", Map.of("tools/mytool", tool), 0755).inputDigest(Map.of(), "");
        Files.setLastModifiedTime(tool, java.nio.file.attribute.FileTime.fromMillis(12345));
        assertEquals(first, BuildContext.generated("FROM a\n", Map.of("tools/mytool", tool), 0755)
                .inputDigest(Map.of(), ""), "times do not count");
        assertNotEquals(first, BuildContext.generated("FROM b\n", Map.of("tools/mytool", tool), 0755)
                .inputDigest(Map.of(), ""));
        Files.writeString(tool, "v2");
        assertNotEquals(first, BuildContext.generated("FROM a\n", Map.of("tools/mytool", tool), 0755)
                .inputDigest(Map.of(), ""));
    }

    @Test
    void a_missing_file_or_a_folder_is_named_in_one_line() {
        Devk8sException missing = assertThrows(Devk8sException.class, () -> BuildContext.generated("FROM a\n",
                Map.of("tools/x", dir.resolve("nope")), 0755));
        assertEquals(ExitCode.USAGE, missing.exitCode());
        assertTrue(missing.getMessage().equals(dir.resolve("nope") + " does not exist"), missing.getMessage());

        Devk8sException folder = assertThrows(Devk8sException.class, () -> BuildContext.generated("FROM a\n",
                Map.of("tools/x", dir), 0755));
        assertTrue(folder.getMessage().contains("is not a regular file"), folder.getMessage());
    }
}
