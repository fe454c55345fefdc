package io.devk8s.adapter.docker;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.fs.FileDigests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A build context as {@code docker build} sends it: the files of a folder after its ignore rules, listed once
 * (nothing is read or copied yet) in a fixed order, then written as a tar stream or hashed into an input
 * digest.
 *
 * <p>The rules follow the docker CLI and the daemon's classic builder: {@code <Dockerfile>.dockerignore} next to
 * the Dockerfile wins over {@code .dockerignore}; the Dockerfile and {@code .dockerignore} are always sent
 * (the daemon removes them from what {@code COPY} sees when they are ignored); an excluded folder is not walked
 * unless a {@code !} pattern lies below it; symbolic links are sent as links and never followed; file modes
 * are kept, owners are root.
 */
public final class BuildContext {
    /** What a tar entry is. */
    public enum Type { FILE, DIRECTORY, SYMLINK }

    /**
     * One entry of the context.
     *
     * @param path       relative, {@code /}-separated, no trailing slash
     * @param mode       permission bits (with setuid, setgid, sticky)
     * @param source     the file on disk (null for generated content)
     * @param content    generated content (null for files on disk)
     * @param linkTarget the target of a symbolic link, as stored in the link
     */
    public record Entry(String path, Type type, int mode, long size, FileTime modified, String linkTarget,
                        Path source, byte[] content) {}

    private final Path root;
    private final String dockerfile;
    private final List<Entry> entries;
    private final String ignoreFile;

    private BuildContext(Path root, String dockerfile, List<Entry> entries, String ignoreFile) {
        this.root = root;
        this.dockerfile = dockerfile;
        this.entries = List.copyOf(entries);
        this.ignoreFile = ignoreFile;
    }

    /**
     * Lists the context of {@code contextDir} for the Dockerfile at {@code dockerfile} (relative to the
     * context). Fails with one line when the folder, the Dockerfile or an ignore file is missing or unreadable.
     */
    public static BuildContext scan(Path contextDir, String dockerfile) {
        Path root = contextDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw Devk8sException.usage("build context " + root + " is not a folder; point context: at the folder "
                    + "the image is built from");
        }
        String df = DockerIgnore.clean(dockerfile.replace('\\', '/'));
        if (df.equals(".") || df.startsWith("../") || df.equals("..") || df.startsWith("/")) {
            throw Devk8sException.usage("dockerfile " + dockerfile + " is not inside the build context " + root
                    + "; give its path relative to the context");
        }
        Path dfPath = root.resolve(df);
        if (!Files.isRegularFile(dfPath)) {
            throw Devk8sException.usage("no Dockerfile at " + dfPath + "; create it or set dockerfile: to its path "
                    + "relative to the context");
        }

        Path specific = root.resolve(df + DockerIgnore.FILE_NAME);
        Path common = root.resolve(DockerIgnore.FILE_NAME);
        boolean useSpecific = Files.isRegularFile(specific);
        Path ignorePath = useSpecific ? specific : common;
        DockerIgnore rules = DockerIgnore.read(ignorePath, ignorePath.toString());
        boolean commonExists = Files.isRegularFile(common, LinkOption.NOFOLLOW_LINKS);

        // what the docker CLI appends (TrimBuildFilesFromExcludes): the Dockerfile and .dockerignore always go
        List<String> forced = new ArrayList<>();
        boolean dockerfileIgnored = rules.excludes(df);
        boolean commonIgnored = rules.excludes(DockerIgnore.FILE_NAME);
        if (commonIgnored) {
            forced.add("!" + DockerIgnore.FILE_NAME);
        }
        if (dockerfileIgnored) {
            forced.add("!" + df);
        }
        DockerIgnore effective = forced.isEmpty() ? rules : rules.plus(forced);

        List<Entry> entries = new ArrayList<>();
        walk(root, root, "", null, effective, entries);

