package io.devk8s.adapter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AtomicWriterTest {
    @TempDir
    Path dir;

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void should_give_a_new_file_the_mode_the_umask_gives_not_0600() throws Exception {
        Path reference = Files.createFile(dir.resolve("reference")); // created the ordinary way, under the same umask
        AtomicWriter.write(Map.of(dir.resolve("new.yaml"), "a: 1\n"));
        assertEquals("a: 1\n", Files.readString(dir.resolve("new.yaml")));
        assertEquals(mode(reference), mode(dir.resolve("new.yaml")));
        assertEquals(List.of("new.yaml", "reference"), names(), "no temporary file left");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rw-r--r--", "rw-------", "rw-rw-r--", "r--r-----", "rwxr-xr-x"})
    void should_keep_the_mode_of_an_existing_file(String perms) throws Exception {
        Path file = Files.writeString(dir.resolve("old.yaml"), "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        AtomicWriter.write(Map.of(file, "new\n"));
        assertEquals("new\n", Files.readString(file));
        assertEquals(perms, mode(file));
    }

    @Test
    void should_write_through_a_symbolic_link_and_keep_the_link() throws Exception {
        Path real = Files.writeString(dir.resolve("real.yaml"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), real.getFileName());
        AtomicWriter.write(Map.of(link, "new\n"));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new\n", Files.readString(real));
    }

    @Test
    void should_refuse_targets_that_are_not_regular_files_before_writing_anything() throws Exception {
        Path first = Files.writeString(dir.resolve("00-a.yaml"), "keep\n");
        Files.createDirectory(dir.resolve("10-b.yaml"));
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(first, "changed\n");
        files.put(dir.resolve("10-b.yaml"), "x\n");
        Devk8sException ex = assertThrows(Devk8sException.class, () -> AtomicWriter.write(files));
        assertEquals(ExitCode.USAGE, ex.exitCode());
        assertEquals(dir.resolve("10-b.yaml") + " exists and is not a regular file (a folder, device or pipe); devk8s "
                + "only replaces regular files: move it away or write somewhere else", ex.getMessage());
        assertEquals("keep\n", Files.readString(first), "nothing written when any target is refused");
        assertTrue(Files.isDirectory(dir.resolve("10-b.yaml")));
        assertEquals(List.of("00-a.yaml", "10-b.yaml"), names());
    }

    @Test
    void should_refuse_a_link_to_nothing() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("dangling.yaml"), dir.resolve("missing"));
        Devk8sException ex = assertThrows(Devk8sException.class, () -> AtomicWriter.write(Map.of(link, "x\n")));
        assertTrue(ex.getMessage().contains("symbolic link to a missing file"), ex.getMessage());
        assertFalse(Files.exists(dir.resolve("missing")));
    }
}
