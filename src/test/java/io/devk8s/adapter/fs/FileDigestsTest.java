package io.devk8s.adapter.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which files are read again, on real files in a temp folder. The clock is moved ahead where a test needs the
 * files to count as settled, as they would be for a file written more than two seconds before a deploy.
 */
class FileDigestsTest {
    @TempDir
    Path dir;

    private final byte[] buffer = new byte[8];  // smaller than the files: several reads per file
    private long now = System.currentTimeMillis() + 60_000;
    private final FileDigests digests = new FileDigests(() -> now, FileDigests.MAX_FILES);

    @Test
    void should_read_a_settled_file_once_and_give_its_sha256() throws Exception {
        Path f = write("a.txt", "hello, world, hello");
        byte[] first = digests.sha256(f, Files.size(f), buffer);
        assertArrayEquals(sha256("hello, world, hello"), first);
        assertArrayEquals(first, digests.sha256(f, Files.size(f), buffer));
        assertArrayEquals(first, digests.sha256(dir.resolve(".").resolve("a.txt"), Files.size(f), buffer),
                "the same file by another spelling");
        assertEquals(1, digests.reads());
        first[0] ^= 1;  // a caller changing what it got changes nothing remembered
        assertArrayEquals(sha256("hello, world, hello"), digests.sha256(f, Files.size(f), buffer));
    }

    @Test
    void should_read_again_a_file_rewritten_with_the_same_size_and_its_old_modification_time() throws Exception {
        Path f = write("a.txt", "version 1");
        FileTime modified = Files.getLastModifiedTime(f);
        digests.sha256(f, 9, buffer);
        Thread.sleep(50);  // past the kernel's timestamp tick: the change time moves
        Files.writeString(f, "version 2");
        Files.setLastModifiedTime(f, modified);
        assertArrayEquals(sha256("version 2"), digests.sha256(f, 9, buffer));
        assertEquals(2, digests.reads());
    }

    @Test
    void should_read_again_a_file_replaced_by_another_one() throws Exception {
        Path f = write("a.txt", "first");
        digests.sha256(f, 5, buffer);
        Path other = write("b.txt", "other");
        Files.move(other, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertArrayEquals(sha256("other"), digests.sha256(f, 5, buffer));
        assertEquals(2, digests.reads());
    }

    @Test
    void should_not_remember_a_file_changed_within_two_seconds_of_reading_it() throws Exception {
        now = System.currentTimeMillis();
        Path f = write("a.txt", "fresh");
        digests.sha256(f, 5, buffer);
        digests.sha256(f, 5, buffer);
        assertEquals(2, digests.reads(), "a second write in the same timestamp tick would look the same");
        now += 5_000;
        digests.sha256(f, 5, buffer);
        digests.sha256(f, 5, buffer);
        assertEquals(3, digests.reads(), "remembered once it has settled");
    }

    @Test
    void should_fail_for_a_file_of_another_size_than_listed() throws Exception {
        Path f = write("a.txt", "12345");
        assertThrows(FileDigests.SizeChanged.class, () -> digests.sha256(f, 4, buffer));
        assertThrows(FileDigests.SizeChanged.class, () -> digests.sha256(f, 6, buffer));
        assertArrayEquals(sha256("12345"), digests.sha256(f, 5, buffer));
    }

    @Test
    void should_read_every_file_again_after_clear() throws Exception {
        Path a = write("a.txt", "a");
        Path b = write("b.txt", "b");
        digests.sha256(a, 1, buffer);
        digests.sha256(b, 1, buffer);
        digests.clear();
        digests.sha256(a, 1, buffer);
        digests.sha256(b, 1, buffer);
        assertEquals(4, digests.reads());
    }

    @Test
    void should_forget_the_least_recently_used_file_beyond_the_bound() throws Exception {
        assertFalse(FileDigests.MAX_FILES < 20_000, "a context of 20,000 files is remembered whole");
        FileDigests two = new FileDigests(() -> now, 2);
        Path a = write("a.txt", "a");
        Path b = write("b.txt", "b");
        Path c = write("c.txt", "c");
        two.sha256(a, 1, buffer);
        two.sha256(b, 1, buffer);
        two.sha256(a, 1, buffer);  // a used last: b goes when c comes
        two.sha256(c, 1, buffer);
        assertEquals(3, two.reads());
        two.sha256(a, 1, buffer);
        two.sha256(c, 1, buffer);
        assertEquals(3, two.reads(), "a and c remembered");
        assertArrayEquals(sha256("b"), two.sha256(b, 1, buffer));
        assertEquals(4, two.reads(), "b read again");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