        // The daemon drops the Dockerfile and .dockerignore from what COPY sees when the tar's .dockerignore
        // matches them. With <Dockerfile>.dockerignore in charge, the tar carries those rules as .dockerignore
        // (as the docker CLI does for a Dockerfile from stdin), unless a real .dockerignore is part of the context.
        if (useSpecific && (!commonExists || commonIgnored) && (dockerfileIgnored || commonExists)) {
            entries.removeIf(e -> e.path().equals(DockerIgnore.FILE_NAME));
            StringBuilder sb = new StringBuilder();
            for (String p : rules.patterns()) {
                sb.append(p).append('\n');
            }
            sb.append(DockerIgnore.FILE_NAME).append('\n');
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            entries.add(new Entry(DockerIgnore.FILE_NAME, Type.FILE, 0644, bytes.length, FileTime.fromMillis(0), null,
                    null, bytes));
            entries.sort((a, b) -> a.path().compareTo(b.path()));
        }
        return new BuildContext(root, df, entries, Files.exists(ignorePath) ? root.relativize(ignorePath).toString() : null);
    }

    /**
     * A context made in memory instead of read from a folder: a Dockerfile with {@code dockerfileText} at
     * {@code Dockerfile} and each file of {@code files} (path in the context, {@code /}-separated -&gt; file on
     * disk, links followed) with {@code fileMode}. Modification times are the epoch, so the tar depends on the
     * content only. A file that is missing or not a regular file fails in one line naming it.
     */
    public static BuildContext generated(String dockerfileText, Map<String, Path> files, int fileMode) {
        List<Entry> entries = new ArrayList<>();
        byte[] df = dockerfileText.getBytes(StandardCharsets.UTF_8);
        FileTime epoch = FileTime.fromMillis(0);
        entries.add(new Entry("Dockerfile", Type.FILE, 0644, df.length, epoch, null, null, df));
        Set<String> dirs = new java.util.TreeSet<>();
        for (Map.Entry<String, Path> f : new TreeMap<>(files).entrySet()) {
            String rel = DockerIgnore.clean(f.getKey().replace('\\', '/'));
            if (rel.equals("Dockerfile") || rel.startsWith("../") || rel.startsWith("/") || rel.equals(".")) {
                throw new IllegalArgumentException("not a path for a generated context: " + f.getKey());
            }
            for (int slash = rel.indexOf('/'); slash > 0; slash = rel.indexOf('/', slash + 1)) {
                dirs.add(rel.substring(0, slash));
            }
            Path source;
            long size;
            try {
                source = f.getValue().toRealPath();
                if (!Files.isRegularFile(source)) {
                    throw Devk8sException.usage(f.getValue() + " is not a regular file; it cannot go into an image");
                }
                size = Files.size(source);
            } catch (NoSuchFileException e) {
                throw Devk8sException.usage(f.getValue() + " does not exist");
            } catch (IOException e) {
                throw Devk8sException.usage("cannot read " + f.getValue() + ": " + e.getMessage());
            }
            if (!Files.isReadable(source)) {
                throw Devk8sException.usage("cannot read " + f.getValue() + " (permission denied)");
            }
            entries.add(new Entry(rel, Type.FILE, fileMode, size, epoch, null, source, null));
        }
        for (String d : dirs) {
            entries.add(new Entry(d, Type.DIRECTORY, 0755, 0, epoch, null, null, null));
        }
        entries.sort((x, y) -> x.path().compareTo(y.path()));
        return new BuildContext(null, "Dockerfile", entries, null);
    }

    /** Docker's walk: sorted by name, an excluded folder entered only when a {@code !} pattern lies below it. */
    private static void walk(Path root, Path dir, String relDir, DockerIgnore.Match parent, DockerIgnore rules,
                             List<Entry> out) {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (AccessDeniedException e) {
            throw Devk8sException.usage("cannot read folder " + dir + " of the build context (permission denied); "
                    + "fix its permissions or add it to " + DockerIgnore.FILE_NAME);
        } catch (IOException e) {
            throw Devk8sException.usage("cannot read folder " + dir + " of the build context: " + e.getMessage());
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            String rel = relDir.isEmpty() ? name : relDir + "/" + name;
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue; // deleted while we list: docker skips it too
            } catch (IOException e) {
                throw Devk8sException.usage("cannot stat " + child + " in the build context: " + e.getMessage());
            }
            DockerIgnore.Match match = rules.match(rel, parent);
            if (match.excluded()) {
                if (attrs.isDirectory() && rules.reincludesBelow(rel)) {
                    walk(root, child, rel, match, rules, out);
                }
                continue;
            }
            int mode = mode(child, attrs);
            if (attrs.isSymbolicLink()) {
                String target;
                try {
                    target = Files.readSymbolicLink(child).toString();
                } catch (IOException e) {
                    throw Devk8sException.usage("cannot read the symbolic link " + child + ": " + e.getMessage());
                }
                out.add(new Entry(rel, Type.SYMLINK, mode, 0, attrs.lastModifiedTime(), target, child, null));
            } else if (attrs.isDirectory()) {
                out.add(new Entry(rel, Type.DIRECTORY, mode, 0, attrs.lastModifiedTime(), null, child, null));
                walk(root, child, rel, match, rules, out);
            } else if (attrs.isRegularFile()) {
                if (!Files.isReadable(child)) {
                    throw Devk8sException.usage("cannot read " + child + " in the build context (permission denied); "
                            + "fix its permissions or add it to " + DockerIgnore.FILE_NAME);
                }
                out.add(new Entry(rel, Type.FILE, mode, attrs.size(), attrs.lastModifiedTime(), null, child, null));
            }
            // sockets, pipes and devices have no place in an image build: skipped
        }
    }

    private static int mode(Path p, BasicFileAttributes attrs) {
        try {
            Object unix = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (unix instanceof Integer m) {
                return m & 07777;
            }
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException ignored) {
            // not a unix file system: fall back to the POSIX permissions or a default
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            int m = 0;
            for (PosixFilePermission perm : perms) {
                m |= 1 << (8 - perm.ordinal());
            }
            return m;
        } catch (UnsupportedOperationException | IOException e) {
            if (attrs.isSymbolicLink()) {
                return 0777;
            }
            return attrs.isDirectory() || Files.isExecutable(p) ? 0755 : 0644;
        }
    }

    /** The folder the context was read from; null for a {@link #generated} one. */
    public Path root() {
        return root;
    }

    /** The Dockerfile's path inside the tar, {@code /}-separated. */
    public String dockerfile() {
        return dockerfile;
    }

    /** The ignore file in charge, relative to the context; null when there is none. */
    public String ignoreFile() {
        return ignoreFile;
    }

    /** Every entry, sorted by path. */
    public List<Entry> entries() {
        return entries;
    }

    /** The Dockerfile's text as the tar carries it; empty when the Dockerfile entry is not a regular file. */
    public java.util.Optional<String> dockerfileText() {
        for (Entry e : entries) {
            if (e.path().equals(dockerfile) && e.type() == Type.FILE) {
                try {
                    return java.util.Optional.of(e.content() != null ? new String(e.content(), StandardCharsets.UTF_8)
                            : Files.readString(e.source()));
                } catch (IOException | java.io.UncheckedIOException ex) {
                    return java.util.Optional.empty();
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * This context with the Dockerfile's content replaced by {@code text} (same path, mode and time), for the tar
     * only: {@link #inputDigest} of the copy covers the new text.
     */
    public BuildContext withDockerfileText(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<Entry> copy = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            copy.add(e.path().equals(dockerfile) && e.type() == Type.FILE
                    ? new Entry(e.path(), Type.FILE, e.mode(), bytes.length, e.modified(), null, null, bytes) : e);
        }
        return new BuildContext(root, dockerfile, copy, ignoreFile);
    }

    /** The paths of the entries, sorted. */
    public List<String> paths() {
        return entries.stream().map(Entry::path).toList();
    }

    /**
     * SHA-256 over everything that decides what the image build sees: each entry's path, type, mode, the SHA-256
     * of its content (files) or its target (links), the Dockerfile's path, the build arguments (sorted) and the
     * target stage. Modification times and owners are left out, so a fresh checkout of the same content has the
     * same digest. A file read before and unchanged since is not read again ({@link FileDigests}).
     */
    public String inputDigest(Map<String, String> buildArgs, String target) {
        MessageDigest sha = entriesDigest();
        update(sha, "dockerfile");
        update(sha, dockerfile);
        for (Map.Entry<String, String> arg : new TreeMap<>(buildArgs).entrySet()) {
            update(sha, "arg");
            update(sha, arg.getKey());
            update(sha, arg.getValue() == null ? "" : arg.getValue());
        }
        update(sha, "target");
        update(sha, target == null ? "" : target);
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Reads and hashes every entry now (the part of {@link #inputDigest} that does not depend on the build
     * arguments), so that a later {@code inputDigest} only adds those; for a caller that has time to spare now.
     * Fails as {@code inputDigest} would.
     */
    public BuildContext hashAhead() {
        MessageDigest sha = hashEntries();
        synchronized (this) {
            hashedEntries = sha;
        }
        return this;
    }

    private MessageDigest hashedEntries;

    /** A digest holding the entries, to add the rest to: a copy of the one {@link #hashAhead} made, else new. */
    private MessageDigest entriesDigest() {
        synchronized (this) {
            if (hashedEntries != null) {
                try {
                    return (MessageDigest) hashedEntries.clone();
                } catch (CloneNotSupportedException e) {
                    // not with the JDK's SHA-256; hash again below
                }
            }
        }
        return hashEntries();
    }

    private MessageDigest hashEntries() {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        for (Entry e : entries) {
            update(sha, e.type().name());
            update(sha, e.path());
            update(sha, Integer.toOctalString(e.mode()));
            switch (e.type()) {
                case SYMLINK -> update(sha, e.linkTarget());
                case DIRECTORY -> update(sha, "");
                case FILE -> {
                    if (e.content() != null) {
                        update(sha, Long.toString(e.content().length));
                        sha.update(sha256().digest(e.content()));
                    } else {
                        update(sha, Long.toString(e.size()));
                        try {
                            sha.update(FileDigests.shared().sha256(e.source(), e.size(), buffer));
                        } catch (FileDigests.SizeChanged ex) {
                            throw changed(e);
                        } catch (IOException ex) {
                            throw Devk8sException.failure("cannot read " + e.source() + ": " + ex.getMessage());
                        }
                    }
                }
                default -> throw new IllegalStateException(e.type().name());
            }
        }
        return sha;
    }

    private static void update(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(b);
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Devk8sException changed(Entry e) {
        return Devk8sException.failure(e.source() + " changed while devk8s was reading the build context; run again");
    }

    /**
     * Writes the context as a tar stream (not closed). Entries carry their modes and modification times, owner
     * root, long and non-ASCII names as PAX headers.
     */
    public void writeTar(OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        byte[] buffer = new byte[64 * 1024];
        for (Entry e : entries) {
            TarArchiveEntry te;
            switch (e.type()) {
                case DIRECTORY -> {
                    te = new TarArchiveEntry(e.path() + "/", TarConstants.LF_DIR);
                }
                case SYMLINK -> {
                    te = new TarArchiveEntry(e.path(), TarConstants.LF_SYMLINK);
                    te.setLinkName(e.linkTarget());
                }
                default -> {
                    te = new TarArchiveEntry(e.path(), TarConstants.LF_NORMAL);
                    te.setSize(e.content() != null ? e.content().length : e.size());
                }
            }
            te.setMode(e.mode() | switch (e.type()) {
                case DIRECTORY -> 040000;
                case SYMLINK -> 0120000;
                case FILE -> 0100000;
            });
            te.setModTime(e.modified());
            te.setUserId(0);
            te.setGroupId(0);
            te.setUserName("");
            te.setGroupName("");
            tar.putArchiveEntry(te);
            if (e.type() == Type.FILE) {
                if (e.content() != null) {
                    tar.write(e.content());
                } else {
                    try (InputStream in = Files.newInputStream(e.source(), LinkOption.NOFOLLOW_LINKS)) {
                        long left = e.size();
                        int n;
                        while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                            tar.write(buffer, 0, n);
                            left -= n;
                        }
                        if (left != 0) {
                            throw changed(e);
                        }
                    }
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    /**
     * The tar stream, produced by a writer thread while the reader consumes it: nothing is copied to a file or
     * held in memory beyond a small pipe buffer. Closing the stream stops the writer; a failure of the writer
     * surfaces as an {@link IOException} from {@code read} (and from {@link TarStream#rethrow()}).
     */
    public TarStream openTarStream() {
        return new TarStream(this);
    }
}
