package io.devk8s.adapter.hosts;

import io.devk8s.adapter.fs.PosixAttributes;
import io.devk8s.Devk8sException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The devk8s block of a hosts file:
 * <pre>
 * # BEGIN devk8s &lt;profile&gt;
 * &lt;ip&gt; &lt;host1&gt; &lt;host2&gt; ...
 * # END devk8s &lt;profile&gt;
 * </pre>
 * Every byte outside the block is kept as it was (comments, blank lines, CRLF endings, a missing final newline,
 * other tools' blocks, other profiles' blocks); the block uses the file's own line ending.
 *
 * <p>Changes are crash-safe and serialised across processes: under an exclusive lock on {@link #lockPath()} the
 * file is re-read, the previous content is saved to {@link #backupPath()}, and the new content is written to a
 * temporary file in the same folder, forced to disk and renamed over the original with its mode and owner kept.
 * Where the rename is impossible (a bind-mounted {@code /etc/hosts} answers EBUSY), and always on Windows (where
 * a replaced hosts file loses its ACLs), the file is rewritten in place without truncating it first. A change
 * that would shrink the file in place pads the END marker line with spaces instead, so a killed writer leaves
 * either the old or the new content; only removing a block in place shrinks the file (write, then truncate).
 * The written file is read back and compared before the lock is released.
 *
 * <p>A hosts file that is a symbolic link stays one: the change goes to the file the link resolves to (its real
 * path, through every link in the chain), whose temporary file lives in that file's folder and is renamed over
 * it with its mode and owner kept. The lock file and the backup stay next to the path given to this class (the
 * one the user named), so every writer of the same link shares one lock whatever the link points at.
 *
 * <p>Only a regular file, a symbolic link (or chain of links) that ends at one, or a missing file in an existing
 * folder (created on the first write) is ever opened: {@link #checkType()} refuses anything else (a device such
 * as {@code /dev/null}, a FIFO, a socket, a directory, a link loop, a link to something missing) with exit 2
 * before any file is opened or created, so no lock or backup file appears beside it. Every devk8s marker in the
 * file must come in {@code BEGIN}/{@code END} pairs of the same profile, one block per profile, none nested;
 * otherwise nothing is changed (exit 1).
 *
 * <p>Why one long class: every read and write of the hosts file goes through the same type check, lock, backup,
 * temp-file-and-rename (or in-place) path and marker rules; split apart, a new caller could skip one of them.
 */
public final class HostsFile {

    /** How the new content reaches the file. {@link #AUTO} renames and falls back to in place. */
    public enum Strategy { AUTO, RENAME, IN_PLACE }

    public enum ApplyResult { UNCHANGED, CREATED, UPDATED }

    /** One line of the block: an address and the names that resolve to it. */
    public record Entry(String ip, List<String> hosts) {
        public Entry {
            if (!HostsSyntax.isIpLiteral(ip)) {
                throw new IllegalArgumentException("not an IP address: " + ip);
            }
            hosts = List.copyOf(new LinkedHashSet<>(hosts));
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("no host names for " + ip);
            }
            for (String h : hosts) {
                if (!HostsSyntax.isHostname(h)) {
                    throw new IllegalArgumentException("not a host name: " + h);
                }
            }
        }

        public String line() {
            return ip + " " + String.join(" ", hosts);
        }
    }

    /** A profile's block as found in the file; {@code line} is the 1-based line of its BEGIN marker. */
    public record Block(String profile, List<Entry> entries, int line) {
        public Block {
            entries = List.copyOf(entries);
        }
    }

    /** What {@link #planApply} would do: the result and both file contents (for a dry run). */
    public record Plan(ApplyResult result, Optional<Block> before, List<Entry> after, byte[] oldContent,
            byte[] newContent) {}

    /** Why this process may not change the file, from the system's answer. */
    public enum Denial {
        /** EACCES: not writable by this user (another user, e.g. root through sudo, may write it). */
        PERMISSION,
        /** EROFS: the file system is mounted read-only; no user can write it. */
        READ_ONLY,
        /** EPERM: refused whatever the permissions (an immutable or append-only attribute, a security policy). */
        NOT_PERMITTED,
        /** Anything else; {@link Access#reason()} has the system's words. */
        OTHER
    }

    /**
     * Whether this process can change the file; when not, the path that refused (the file, its target, its
     * folder or the lock file), why, and the system's reason.
     */
    public record Access(Path refused, Denial denial, String reason) {
        static final Access WRITABLE = new Access(null, null, null);

        public boolean writable() {
            return refused == null;
        }
    }

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path path;
    private final Strategy strategy;

    public HostsFile(Path path) {
        this(path, Strategy.AUTO);
    }

    public HostsFile(Path path, Strategy strategy) {
        this.path = path.toAbsolutePath().normalize();
        this.strategy = strategy;
    }

    public Path path() {
        return path;
    }

    public Path lockPath() {
        return sibling(".devk8s.lock");
    }

    public Path backupPath() {
        return sibling(".devk8s.bak");
    }

    private Path sibling(String suffix) {
        return path.resolveSibling(path.getFileName() + suffix);
    }

    private static final String BEGIN_PREFIX = "# BEGIN devk8s ";
    private static final String END_PREFIX = "# END devk8s ";

    public static String beginMarker(String profile) {
        return BEGIN_PREFIX + profile;
    }

    public static String endMarker(String profile) {
        return END_PREFIX + profile;
    }

    /**
     * Refuses, exit 2, a path that is not a regular file, a link (chain) to one, or a missing file in an existing
     * folder; also a lock or backup file beside it that is not a regular file. Looks only at the file's type
     * ({@code lstat}/{@code stat}): nothing is opened, so a FIFO cannot block.
     */
    public void checkType() {
        BasicFileAttributes own;
        try {
            own = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            Path dir = path.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw notRegular("is in a folder that does not exist (" + dir + ")");
            }
            checkSibling(lockPath());
            checkSibling(backupPath());
            return;
        } catch (IOException e) {
            throw notRegular("cannot be looked at (" + describe(e) + ")");
        }
        if (own.isSymbolicLink()) {
            BasicFileAttributes followed;
            try {
                followed = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                throw notRegular("is a dangling symbolic link (" + linkChain() + ", which does not exist)");
            } catch (IOException e) {
                throw notRegular(isLoop(e) ? "is a symbolic link loop (" + linkChain() + ")"
                        : "is a symbolic link that cannot be followed (" + describe(e) + ")");
            }
            if (!followed.isRegularFile()) {
                throw notRegular("is a symbolic link to " + kind(path, true) + " (" + realPathOr(linkText(path))
                        + ")");
            }
        } else if (!own.isRegularFile()) {
            throw notRegular("is " + kind(path, false));
        }
        checkSibling(lockPath());
        checkSibling(backupPath());
    }

    private void checkSibling(Path sibling) {
        try {
            BasicFileAttributes a = Files.readAttributes(sibling, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw Devk8sException.usage("hosts file " + path + ": " + sibling + " (devk8s's own) is "
                        + (a.isSymbolicLink() ? "a symbolic link" : kind(sibling, false))
                        + ", not a regular file; remove it and run the command again");
            }
        } catch (NoSuchFileException e) {
            // created on the first write
        } catch (IOException e) {
            throw Devk8sException.usage("hosts file " + path + ": cannot look at " + sibling + " (" + describe(e)
                    + ")");
        }
    }

    private Devk8sException notRegular(String what) {
        return Devk8sException.usage("hosts file " + path + " " + what + ", not a regular file; devk8s reads and "
                + "writes only a regular file or a symbolic link to one: pass --hosts-file with the path of one");
    }

    private static boolean isLoop(IOException e) {
        String reason = e instanceof FileSystemException f ? f.getReason() : null;
        return reason != null && reason.toLowerCase(Locale.ROOT).contains("too many levels of symbolic links");
    }

    private static String linkText(Path link) {
        try {
            return link.resolveSibling(Files.readSymbolicLink(link)).normalize().toString();
        } catch (IOException e) {
            return "?";
        }
    }

    private String linkChain() {
        List<String> chain = new ArrayList<>(List.of(path.toString()));
        Path current = path;
        for (int hops = 0; hops < 8 && Files.isSymbolicLink(current); hops++) {
            current = Path.of(linkText(current));
            chain.add(current.toString());
            if (chain.indexOf(current.toString()) < chain.size() - 1) {
                break;
            }
        }
        return String.join(" -> ", chain) + (Files.isSymbolicLink(current) && chain.size() > 8 ? " -> ..." : "");
    }

    private String realPathOr(String fallback) {
        try {
            return path.toRealPath().toString();
        } catch (IOException e) {
            return fallback;
        }
    }

    /** "a directory", "a FIFO (named pipe)", "a character device", ...: what {@code p} is, from its mode bits. */
    private static String kind(Path p, boolean follow) {
        LinkOption[] options = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", options);
            switch (mode & 0170000) {
                case 0040000: return "a directory";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0010000: return "a FIFO (named pipe)";
                case 0140000: return "a socket";
                case 0120000: return "a symbolic link";
                default: break;
            }
        } catch (IOException | RuntimeException e) {
            // no unix attribute view (Windows): fall back to what every platform tells
        }
        return Files.isDirectory(p, options) ? "a directory" : "something other than a file";
    }

    /**
     * True when this process can change the file: the file (or, if absent, its folder) is writable, and so is
     * the folder, which holds the lock file, the backup and the temporary file.
     */
    public boolean isWritable() {
        return access().writable();
    }

    /**
     * Whether this process can change the file, checked without writing it: {@link #checkType()} first, then
     * the folder (lock file, backup, temporary file), the lock file, and the file (for a link: the file it
     * ends at, and that file's folder for the temporary file). Where the system says no, the file is opened for
     * writing (or a file created in the folder) once, to learn why; that open fails, so nothing changes.
     */
    public Access access() {
        checkType();
        Path dir = path.getParent();
        Access a = folderAccess(dir);
        if (!a.writable()) {
            return a;
        }
        if (Files.exists(lockPath())) {
            a = fileAccess(lockPath());
            if (!a.writable()) {
                return a;
            }
        }
        Path target;
        try {
            target = target();
        } catch (IOException e) {
            return new Access(path, Denial.OTHER, describe(e));
        }
        if (Files.exists(target)) {
            a = fileAccess(target);
            if (!a.writable()) {
                return a;
            }
        }
        Path targetDir = target.getParent();
        // a replacing write needs the target's folder for its temporary file
        if (!targetDir.equals(dir) && (!inPlaceFirst() || !Files.exists(target))) {
            return folderAccess(targetDir);
        }
        return Access.WRITABLE;
    }

    private static Access fileAccess(Path file) {
        if (Files.isWritable(file)) {
            return Access.WRITABLE;
        }
        // access(2) said no: an open for writing fails too, and its error says why
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            return Access.WRITABLE;
        } catch (IOException e) {
            return denied(file, e);
        }
    }

    private static Access folderAccess(Path dir) {
        if (Files.isDirectory(dir) && Files.isWritable(dir)) {
            return Access.WRITABLE;
        }
        try {
            Path probe = Files.createTempFile(dir, ".devk8s-probe", null);
            Files.deleteIfExists(probe);
            return Access.WRITABLE;
        } catch (IOException e) {
            return denied(dir, e);
        }
    }

    private static Access denied(Path p, IOException e) {
        String reason = describe(e);
        if (e instanceof AccessDeniedException) {
            return new Access(p, Denial.PERMISSION, reason);
        }
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.contains("read-only file system") || readOnlyStore(p)) {
            return new Access(p, Denial.READ_ONLY, reason);
        }
        if (lower.contains("operation not permitted")) {
            return new Access(p, Denial.NOT_PERMITTED, reason);
        }
        return new Access(p, Denial.OTHER, reason);
    }

    private static boolean readOnlyStore(Path p) {
        try {
            FileStore store = Files.getFileStore(p);
            return store.isReadOnly();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The file that receives the content: {@link #path()} itself, or, when it is a symbolic link, the file the
     * link chain ends at.
     */
    Path target() throws IOException {
        if (!Files.isSymbolicLink(path)) {
            return path;
        }
        return path.toRealPath();
    }

    public Optional<Block> read(String profile) {
        checkProfile(profile);
        checkType();
        String text = text(readBytes());
        return Layout.find(text, profile, path).map(r -> r.block(text, profile));
    }

    public ApplyResult apply(String profile, String ip, List<String> hosts) {
        return apply(profile, List.of(new Entry(ip, hosts)));
    }

    /** Writes the block unless it already holds these entries; a changed block keeps its position. */
    public ApplyResult apply(String profile, List<Entry> entries) {
        checkProfile(profile);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no entries");
        }
        return locked(() -> {
            boolean existed = Files.exists(path);
            Draft draft = draft(existed ? readBytes() : null, profile, entries);
            Plan plan = draft.plan();
            if (plan.result() != ApplyResult.UNCHANGED) {
                write(existed ? plan.oldContent() : null, plan.newContent(), draft.padAt());
            }
            return plan.result();
        });
    }

    /** What {@link #apply} would write, without taking the lock or writing anything. */
    public Plan planApply(String profile, List<Entry> entries) {
        checkProfile(profile);
        checkType();
        return draft(Files.exists(path) ? readBytes() : null, profile, entries).plan();
    }

    /** Removes the profile's block; false (and no write) when there is none. */
    public boolean remove(String profile) {
        checkProfile(profile);
        return locked(() -> {
            if (!Files.exists(path)) {
                return false;
            }
            byte[] old = readBytes();
            String text = text(old);
            Optional<Layout.Region> region = Layout.find(text, profile, path);
            if (region.isEmpty()) {
                return false;
            }
            String updated = text.substring(0, region.get().start()) + text.substring(region.get().end());
            write(old, updated.getBytes(StandardCharsets.ISO_8859_1), -1);
            return true;
        });
    }

    /** A plan plus where the END marker line ends, the place an in-place write pads instead of shrinking. */
    private record Draft(Plan plan, int padAt) {}

    private Draft draft(byte[] old, String profile, List<Entry> entries) {
        byte[] current = old == null ? new byte[0] : old;
        String text = text(current);
        Optional<Layout.Region> region = Layout.find(text, profile, path);
        Optional<Block> before = region.map(r -> r.block(text, profile));
        if (before.isPresent() && before.get().entries().equals(entries)) {
            return new Draft(new Plan(ApplyResult.UNCHANGED, before, entries, current, current), -1);
        }
        Layout.Rendered rendered = Layout.render(text, region, profile, entries);
        ApplyResult result = before.isPresent() ? ApplyResult.UPDATED : ApplyResult.CREATED;
        return new Draft(new Plan(result, before, entries, current,
                rendered.text().getBytes(StandardCharsets.ISO_8859_1)), rendered.endMarkerEnd());
    }

    private boolean inPlaceFirst() {
        return strategy == Strategy.IN_PLACE || (strategy == Strategy.AUTO && isWindows());
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    // ---- locking and writing ----

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T locked(IoAction<T> action) {
        checkType(); // before the lock file is created beside it
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockPath(), p -> new ReentrantLock());
        inProcess.lock();
        try (FileChannel channel = FileChannel.open(lockPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            checkType(); // again under the lock: what the first check saw may have been swapped meanwhile
            return action.run();
        } catch (AccessDeniedException e) {
            throw new HostsFileNotWritableException(path, e);
        } catch (IOException e) {
            throw Devk8sException.failure("could not update hosts file " + path + ": " + describe(e)
                    + "; the file was left as it was", e);
        } finally {
            inProcess.unlock();
        }
    }

    private void write(byte[] old, byte[] content, int padAt) throws IOException {
        if (old != null) {
            writeByRename(backupPath(), old, false);
        }
        Path target = target();
        boolean inPlace = inPlaceFirst();
        if (!inPlace) {
            try {
                writeByRename(target, content, strategy == Strategy.AUTO);
            } catch (AtomicMoveNotSupportedException | OwnerNotKeptException e) {
                if (strategy == Strategy.RENAME) {
                    throw e;
                }
                inPlace = true;
            } catch (AccessDeniedException | NoSuchFileException e) {
                throw e;
            } catch (FileSystemException e) {
                // EBUSY: a bind-mounted /etc/hosts (containers) cannot be replaced, only rewritten
                if (strategy == Strategy.RENAME) {
                    throw e;
                }
                inPlace = true;
            }
        }
        if (inPlace) {
            content = writeInPlace(target, content, padAt);
        }
        byte[] check = Files.readAllBytes(path);
        if (!Arrays.equals(check, content)) {
            throw Devk8sException.failure("hosts file " + path + " did not read back as written; something else "
                    + "changed it meanwhile; the previous content is in " + backupPath());
        }
    }

    private static final class OwnerNotKeptException extends IOException {
        OwnerNotKeptException(IOException cause) {
            super(cause);
        }
    }

    private void writeByRename(Path target, byte[] content, boolean requireOwner) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".devk8s.tmp");
        Files.deleteIfExists(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(ch, content);
                ch.force(true);
            }
            copyPosixAttributes(Files.exists(target) ? target : path, tmp, requireOwner);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort; the next run deletes it first
            }
            throw e;
        }
        syncDirectory(target.getParent());
    }

    private static void copyPosixAttributes(Path from, Path to, boolean requireOwner) throws IOException {
        try {
            PosixAttributes.copy(from, to);
        } catch (PosixAttributes.OwnerNotKept e) {
            if (requireOwner) {
                throw new OwnerNotKeptException((IOException) e.getCause());
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can open a directory (Windows); the rename itself is already durable there
        }
    }

    /**
     * Rewrites the file from offset 0 without truncating it first. A shorter content with a block is padded
     * with spaces after the END marker to the old length, so one write turns the old bytes into the new ones;
     * only a shorter content without a block (a removal) is written and then truncated.
     */
    private static byte[] writeInPlace(Path target, byte[] content, int padAt) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long oldSize = ch.size();
            if (padAt >= 0 && content.length < oldSize) {
                byte[] padded = new byte[(int) oldSize];
                System.arraycopy(content, 0, padded, 0, padAt);
                Arrays.fill(padded, padAt, padAt + padded.length - content.length, (byte) ' ');
                System.arraycopy(content, padAt, padded, padAt + padded.length - content.length,
                        content.length - padAt);
                content = padded;
            }
            writeFully(ch, content);
            if (content.length < oldSize) {
                ch.truncate(content.length);
            }
            ch.force(true);
        }
        return content;
    }

    private static void writeFully(FileChannel ch, byte[] content) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(content);
        long pos = 0;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    private byte[] readBytes() {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (AccessDeniedException e) {
            throw Devk8sException.precondition("cannot read hosts file " + path
                    + ": permission denied; run as a user who can read it or pass --hosts-file");
        } catch (IOException e) {
            throw Devk8sException.failure("cannot read hosts file " + path + ": " + describe(e));
        }
    }

    private static String text(byte[] bytes) {
        // one char per byte: every byte outside the block round-trips exactly, whatever its encoding
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String describe(IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return reason == null ? e.getClass().getSimpleName() : reason;
    }

    private static void checkProfile(String profile) {
        if (!HostsSyntax.isProfile(profile)) {
            throw new IllegalArgumentException("not a profile name: " + profile);
        }
    }

    /** Finding and rendering the block inside the file's text. */
    static final class Layout {
        private Layout() {}

        /** The chars [start, end) the block occupies; {@code prefix} is the line ending before BEGIN, if owned. */
        record Region(int start, int end, int beginLine, String prefix, boolean tail, String eol,
                List<String> interior) {
            Block block(String text, String profile) {
                List<Entry> entries = new ArrayList<>();
                for (String raw : interior) {
                    String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
                    String[] parts = line.strip().split("\\s+");
                    if (parts.length < 2 || parts[0].isEmpty()) {
                        continue;
                    }
                    try {
                        entries.add(new Entry(parts[0], List.of(parts).subList(1, parts.length)));
                    } catch (IllegalArgumentException ignored) {
                        // a hand-edited line devk8s would not write: the block then differs and is rewritten
                    }
                }
                return new Block(profile, entries, beginLine);
            }
        }

        record Rendered(String text, int endMarkerEnd) {}

        private record Line(int start, int contentEnd, int end) {}

        static List<Line> lines(String text) {
            List<Line> lines = new ArrayList<>();
            int start = 0;
            while (start < text.length()) {
                int nl = text.indexOf('\n', start);
                if (nl < 0) {
                    lines.add(new Line(start, text.length(), text.length()));
                    break;
                }
                int contentEnd = nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
                lines.add(new Line(start, contentEnd, nl + 1));
                start = nl + 1;
            }
            return lines;
        }

        static String eol(String text) {
            int nl = text.indexOf('\n');
            if (nl < 0) {
                return isWindows() ? "\r\n" : "\n";
            }
            return nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
        }

        /**
         * The profile's block, after checking every devk8s marker of the file (any profile): each BEGIN is
         * closed by the END of the same profile before the next marker, and each profile has one block.
         */
        static Optional<Region> find(String text, String profile, Path path) {
            List<Line> lines = lines(text);
            Region found = null;
            Map<String, Integer> blocks = new HashMap<>();
            String open = null;
            int openIndex = -1;
            for (int i = 0; i < lines.size(); i++) {
                String content = content(text, lines.get(i));
                boolean begin = content.startsWith(BEGIN_PREFIX);
                if (!begin && !content.startsWith(END_PREFIX)) {
                    continue;
                }
                String name = content.substring((begin ? BEGIN_PREFIX : END_PREFIX).length());
                if (!HostsSyntax.isProfile(name)) {
                    continue;
                }
                if (begin) {
                    if (open != null) {
                        throw malformed(path, i + 1, "'" + content + "' inside the block opened on line "
                                + (openIndex + 1) + " by '" + beginMarker(open) + "'");
                    }
                    if (blocks.containsKey(name)) {
                        throw malformed(path, i + 1, "a second '" + content + "' block (the first is on line "
                                + blocks.get(name) + ")");
                    }
                    open = name;
                    openIndex = i;
                    continue;
                }
                if (open == null) {
                    throw malformed(path, i + 1, "'" + content + "' without a '" + beginMarker(name)
                            + "' before it");
                }
                if (!open.equals(name)) {
                    throw malformed(path, i + 1, "'" + content + "' closes the block opened on line "
                            + (openIndex + 1) + " by '" + beginMarker(open) + "'");
                }
                blocks.put(name, openIndex + 1);
                if (name.equals(profile)) {
                    found = region(text, lines, openIndex, i);
                }
                open = null;
            }
            if (open != null) {
                throw malformed(path, openIndex + 1, "'" + beginMarker(open) + "' has no matching '"
                        + endMarker(open) + "'");
            }
            return Optional.ofNullable(found);
        }

        private static Region region(String text, List<Line> lines, int i, int j) {
            List<String> interior = new ArrayList<>();
            for (int k = i + 1; k < j; k++) {
                interior.add(content(text, lines.get(k)));
            }
            Line first = lines.get(i);
            Line last = lines.get(j);
            boolean tail = last.end() == last.contentEnd();
            int start = first.start();
            String prefix = "";
            if (tail && i > 0) {
                start = lines.get(i - 1).contentEnd();
                prefix = text.substring(start, first.start());
            }
            String eol = first.end() > first.contentEnd() ? text.substring(first.contentEnd(), first.end())
                    : eol(text);
            return new Region(start, last.end(), i + 1, prefix, tail, eol, interior);
        }

        private static String content(String text, Line line) {
            return text.substring(line.start(), line.contentEnd()).stripTrailing();
        }

        private static Devk8sException malformed(Path path, int line, String what) {
            return Devk8sException.failure("hosts file " + path + " line " + line + ": " + what
                    + "; fix or delete the devk8s block there by hand (the markers must come in pairs)");
        }

        static Rendered render(String text, Optional<Region> region, String profile, List<Entry> entries) {
            String eol = region.map(Region::eol).orElseGet(() -> eol(text));
            StringBuilder body = new StringBuilder(beginMarker(profile)).append(eol);
            for (Entry e : entries) {
                body.append(e.line()).append(eol);
            }
            body.append(endMarker(profile));
            String before;
            String after;
            String block;
            if (region.isPresent()) {
                Region r = region.get();
                before = text.substring(0, r.start());
                after = text.substring(r.end());
                block = r.tail() ? r.prefix() + body : body + eol;
            } else if (text.isEmpty() || text.endsWith("\n")) {
                before = text;
                after = "";
                block = body + eol;
            } else {
                // no final newline: keep it that way, so removing the block restores the file exactly
                before = text;
                after = "";
                block = eol + body;
            }
            int endMarkerEnd = before.length() + block.indexOf(endMarker(profile)) + endMarker(profile).length();
            return new Rendered(before + block + after, endMarkerEnd);
        }
    }
}
