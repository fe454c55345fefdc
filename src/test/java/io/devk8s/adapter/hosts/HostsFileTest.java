package io.devk8s.adapter.hosts;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.hosts.HostsFile.ApplyResult;
import io.devk8s.adapter.hosts.HostsFile.Entry;
import io.devk8s.adapter.hosts.HostsFile.Strategy;
import io.devk8s.adapter.sudo.Sudo;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostsFileTest {
    private static final List<String> NAMES = List.of("traefik-ui.minikube", "grafana.minikube");
    private static final String HOSTCTL = "# profile.on awesome\n10.9.9.9 awesome.local\n# end\n";
    private static final String OTHER_PROFILE = "# BEGIN devk8s dev\n192.168.58.2 grafana.dev\n# END devk8s dev\n";

    @TempDir
    Path dir;

    private Path hosts(String content) throws IOException {
        Path p = dir.resolve("hosts");
        Files.write(p, content.getBytes(ISO_8859_1));
        return p;
    }

    private static String content(Path p) throws IOException {
        return new String(Files.readAllBytes(p), ISO_8859_1);
    }

    private static String block(String ip, String eol) {
        return "# BEGIN devk8s minikube" + eol + ip + " traefik-ui.minikube grafana.minikube" + eol
                + "# END devk8s minikube";
    }

    /** Apply appends exactly the block, a second IP rewrites only the block, remove restores every byte. */
    private void assertRoundTrip(Strategy strategy, String original, String expectedAfterApply) throws IOException {
        Path p = hosts(original);
        HostsFile file = new HostsFile(p, strategy);
        assertEquals(ApplyResult.CREATED, file.apply("minikube", "192.168.49.2", NAMES));
        assertEquals(expectedAfterApply, content(p));
        assertEquals(ApplyResult.UPDATED, file.apply("minikube", "192.168.49.3", NAMES));
        assertEquals(expectedAfterApply.replace("192.168.49.2", "192.168.49.3"), content(p));
        assertTrue(file.remove("minikube"));
        assertEquals(original, content(p), "remove must restore the original bytes");
        assertFalse(file.remove("minikube"));
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"RENAME", "IN_PLACE"})
    void should_keep_comments_and_blank_lines(Strategy strategy) throws IOException {
        String original = "# static table\n127.0.0.1\tlocalhost\n\n\n# IPv6\n::1 localhost ip6-localhost   \n\n";
        assertRoundTrip(strategy, original, original + block("192.168.49.2", "\n") + "\n");
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"RENAME", "IN_PLACE"})
    void should_keep_crlf_line_endings_and_use_them_for_the_block(Strategy strategy) throws IOException {
        String original = "127.0.0.1 localhost\r\n# comment\r\n\r\n";
        assertRoundTrip(strategy, original, original + block("192.168.49.2", "\r\n") + "\r\n");
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"RENAME", "IN_PLACE"})
    void should_keep_a_missing_final_newline(Strategy strategy) throws IOException {
        String original = "127.0.0.1 localhost\n::1 localhost";
        assertRoundTrip(strategy, original, original + "\n" + block("192.168.49.2", "\n"));
    }

    @Test
    void should_keep_a_missing_final_newline_in_a_crlf_file() throws IOException {
        String original = "127.0.0.1 localhost\r\n::1 localhost";
        assertRoundTrip(Strategy.RENAME, original, original + "\r\n" + block("192.168.49.2", "\r\n"));
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"RENAME", "IN_PLACE"})
    void should_leave_other_tools_blocks_and_other_profiles_alone(Strategy strategy) throws IOException {
        String original = "127.0.0.1 localhost\n" + OTHER_PROFILE + "\n" + HOSTCTL;
        assertRoundTrip(strategy, original, original + block("192.168.49.2", "\n") + "\n");
        Path p = dir.resolve("hosts");
        new HostsFile(p, strategy).apply("minikube", "192.168.49.2", NAMES);
        assertEquals("192.168.58.2", new HostsFile(p).read("dev").orElseThrow().entries().get(0).ip());
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"RENAME", "IN_PLACE"})
    void should_update_a_block_in_the_middle_in_place_keeping_its_position(Strategy strategy) throws IOException {
        String head = "# head\r\n127.0.0.1 localhost\r\n";
        String tail = "\r\n" + HOSTCTL.replace("\n", "\r\n") + "# last line without newline";
        Path p = hosts(head + block("10.0.0.1", "\r\n") + "\r\n" + tail);
        HostsFile file = new HostsFile(p, strategy);
        assertEquals(3, file.read("minikube").orElseThrow().line());
        assertEquals(ApplyResult.UPDATED, file.apply("minikube", "10.0.0.22", NAMES));
        assertEquals(head + block("10.0.0.22", "\r\n") + "\r\n" + tail, content(p));
        assertTrue(file.remove("minikube"));
        assertEquals(head + tail, content(p));
    }

    @Test
    void should_not_rewrite_the_file_when_nothing_changed() throws IOException {
        Path p = hosts("127.0.0.1 localhost\n");
        HostsFile file = new HostsFile(p, Strategy.AUTO);
        file.apply("minikube", "192.168.49.2", NAMES);
        FileTime old = FileTime.fromMillis(946_684_800_000L);
        Files.setLastModifiedTime(p, old);
        Object inode = Files.getAttribute(p, "unix:ino");
        byte[] backup = Files.readAllBytes(file.backupPath());

        assertEquals(ApplyResult.UNCHANGED, file.apply("minikube", "192.168.49.2", NAMES));
        assertEquals(ApplyResult.UNCHANGED, new HostsFile(p).apply("minikube", "192.168.49.2", NAMES));

        assertEquals(inode, Files.getAttribute(p, "unix:ino"));
        assertEquals(old, Files.getLastModifiedTime(p));
        assertArrayEquals(backup, Files.readAllBytes(file.backupPath()), "no change, no new backup");
        // control: a real change replaces the file (a new inode), so the check above can fail
        assertEquals(ApplyResult.UPDATED, file.apply("minikube", "192.168.49.9", NAMES));
        assertNotEquals(inode, Files.getAttribute(p, "unix:ino"));
    }

    @Test
    void should_keep_the_previous_content_as_backup_before_each_change() throws IOException {
        String original = "127.0.0.1 localhost\n";
        Path p = hosts(original);
        HostsFile file = new HostsFile(p);
        file.apply("minikube", "192.168.49.2", NAMES);
        assertEquals(original, content(file.backupPath()));
        String first = content(p);
        file.apply("minikube", "192.168.49.3", NAMES);
        assertEquals(first, content(file.backupPath()));
        assertEquals(p.resolveSibling("hosts.devk8s.bak"), file.backupPath());
        assertTrue(Files.exists(p.resolveSibling("hosts.devk8s.lock")));
        assertFalse(Files.exists(p.resolveSibling("hosts.devk8s.tmp")), "no temp file left behind");
    }

    @Test
    void should_keep_the_file_mode_when_replacing_it() throws IOException {
        Path p = hosts("127.0.0.1 localhost\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r-----"));
        Object inode = Files.getAttribute(p, "unix:ino");
        new HostsFile(p, Strategy.RENAME).apply("minikube", "192.168.49.2", NAMES);
        assertNotEquals(inode, Files.getAttribute(p, "unix:ino"), "the rename strategy replaces the file");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        assertEquals(Files.getAttribute(dir, "unix:uid"), Files.getAttribute(p, "unix:uid"));
    }

    @Test
    void should_rewrite_in_place_without_replacing_the_file_and_pad_instead_of_shrinking() throws IOException {
        Path p = hosts("127.0.0.1 localhost\n");
        HostsFile file = new HostsFile(p, Strategy.IN_PLACE);
        file.apply("minikube", "192.168.100.100", NAMES);
        Object inode = Files.getAttribute(p, "unix:ino");
        long size = Files.size(p);

        assertEquals(ApplyResult.UPDATED, file.apply("minikube", "10.0.0.1", NAMES));
        assertEquals(inode, Files.getAttribute(p, "unix:ino"));
        assertEquals(size, Files.size(p), "a shorter block is padded, never truncated in place");
        assertEquals("127.0.0.1 localhost\n" + block("10.0.0.1", "\n") + " ".repeat(7) + "\n", content(p));
        assertEquals("10.0.0.1", file.read("minikube").orElseThrow().entries().get(0).ip());
        assertEquals(ApplyResult.UNCHANGED, file.apply("minikube", "10.0.0.1", NAMES));
        // the next replacing write drops the padding again
        new HostsFile(p, Strategy.RENAME).apply("minikube", "10.0.0.2", NAMES);
        assertEquals("127.0.0.1 localhost\n" + block("10.0.0.2", "\n") + "\n", content(p));
    }

    @Test
    void should_create_a_missing_file_and_write_several_addresses() throws IOException {
        Path p = dir.resolve("new-hosts");
        HostsFile file = new HostsFile(p);
        assertTrue(file.read("minikube").isEmpty());
        assertEquals(ApplyResult.CREATED, file.apply("minikube", List.of(
                new Entry("192.168.49.2", NAMES), new Entry("fd00::2", List.of("grafana.minikube")))));
        assertEquals("# BEGIN devk8s minikube\n192.168.49.2 traefik-ui.minikube grafana.minikube\n"
                + "fd00::2 grafana.minikube\n# END devk8s minikube\n", content(p));
        assertEquals(2, file.read("minikube").orElseThrow().entries().size());
    }

    @Test
    void should_refuse_a_begin_marker_without_end_naming_the_line_and_change_nothing() throws IOException {
        String broken = "127.0.0.1 localhost\n# BEGIN devk8s minikube\n10.0.0.1 grafana.minikube\n";
        Path p = hosts(broken);
        HostsFile file = new HostsFile(p);
        Devk8sException e = assertThrows(Devk8sException.class, () -> file.apply("minikube", "10.0.0.2", NAMES));
        assertTrue(e.getMessage().contains(p + " line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("# END devk8s minikube"), e.getMessage());
        assertEquals(broken, content(p));
        assertThrows(Devk8sException.class, () -> file.remove("minikube"));
        assertEquals(broken, content(p));
        // another profile's markers are not confused with this one's
        assertTrue(new HostsFile(hosts(OTHER_PROFILE)).read("minikube").isEmpty());
    }

    @Test
    void should_serialise_concurrent_writers_in_one_process() throws Exception {
        Path p = hosts("127.0.0.1 localhost\n" + HOSTCTL);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ApplyResult>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String ip = "10.0.0." + (i + 1);
                Callable<ApplyResult> apply = () -> new HostsFile(p).apply("minikube", ip, NAMES);
                results.add(pool.submit(apply));
            }
            for (Future<ApplyResult> r : results) {
                r.get();
            }
        } finally {
            pool.shutdown();
        }
        String text = content(p);
        Matcher m = Pattern.compile("\\Q127.0.0.1 localhost\n" + HOSTCTL + "\\E# BEGIN devk8s minikube\n"
                + "10\\.0\\.0\\.\\d+ traefik-ui\\.minikube grafana\\.minikube\n# END devk8s minikube\n").matcher(text);
        assertTrue(m.matches(), text);
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"RENAME", "IN_PLACE"})
    void should_keep_a_symlinked_hosts_file_a_link_and_change_its_target(Strategy strategy) throws IOException {
        String original = "# managed elsewhere\r\n127.0.0.1 localhost\r\n" + HOSTCTL.replace("\n", "\r\n");
        Path realDir = Files.createDirectory(dir.resolve("real"));
        Path target = realDir.resolve("hosts.real");
        Files.write(target, original.getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        Path linkDir = Files.createDirectory(dir.resolve("etc"));
        Path link = Files.createSymbolicLink(linkDir.resolve("hosts"), Path.of("..", "real", "hosts.real"));
        Path linkText = Files.readSymbolicLink(link);
        HostsFile file = new HostsFile(link, strategy);
        String withBlock = original + block("192.168.49.2", "\r\n") + "\r\n";

        assertEquals(ApplyResult.CREATED, file.apply("minikube", "192.168.49.2", NAMES));
        assertStillLinked(link, linkText, target, withBlock);
        assertEquals("192.168.49.2", file.read("minikube").orElseThrow().entries().get(0).ip());

        assertEquals(ApplyResult.UPDATED, file.apply("minikube", "192.168.49.3", NAMES));
        assertStillLinked(link, linkText, target, withBlock.replace("192.168.49.2", "192.168.49.3"));

        assertTrue(file.remove("minikube"));
        assertStillLinked(link, linkText, target, original);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));

        // lock and backup next to the link the user named; no temp file left in either folder
        assertEquals(link.resolveSibling("hosts.devk8s.bak"), file.backupPath());
        assertEquals(withBlock.replace("192.168.49.2", "192.168.49.3"), content(file.backupPath()));
        assertTrue(Files.exists(link.resolveSibling("hosts.devk8s.lock")));
        try (var left = Files.list(realDir)) {
            assertEquals(List.of(target), left.toList(), "only the target in its folder");
        }
        assertFalse(Files.exists(link.resolveSibling("hosts.devk8s.tmp")));
    }

    @Test
    void should_follow_a_chain_of_links_to_a_regular_file() throws IOException {
        Path target = Files.writeString(dir.resolve("real-hosts"), "127.0.0.1 localhost\n");
        Path middle = Files.createSymbolicLink(dir.resolve("middle"), target.getFileName());
        Path link = Files.createSymbolicLink(dir.resolve("hosts"), middle);
        HostsFile file = new HostsFile(link, Strategy.RENAME);
        assertTrue(file.isWritable());

        assertEquals(ApplyResult.CREATED, file.apply("minikube", "192.168.49.2", NAMES));
        String expected = "127.0.0.1 localhost\n" + block("192.168.49.2", "\n") + "\n";
        assertStillLinked(link, middle, target, expected);
        assertTrue(Files.isSymbolicLink(middle));
        assertEquals(target.getFileName(), Files.readSymbolicLink(middle));
    }

    /**
     * A dangling link is refused rather than followed to create its target: where it points may be a folder
     * the user never meant devk8s to write into (and a plain missing file, which is created, is not a link).
     */
    @Test
    void should_refuse_a_dangling_link_through_a_chain_and_create_nothing() throws IOException {
        Path middle = Files.createSymbolicLink(dir.resolve("middle"), Path.of("real-hosts"));
        Path link = Files.createSymbolicLink(dir.resolve("hosts"), middle);
        HostsFile file = new HostsFile(link, Strategy.RENAME);
        Devk8sException e = assertThrows(Devk8sException.class, () -> file.apply("minikube", "10.0.0.1", NAMES));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("is a dangling symbolic link (" + link + " -> " + middle + " -> "
                + dir.resolve("real-hosts") + ", which does not exist), not a regular file"), e.getMessage());
        assertOnlyBeside(link, List.of(link, middle));
    }

    // ---- only a regular file (or a link to one) is ever opened ----

    /** A path that is not a regular file, made by {@code make} in the test folder. */
    private interface Maker {
        Path make(Path dir) throws Exception;
    }

    static Stream<Arguments> notRegularFiles() {
        return Stream.of(
                Arguments.of("a FIFO (named pipe)", (Maker) d -> fifo(d.resolve("hosts"))),
                Arguments.of("a directory", (Maker) d -> Files.createDirectory(d.resolve("hosts"))),
                Arguments.of("a socket", (Maker) d -> socket(d.resolve("hosts"))),
                Arguments.of("a symbolic link loop", (Maker) d -> {
                    Files.createSymbolicLink(d.resolve("other"), Path.of("hosts"));
                    return Files.createSymbolicLink(d.resolve("hosts"), Path.of("other"));
                }),
                Arguments.of("a symbolic link loop", (Maker) d -> Files.createSymbolicLink(d.resolve("hosts"),
                        Path.of("hosts"))),
                Arguments.of("a symbolic link to a directory", (Maker) d -> Files.createSymbolicLink(d.resolve("hosts"),
                        Files.createDirectory(d.resolve("etc")))),
                Arguments.of("a symbolic link to a FIFO (named pipe)", (Maker) d -> Files.createSymbolicLink(d.resolve("hosts"),
                        fifo(d.resolve("pipe")))),
                Arguments.of("a dangling symbolic link", (Maker) d -> Files.createSymbolicLink(d.resolve("hosts"),
                        d.resolve("gone"))));
    }

    static Path fifo(Path p) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo " + p);
        return p;
    }

    static Path socket(Path p) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(p));
        }
        return p; // the socket file stays after the channel is closed
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notRegularFiles")
    void should_refuse_what_is_not_a_regular_file_for_every_operation_without_creating_anything(String kind,
            Maker maker) throws Exception {
        Path p = maker.make(dir);
        List<Path> before = listing();
        HostsFile file = new HostsFile(p);
        // a FIFO must be refused, never opened: an open would block until a writer comes
        List<Executable> operations = List.of(
                () -> file.read("minikube"),
                () -> file.planApply("minikube", List.of(new Entry("10.0.0.1", NAMES))),
                () -> file.apply("minikube", "10.0.0.1", NAMES),
                () -> file.remove("minikube"),
                file::access,
                file::isWritable);
        for (Executable op : operations) {
            Devk8sException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(Devk8sException.class, op));
            assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().startsWith("hosts file " + p + " is "), e.getMessage());
            assertTrue(e.getMessage().contains(kind), e.getMessage());
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        assertEquals(before, listing(), "no lock, backup or temp file beside it");
    }

    @Test
    void should_refuse_a_character_device_before_any_write() throws Exception {
        // root: a device node of its own in the test folder (mknod), so a failing check could only replace that
        // one; otherwise /dev/null itself, which a non-root user cannot replace or write beside
        Path device = dir.resolve("null");
        boolean made = Sudo.runningAsRoot()
                && new ProcessBuilder("mknod", device.toString(), "c", "1", "3").start().waitFor() == 0;
        if (!made) {
            assumeTrue(!Sudo.runningAsRoot(), "needs mknod as root");
            device = Path.of("/dev/null");
        }
        HostsFile file = new HostsFile(device);
        Devk8sException e = assertThrows(Devk8sException.class, () -> file.apply("minikube", "10.0.0.1", NAMES));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(device + " is a character device, not a regular file"), e.getMessage());
        assertThrows(Devk8sException.class, () -> file.read("minikube"));
        assertFalse(Files.exists(device.resolveSibling(device.getFileName() + ".devk8s.lock")));
        assertFalse(Files.exists(device.resolveSibling(device.getFileName() + ".devk8s.bak")));
        if (made) {
            assertEquals(0020000, (Integer) Files.getAttribute(device, "unix:mode") & 0170000, "still a device");
        }
    }

    @Test
    void should_refuse_a_file_in_a_missing_folder() {
        Path p = dir.resolve("no-such-dir").resolve("hosts");
        Devk8sException e = assertThrows(Devk8sException.class,
                () -> new HostsFile(p).apply("minikube", "10.0.0.1", NAMES));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("in a folder that does not exist"), e.getMessage());
        assertFalse(Files.exists(p.getParent()));
    }

    @Test
    void should_refuse_a_lock_file_that_is_a_fifo_instead_of_blocking_on_it() throws Exception {
        Path p = hosts("127.0.0.1 localhost\n");
        fifo(dir.resolve("hosts.devk8s.lock"));
        HostsFile file = new HostsFile(p);
        Devk8sException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(Devk8sException.class, () -> file.apply("minikube", "10.0.0.1", NAMES)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("hosts.devk8s.lock (devk8s's own) is a FIFO"), e.getMessage());
        assertEquals("127.0.0.1 localhost\n", content(p));
    }

    // ---- every devk8s marker comes in pairs ----

    static Stream<Arguments> brokenMarkers() {
        String begin = "# BEGIN devk8s minikube\n";
        String end = "# END devk8s minikube\n";
        String entry = "10.0.0.1 grafana.minikube\n";
        return Stream.of(
                Arguments.of("127.0.0.1 localhost\n" + begin + entry, 2, "has no matching '# END devk8s minikube'"),
                Arguments.of("127.0.0.1 localhost\n" + entry + end, 3, "without a '# BEGIN devk8s minikube'"),
                Arguments.of(begin + entry + end + begin + entry + end, 4, "a second '# BEGIN devk8s minikube' block"),
                Arguments.of(begin + "# BEGIN devk8s dev\n" + entry + "# END devk8s dev\n" + end, 2,
                        "inside the block opened on line 1"),
                Arguments.of(begin + entry + "# END devk8s dev\n", 3, "closes the block opened on line 1"),
                // another profile's broken block: appending after it would put this block inside it
                Arguments.of("127.0.0.1 localhost\n# BEGIN devk8s dev\n" + entry, 2,
                        "'# BEGIN devk8s dev' has no matching '# END devk8s dev'"),
                Arguments.of("# BEGIN devk8s minikube\r\n" + entry.replace("\n", "\r\n"), 1, "has no matching"));
    }

    @ParameterizedTest
    @MethodSource("brokenMarkers")
    void should_refuse_broken_markers_naming_the_line_and_change_nothing(String broken, int line, String what)
            throws IOException {
        Path p = hosts(broken);
        HostsFile file = new HostsFile(p);
        List<Executable> operations = List.of(() -> file.read("minikube"),
                () -> file.apply("minikube", "10.0.0.2", NAMES), () -> file.remove("minikube"),
                () -> file.planApply("minikube", List.of(new Entry("10.0.0.2", NAMES))));
        for (Executable op : operations) {
            Devk8sException e = assertThrows(Devk8sException.class, op);
            assertEquals(ExitCode.FAILURE, e.exitCode());
            assertTrue(e.getMessage().contains(p + " line " + line + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(what), e.getMessage());
        }
        assertEquals(broken, content(p));
        assertFalse(Files.exists(file.backupPath()));
    }

    // ---- why a file cannot be written ----

    @Test
    void should_name_an_immutable_file_as_not_permitted_and_leave_it_alone() throws Exception {
        Path p = hosts("127.0.0.1 localhost\n");
        assumeTrue(chattr("+i", p), "needs chattr +i (root, a file system with attributes)");
        try {
            HostsFile file = new HostsFile(p);
            HostsFile.Access access = file.access();
            assertFalse(access.writable());
            assertEquals(HostsFile.Denial.NOT_PERMITTED, access.denial());
            assertEquals(p, access.refused());
            Devk8sException e = assertThrows(Devk8sException.class, () -> file.apply("minikube", "10.0.0.1", NAMES));
            assertEquals(ExitCode.FAILURE, e.exitCode());
            assertEquals("127.0.0.1 localhost\n", content(p));
        } finally {
            chattr("-i", p);
        }
    }

    static boolean chattr(String flag, Path p) throws Exception {
        try {
            Process chattr = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
            chattr.getInputStream().readAllBytes();
            return chattr.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private List<Path> listing() throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private void assertOnlyBeside(Path p, List<Path> expected) throws IOException {
        try (var files = Files.list(p.getParent())) {
            assertEquals(expected.stream().sorted().toList(), files.sorted().toList());
        }
    }

    private static void assertStillLinked(Path link, Path linkText, Path target, String expected) throws IOException {
        assertTrue(Files.isSymbolicLink(link), link + " must stay a symbolic link");
        assertEquals(linkText, Files.readSymbolicLink(link));
        assertFalse(Files.isSymbolicLink(target));
        assertEquals(expected, content(target));
        assertEquals(expected, content(link));
    }
}
