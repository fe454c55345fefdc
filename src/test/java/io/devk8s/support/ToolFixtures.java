package io.devk8s.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Installs the stand-ins under src/test/resources/fixtures/bin other than minikube ({@code kind}, {@code k3d},
 * the credential helper {@code docker-credential-devk8stest}) into a folder a test puts first on PATH; each records
 * its arguments in the log file its header names.
 */
public final class ToolFixtures {
    private ToolFixtures() {}

    /** Copies {@code fixtures/bin/NAME} into {@code bin}, makes it executable and returns its path. */
    public static Path install(Path bin, String name) {
        try (InputStream in = ToolFixtures.class.getResourceAsStream("/fixtures/bin/" + name)) {
            if (in == null) {
                throw new IllegalStateException("fixtures/bin/" + name + " is not on the test class path");
            }
            Files.createDirectories(bin);
            Path exe = bin.resolve(name);
            Files.copy(in, exe, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
            return exe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
