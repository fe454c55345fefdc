package io.devk8s.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devk8s.ExitCode;
import io.devk8s.adapter.sudo.Sudo;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostsCommandTest {
    private static final String ORIGINAL = "127.0.0.1 localhost\r\n# keep me\r\n";
    private static final FileTime OLD = FileTime.fromMillis(946_684_800_000L);

    @TempDir
    Path dir;

    private Path hosts;
    private final CliRunner cli = new CliRunner().env("MINIKUBE_PROFILE", null);

    @BeforeEach
    void setUp() throws IOException {
        hosts = dir.resolve("hosts");
        Files.write(hosts, ORIGINAL.getBytes(ISO_8859_1));
        Files.setLastModifiedTime(hosts, OLD);
    }

    private String content() throws IOException {
        return new String(Files.readAllBytes(hosts), ISO_8859_1);
    }

    private void assertUntouched() throws IOException {
        assertEquals(ORIGINAL, content());
        assertEquals(OLD, Files.getLastModifiedTime(hosts));
        assertFalse(Files.exists(dir.resolve("hosts.devk8s.bak")));
    }

    @Test
    void should_apply_the_stack_hosts_and_extra_hosts_then_report_unchanged_on_a_rerun() throws IOException {
        var r = cli.runAndExpect(ExitCode.OK, "hosts", "apply", "--hosts-file", hosts.toString(),
                "--ip", "192.168.49.2", "--domain", "test", "--host", "api.test");
        assertEquals(ORIGINAL + "# BEGIN devk8s minikube\r\n192.168.49.2 traefik-ui.test prometheus.test grafana.test "
                + "jaeger.test api.test\r\n# END devk8s minikube\r\n", content());
        assertTrue(r.err().contains("hosts: updated " + hosts + " (192.168.49.2)"), r.err());

        var again = cli.runAndExpect(ExitCode.OK, "hosts", "apply", "--hosts-file", hosts.toString(),
                "--ip", "192.168.49.2", "--domain", "test", "--host", "api.test");
        assertEquals("hosts: unchanged", again.errLines());
    }

    @Test
    void should_take_the_profile_from_minikube_profile_and_show_it_as_text_and_json() throws IOException {
        CliRunner dev = new CliRunner().env("MINIKUBE_PROFILE", "dev");
        dev.runAndExpect(ExitCode.OK, "hosts", "apply", "--hosts-file", hosts.toString(), "--ip", "fd00::2");
        assertTrue(content().contains("# BEGIN devk8s dev\r\nfd00::2 traefik-ui.minikube"), content());

        var text = dev.runAndExpect(ExitCode.OK, "hosts", "show", "--hosts-file", hosts.toString());
        assertEquals("# BEGIN devk8s dev\nfd00::2 traefik-ui.minikube prometheus.minikube grafana.minikube "
                + "jaeger.minikube\n# END devk8s dev\n", text.out().replace(System.lineSeparator(), "\n"));

        JsonNode json = new ObjectMapper().readTree(dev.runAndExpect(ExitCode.OK, "hosts", "show",
                "--hosts-file", hosts.toString(), "-o", "json").out());
        assertEquals("dev", json.get("profile").asText());
        assertTrue(json.get("present").asBoolean());
        assertEquals("fd00::2", json.at("/entries/0/ip").asText());
        assertEquals("jaeger.minikube", json.at("/entries/0/hosts/3").asText());

        var none = cli.runAndExpect(ExitCode.OK, "hosts", "show", "--hosts-file", hosts.toString());
        assertEquals("", none.out());
        assertTrue(none.err().contains("no devk8s block for profile minikube"), none.err());
    }

    @Test
    void should_print_the_change_on_dry_run_and_write_nothing() throws IOException {
        var r = cli.runAndExpect(ExitCode.OK, "hosts", "apply", "--hosts-file", hosts.toString(),
                "--ip", "192.168.49.2", "--dry-run");
        assertTrue(r.out().contains("+192.168.49.2 traefik-ui.minikube prometheus.minikube"), r.out());
        assertTrue(r.out().contains("+# END devk8s minikube"), r.out());
        assertUntouched();
    }

    @Test
    void should_remove_the_block_and_restore_the_file() throws IOException {
        cli.runAndExpect(ExitCode.OK, "hosts", "apply", "--hosts-file", hosts.toString(), "--ip", "10.1.2.3");
        var r = cli.runAndExpect(ExitCode.OK, "hosts", "remove", "--hosts-file", hosts.toString());
        assertTrue(r.err().contains("removed"), r.err());
        assertEquals(ORIGINAL, content());
        var again = cli.runAndExpect(ExitCode.OK, "hosts", "remove", "--hosts-file", hosts.toString());
        assertTrue(again.err().contains("unchanged"), again.err());
    }

    @Test
    void should_reject_an_invalid_ip_with_one_line_naming_the_flag() throws IOException {
        for (String ip : new String[] {"192.168.49.256", "minikube", "10.0.0.x"}) {
            var r = cli.runAndExpect(ExitCode.USAGE, "hosts", "apply", "--hosts-file", hosts.toString(), "--ip", ip);
            assertEquals(1, r.errLines().lines().count(), r.err());
            assertTrue(r.err().startsWith("error: --ip '" + ip + "' is not an IPv4 or IPv6 address"), r.err());
            assertTrue(r.err().contains("e.g. --ip 192.168.49.2"), r.err());
        }
        assertUntouched();
    }

    @Test
    void should_reject_invalid_host_names_with_one_line_naming_the_flag() throws IOException {
        var host = cli.runAndExpect(ExitCode.USAGE, "hosts", "apply", "--hosts-file", hosts.toString(),
                "--ip", "10.0.0.1", "--host", "bad_name.test");
        assertEquals(1, host.errLines().lines().count(), host.err());
        assertTrue(host.err().startsWith("error: --host 'bad_name.test' is not a valid host name"), host.err());
        var domain = cli.runAndExpect(ExitCode.USAGE, "hosts", "apply", "--hosts-file", hosts.toString(),
                "--ip", "10.0.0.1", "--domain", "-bad");
        assertTrue(domain.err().startsWith("error: --domain '-bad' is not a valid DNS name"), domain.err());
        var profile = cli.runAndExpect(ExitCode.USAGE, "hosts", "apply", "--hosts-file", hosts.toString(),
                "--ip", "10.0.0.1", "--profile", "a b");
        assertTrue(profile.err().startsWith("error: --profile 'a b' is not a valid profile name"), profile.err());
        assertUntouched();
    }

    @Test
    void should_reject_a_hosts_file_in_a_missing_folder() {
        Path missing = dir.resolve("nope").resolve("hosts");
        var r = cli.runAndExpect(ExitCode.USAGE, "hosts", "apply", "--hosts-file", missing.toString(),
                "--ip", "10.0.0.1");
        assertTrue(r.err().startsWith("error: --hosts-file " + missing), r.err());
        assertFalse(Files.exists(missing.getParent()));
    }

    @Test
    void should_ask_minikube_for_the_ip_when_no_ip_is_given() throws IOException {
        Path bin = MinikubeFixture.install(dir.resolve("fixture"));
        Path log = dir.resolve("minikube.log");
        var r = cli.env("PATH", MinikubeFixture.pathWith(bin))
                .env("FIXTURE_MINIKUBE_LOG", log.toString())
                .env("FIXTURE_MINIKUBE_IP", "192.168.58.2")
                .env("FIXTURE_MINIKUBE_DRIVER", "kvm2")
                .runAndExpect(ExitCode.OK, "hosts", "apply", "--hosts-file", hosts.toString(), "--profile", "dev");
        String content = Files.readString(hosts);
        assertTrue(content.contains("192.168.58.2 traefik-ui.minikube prometheus.minikube grafana.minikube jaeger.minikube"),
                content + r.err());
        assertTrue(MinikubeFixture.calls(log).stream().anyMatch(c -> c.startsWith("ip") && c.endsWith("-p dev")),
                MinikubeFixture.calls(log).toString());
    }

    @Test
    void should_fail_with_one_line_when_no_ip_is_given_and_the_profile_is_stopped() throws IOException {
        Path bin = MinikubeFixture.install(dir.resolve("fixture"));
        var r = cli.env("PATH", MinikubeFixture.pathWith(bin))
                .env("FIXTURE_MINIKUBE_STATE", "stopped")
                .runAndExpect(ExitCode.PRECONDITION, "hosts", "apply", "--hosts-file", hosts.toString());
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertUntouched();
    }

    @Test
    void should_name_the_line_of_a_broken_block_and_exit_1() throws IOException {
        String broken = "# BEGIN devk8s minikube\n10.0.0.1 grafana.minikube\n";
        Files.writeString(hosts, broken);
        var r = cli.runAndExpect(ExitCode.FAILURE, "hosts", "apply", "--hosts-file", hosts.toString(),
                "--ip", "10.0.0.2");
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.err().contains(hosts + " line 1"), r.err());
        assertEquals(broken, Files.readString(hosts));
    }

    /** Paths that are not a regular file (or a link to one), each made in the test folder. */
    static Stream<Arguments> notRegularFiles() {
        return Stream.of(
                Arguments.of("a FIFO (named pipe)", (Maker) d -> fifo(d.resolve("pipe"))),
                Arguments.of("a directory", (Maker) d -> Files.createDirectory(d.resolve("etc"))),
                Arguments.of("a socket", (Maker) d -> socket(d.resolve("sock"))),
                Arguments.of("a symbolic link loop", (Maker) d -> {
                    Files.createSymbolicLink(d.resolve("b"), Path.of("a"));
                    return Files.createSymbolicLink(d.resolve("a"), Path.of("b"));
                }),
                Arguments.of("a symbolic link to a directory", (Maker) d -> Files.createSymbolicLink(d.resolve("link"), d)),
                Arguments.of("a dangling symbolic link", (Maker) d -> Files.createSymbolicLink(d.resolve("link"),
                        Path.of("missing-hosts"))),
                Arguments.of("a character device", (Maker) HostsCommandTest::characterDevice));
    }

    private interface Maker {
        Path make(Path dir) throws Exception;
    }

    static Path fifo(Path p) throws Exception {
        assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor(), "mkfifo " + p);
        return p;
    }

    static Path socket(Path p) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(p));
        }
        return p;
    }

    /**
     * As root, a device node of the test's own (mknod c 1 3, what /dev/null is), so a check that failed could
     * only replace that one; as another user /dev/null itself, which that user can neither replace nor write
     * beside.
     */
    static Path characterDevice(Path d) throws Exception {
        if (!Sudo.runningAsRoot()) {
            return Path.of("/dev/null");
        }
        Path device = d.resolve("null");
        assumeTrue(new ProcessBuilder("mknod", device.toString(), "c", "1", "3").start().waitFor() == 0,
                "needs mknod as root");
        return device;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notRegularFiles")
    void should_refuse_a_hosts_file_that_is_not_a_regular_file_with_one_line_and_exit_2(String kind, Maker maker)
            throws Exception {
        Path p = maker.make(dir);
        List<Path> before = listing(p.getParent());
        List<String[]> commands = List.of(
                new String[] {"hosts", "apply", "--hosts-file", p.toString(), "--ip", "192.168.49.2"},
                new String[] {"hosts", "apply", "--hosts-file", p.toString(), "--ip", "192.168.49.2", "--dry-run"},
                new String[] {"hosts", "remove", "--hosts-file", p.toString()},
                new String[] {"hosts", "show", "--hosts-file", p.toString(), "-o", "json"});
        for (String[] args : commands) {
            // a FIFO is refused from its type, never opened (an open would wait for a writer forever)
            var r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cli.runAndExpect(ExitCode.USAGE, args));
            assertEquals("", r.out(), String.join(" ", args));
            assertEquals(1, r.errLines().lines().count(), r.err());
            assertTrue(r.err().startsWith("error: hosts file " + p + " is "), r.err());
            assertTrue(r.err().contains(kind) && r.err().contains(", not a regular file;"), r.err());
            assertFalse(r.err().contains("sudo"), r.err());
        }
        assertEquals(before, listing(p.getParent()), "no lock, backup or temp file beside it");
        if (Files.isSymbolicLink(p)) {
            assertTrue(Files.isSymbolicLink(p), "still a link");
        }
    }

    @Test
    void should_exit_1_naming_an_immutable_file_and_never_suggest_sudo_as_root() throws Exception {
        assumeTrue(Sudo.runningAsRoot(), "root: sudo adds nothing, so the message must not suggest it");
        String withBlock = ORIGINAL + "# BEGIN devk8s minikube\r\n10.0.0.1 grafana.minikube\r\n# END devk8s minikube\r\n";
        Files.writeString(hosts, withBlock);
        assumeTrue(chattr("+i", hosts), "needs chattr +i");
        try {
            for (String[] args : List.of(
                    new String[] {"hosts", "apply", "--hosts-file", hosts.toString(), "--ip", "192.168.49.2"},
                    new String[] {"hosts", "apply", "--hosts-file", hosts.toString(), "--ip", "192.168.49.2", "--dry-run"},
                    new String[] {"hosts", "remove", "--hosts-file", hosts.toString()})) {
                var r = cli.runAndExpect(ExitCode.FAILURE, args);
                assertEquals("", r.out(), r.err());
                assertEquals(1, r.errLines().lines().count(), r.err());
                assertTrue(r.err().startsWith("error: cannot write hosts file " + hosts + ": the system refuses "
                        + "every write"), r.err());
                assertTrue(r.err().contains("lsattr " + hosts), r.err());
                assertFalse(r.err().contains("sudo"), r.err());
                assertFalse(r.err().contains("permission"), r.err());
            }
            // reading needs no write: show still works
            var show = cli.runAndExpect(ExitCode.OK, "hosts", "show", "--hosts-file", hosts.toString());
            assertTrue(show.out().contains("10.0.0.1 grafana.minikube"), show.out());
        } finally {
            chattr("-i", hosts);
        }
        assertEquals(withBlock, content());
        assertFalse(Files.exists(dir.resolve("hosts.devk8s.bak")));
    }

    @Test
    void should_refuse_a_block_nested_in_another_profiles_block_with_exit_1() throws IOException {
        String nested = "# BEGIN devk8s dev\n# BEGIN devk8s minikube\n10.0.0.1 grafana.minikube\n"
                + "# END devk8s minikube\n# END devk8s dev\n";
        Files.writeString(hosts, nested);
        var r = cli.runAndExpect(ExitCode.FAILURE, "hosts", "remove", "--hosts-file", hosts.toString());
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.err().contains(hosts + " line 2: '# BEGIN devk8s minikube' inside the block opened on line 1"),
                r.err());
        assertEquals(nested, Files.readString(hosts));
    }

    @Test
    void should_describe_the_file_show_reads_and_the_file_apply_and_remove_change() {
        String show = cli.runAndExpect(ExitCode.OK, "hosts", "show", "--help").out();
        assertTrue(show.contains("The hosts file to read"), show);
        assertFalse(show.contains("to edit") || show.contains("to change"), show);
        for (String sub : List.of("apply", "remove")) {
            String help = cli.runAndExpect(ExitCode.OK, "hosts", sub, "--help").out();
            assertTrue(help.contains("The hosts file to change"), help);
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

    private static List<Path> listing(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    @Test
    void should_print_help_with_examples() {
        var group = cli.runAndExpect(ExitCode.OK, "hosts", "--help");
        assertTrue(group.out().contains("show") && group.out().contains("apply") && group.out().contains("remove"),
                group.out());
        assertTrue(group.out().contains("Examples:"), group.out());
        var apply = cli.runAndExpect(ExitCode.OK, "hosts", "apply", "--help");
        for (String flag : new String[] {"--hosts-file", "--profile", "--ip", "--domain", "--host", "--no-sudo",
            "--dry-run", "Examples:"}) {
            assertTrue(apply.out().contains(flag), flag + " missing in\n" + apply.out());
        }
    }
}
