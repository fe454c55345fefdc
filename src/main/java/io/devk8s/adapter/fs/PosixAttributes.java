package io.devk8s.adapter.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Carries a file's permissions, owner and group over to the file that replaces it (a temp file renamed over the
 * original), as both writers of devk8s do: the render output and the hosts file.
 */
public final class PosixAttributes {
    private PosixAttributes() {}

    /**
     * Copies the permissions of {@code from} to {@code to}, then its owner and group where they differ. Does
     * nothing where the file system has no POSIX attributes or {@code from} does not exist.
     *
     * @throws OwnerNotKept when the permissions were copied but the owner or group could not be (only root may
     *                      give a file away); the caller decides whether that matters
     */
    public static void copy(Path from, Path to, LinkOption... options) throws IOException {
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class, options);
        PosixFileAttributeView dest = Files.getFileAttributeView(to, PosixFileAttributeView.class, options);
        if (source == null || dest == null || !Files.exists(from, options)) {
            return;
        }
        PosixFileAttributes attrs = source.readAttributes();
        dest.setPermissions(attrs.permissions());
        try {
            PosixFileAttributes now = dest.readAttributes();
            if (!now.owner().equals(attrs.owner())) {
                dest.setOwner(attrs.owner());
            }
            if (!now.group().equals(attrs.group())) {
                dest.setGroup(attrs.group());
            }
        } catch (IOException e) {
            throw new OwnerNotKept(e);
        }
    }

    /** The owner or group of the replaced file could not be given to its replacement. */
    public static final class OwnerNotKept extends IOException {
        OwnerNotKept(IOException cause) {
            super(cause);
        }
    }
}
