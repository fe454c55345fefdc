package io.devk8s.adapter.hosts;

import io.devk8s.Devk8sException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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

    public static String beginMarker(String profile) {
        return "# BEGIN devk8s " + profile;
    }

    public static String endMarker(String profile) {
        return "# END devk8s " + profile;
    }

    /**
     * True when this process can change the file: the file (or, if absent, its folder) is writable, and so is
     * the folder, which holds the lock file, the backup and the temporary file.
     */
    public boolean isWritable() {
        Path dir = path.getParent();
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return false;
        }
        if (Files.exists(lockPath()) && !Files.isWritable(lockPath())) {
            return false;
        }
        if (!Files.isSymbolicLink(path)) {
            return !Files.exists(path) || Files.isWritable(path);
        }
        Path target;
        try {
            target = target();
        } catch (IOException e) {
            return false;
        }
        Path targetDir = target.getParent();
        if (Files.exists(target) ? !Files.isWritable(target) : !Files.isWritable(targetDir)) {
            return false;
        }
        // a replacing write needs the target's folder for its temporary file
        return inPlaceFirst() || (Files.isDirectory(targetDir) && Files.isWritable(targetDir));
    }

    /**
     * The file that receives the content: {@link #path()} itself, or, when it is a symbolic link, the file the
     * link chain ends at (which may not exist yet).
     */
    Path target() throws IOException {
        if (!Files.isSymbolicLink(path)) {
            return path;
        }
        if (Files.exists(path)) {
            return path.toRealPath();
        }
        // a dangling link: follow it by hand to the missing file it names
        Path current = path;
        for (int hops = 0; hops < 40 && Files.isSymbolicLink(current); hops++) {
            current = current.resolveSibling(Files.readSymbolicLink(current)).toAbsolutePath();
        }
        if (Files.isSymbolicLink(current)) {
            throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
        }
        return current;
    }

    public Optional<Block> read(String profile) {
        checkProfile(profile);
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
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockPath(), p -> new ReentrantLock());
        inProcess.lock();
        try (FileChannel channel = FileChannel.open(lockPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
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
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView dest = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (source == null || dest == null || !Files.exists(from)) {
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
            if (requireOwner) {
                throw new OwnerNotKeptException(e);
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

        static Optional<Region> find(String text, String profile, Path path) {
            String begin = beginMarker(profile);
            String end = endMarker(profile);
            List<Line> lines = lines(text);
            Region found = null;
            for (int i = 0; i < lines.size(); i++) {
                String content = content(text, lines.get(i));
                if (content.equals(end)) {
                    throw malformed(path, i + 1, "'" + end + "' without a '" + begin + "' before it");
                }
                if (!content.equals(begin)) {
                    continue;
                }
                if (found != null) {
                    throw malformed(path, i + 1, "a second '" + begin + "' block (the first is on line "
                            + found.beginLine() + ")");
                }
                int j = i + 1;
                while (j < lines.size() && !content(text, lines.get(j)).equals(end)) {
                    if (content(text, lines.get(j)).equals(begin)) {
                        throw malformed(path, j + 1, "'" + begin + "' inside the block opened on line " + (i + 1));
                    }
                    j++;
                }
                if (j == lines.size()) {
                    throw malformed(path, i + 1, "'" + begin + "' has no matching '" + end + "'");
                }
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
                found = new Region(start, last.end(), i + 1, prefix, tail, eol, interior);
                i = j;
            }
            return Optional.ofNullable(found);
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
