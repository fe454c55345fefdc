package io.devk8s.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
