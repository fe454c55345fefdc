package io.devk8s.adapter.template;

import io.devk8s.adapter.fs.PosixAttributes;
import io.devk8s.Devk8sException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a set of text files so that each is either its old content or its new one, never a mix: every file is
 * first written in full to a temporary file beside it, flushed to disk, and then renamed over the target.
 *
 * <ul>
 *   <li>All targets are checked before anything is written: a path that exists and is not a regular file (a
 *       folder, a device, a pipe, a link to nothing) is refused, so nothing the user owns is replaced.</li>
 *   <li>A new file gets the permissions the umask gives (usually 0644), not a temporary file's 0600; an
 *       existing file keeps its permissions and, where the process may, its owner and group.</li>
 *   <li>A symbolic link to a regular file stays a link: the file it points to is replaced.</li>
 *   <li>When a step fails, the temporary files are removed; files already renamed keep their new content.</li>
 * </ul>
 */
public final class AtomicWriter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicWriter() {}

    /** Writes {@code files} (target path to UTF-8 text), in order. Parent folders must exist. */
    public static void write(Map<Path, String> files) throws IOException {
        Map<Path, byte[]> targets = new LinkedHashMap<>();
        for (Map.Entry<Path, String> file : files.entrySet()) {
            targets.put(target(file.getKey()), file.getValue().getBytes(StandardCharsets.UTF_8));
        }
        List<Path> temps = new ArrayList<>();
        try {
            for (Map.Entry<Path, byte[]> file : targets.entrySet()) {
                temps.add(writeTemp(file.getKey(), file.getValue()));
            }
            Set<Path> dirs = new LinkedHashSet<>();
            int i = 0;
            for (Path target : targets.keySet()) {
                move(temps.get(i++), target);
                dirs.add(target.toAbsolutePath().getParent());
            }
            dirs.forEach(AtomicWriter::syncDirectory);
        } finally {
            for (Path temp : temps) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden temporary file is harmless
                }
            }
        }
    }

    /** Where {@code path} is really written: itself, or the regular file a symbolic link points to. */
    private static Path target(Path path) throws IOException {
        Path real = path;
        if (Files.isSymbolicLink(path)) {
            try {
                real = path.toRealPath();
            } catch (NoSuchFileException e) {
                throw Devk8sException.usage(path + " is a symbolic link to a missing file; remove the link or "
                        + "write somewhere else");
            }
        }
        if (Files.exists(real, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw Devk8sException.usage(path + " exists and is not a regular file (a folder, device or pipe); devk8s "
                    + "only replaces regular files: move it away or write somewhere else");
        }
        return real;
    }

    private static Path writeTemp(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        for (int attempt = 0; temp == null; attempt++) {
            Path candidate = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                    + ".tmp");
            try {
                // no permission attributes: the file gets 0666 minus the umask, as any new file would
                FileChannel ch = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                temp = candidate;
                try (ch) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        ch.write(buffer);
                    }
                    ch.force(true);
                }
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 5) {
                    throw e;
                }
            } catch (IOException e) {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
                throw e;
            }
        }
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            keepAttributes(target, temp);
        }
        return temp;
    }

    private static void keepAttributes(Path from, Path to) throws IOException {
        try {
            PosixAttributes.copy(from, to, LinkOption.NOFOLLOW_LINKS);
        } catch (PosixAttributes.OwnerNotKept ignored) {
            // only root may give a file away; the content and permissions are what matter
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can open a folder (Windows); the rename is durable there already
        }
    }
}
