package io.devk8s.adapter.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * SHA-256 of files' content, remembered by each file's identity and status: a file whose device, inode, size,
 * modification time and change time are the same as when it was read is not read again. In the background process
 * this spares reading a large build context on every deploy; in a process of its own it is a map that lives as
 * long as one command.
 *
 * <p>The status change time ({@code ctime}) moves on every write and cannot be set back, so content written again
 * with the old modification time restored is still noticed. As git does for its index, a file changed less than
 * {@link #SETTLE_MILLIS} before it was read is not remembered: a second write within the file system's timestamp
 * granularity could leave every field the same. Where the file system gives no {@code unix} attributes (no inode
 * or change time), nothing is remembered and every file is read.
 */
public final class FileDigests {
    /** A file changed this recently when read is hashed again next time. */
    static final long SETTLE_MILLIS = 2_000;

    /** At most this many files are remembered, the least recently used dropped first (about 300 bytes each). */
    static final int MAX_FILES = 50_000;

    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

    private static final FileDigests SHARED = new FileDigests(System::currentTimeMillis, MAX_FILES);

    private record Stamp(Object dev, Object ino, long size, FileTime modified, FileTime changed) {}

    private record Known(Stamp stamp, byte[] digest) {}

    private final LongSupplier clock;
    private final Map<Path, Known> known;
    private long reads;

    FileDigests(LongSupplier clock, int maxFiles) {
        this.clock = clock;
        this.known = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, Known> eldest) {
                return size() > maxFiles;
            }
        };
    }

    /** The one the process shares. */
    public static FileDigests shared() {
        return SHARED;
    }

    /** Thrown when a file's size is not the one expected, or changes while it is read. */
    public static final class SizeChanged extends IOException {
        SizeChanged(Path file) {
            super(file + " changed while it was read");
        }
    }

    /**
     * The SHA-256 of {@code file}'s content (32 bytes), read with {@code buffer} unless the file is remembered
     * unchanged. Links are not followed.
     *
     * @param size the size the caller listed the file with; a file of another size fails with {@link SizeChanged}
     */
    public byte[] sha256(Path file, long size, byte[] buffer) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        Stamp before = stamp(key);
        if (before != null && before.size() != size) {
            throw new SizeChanged(file);
        }
        if (before != null) {
            Known k;
            synchronized (known) {
                k = known.get(key);
            }
            if (k != null && k.stamp().equals(before)) {
                return k.digest().clone();
            }
        }
        long start = clock.getAsLong();
        byte[] digest = read(file, size, buffer);
        if (before != null && settled(before, start)) {
            synchronized (known) {
                known.put(key, new Known(before, digest.clone()));
            }
        }
        return digest;
    }

    /** How many files were read (not answered from memory) since this instance was made. */
    synchronized long reads() {
        return reads;
    }

    /** Forgets every file: the next digest of each reads it. */
    void clear() {
        synchronized (known) {
            known.clear();
        }
    }

    private byte[] read(Path file, long size, byte[] buffer) throws IOException {
        synchronized (this) {
            reads++;
        }
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            long left = size;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                sha.update(buffer, 0, n);
                left -= n;
            }
            if (left != 0 || in.read() >= 0) {
                throw new SizeChanged(file);
            }
        }
        return sha.digest();
    }

    private static boolean settled(Stamp stamp, long readStart) {
        long limit = readStart - SETTLE_MILLIS;
        return stamp.modified().toMillis() < limit && stamp.changed().toMillis() < limit;
    }

    /** The file's status, or null where the file system has no {@code unix} attributes. */
    private static Stamp stamp(Path file) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
        Object modified = a.get("lastModifiedTime");
        Object changed = a.get("ctime");
        Object size = a.get("size");
        if (!(modified instanceof FileTime m) || !(changed instanceof FileTime c) || !(size instanceof Long s)
                || a.get("ino") == null || a.get("dev") == null) {
            return null;
        }
        return new Stamp(a.get("dev"), a.get("ino"), s, m, c);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
