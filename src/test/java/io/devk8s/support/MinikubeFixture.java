package io.devk8s.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Installs the {@code minikube} stand-in (src/test/resources/fixtures/bin/minikube) into a test folder, so
 * a test can put that folder first on PATH. Copying keeps the test independent of whether the build kept
 * the file's executable bit.
 */
public final class MinikubeFixture {
    private MinikubeFixture() {}

    /** Copies the fixture to {@code dir/bin/minikube}, makes it executable and returns {@code dir/bin}. */
    public static Path install(Path dir) {
        try (InputStream in = MinikubeFixture.class.getResourceAsStream("/fixtures/bin/minikube")) {
            if (in == null) {
                throw new IllegalStateException("fixtures/bin/minikube is not on the test class path");
            }
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Path exe = bin.resolve("minikube");
            Files.copy(in, exe, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
            return bin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PATH with {@code bin} first, then only the system folders the fixture needs (bash, cat, ...). */
    public static String pathWith(Path bin) {
        return bin + ":/usr/local/bin:/usr/bin:/bin";
    }

    /** The argument lines the fixture logged, one per invocation. */
    public static List<String> calls(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
