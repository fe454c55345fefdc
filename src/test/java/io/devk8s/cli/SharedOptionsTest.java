package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The shared flags are declared once: wherever they appear, they have the same names, label and description. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharedOptionsTest {
    private static final List<String> SHARED = List.of("--hosts-file", "--no-sudo", "--namespace", "--profile",
            "--kubeconfig", "--output", "--minikube", "--context", "--allow-context");

    private static List<CommandLine> all(CommandLine cmd) {
        List<CommandLine> out = new ArrayList<>(List.of(cmd));
        cmd.getSubcommands().values().stream().distinct().forEach(sub -> out.addAll(all(sub)));
        return out;
    }

    private static CommandLine root() {
        return Devk8sCommand.commandLine(new Devk8sCommand(new CliRunner().environment(), (e, c) -> null),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void should_give_each_shared_flag_one_set_of_names_one_label_and_one_description() {
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (CommandLine cmd : all(root())) {
            for (String name : SHARED) {
                OptionSpec o = cmd.getCommandSpec().findOption(name);
                if (o != null) {
                    seen.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(Arrays.toString(o.names()) + " "
                            + o.paramLabel() + " " + String.join(" ", o.description()));
                }
            }
        }
        assertEquals(Set.copyOf(SHARED), seen.keySet(), "every shared flag is used somewhere");
        // --hosts-file has one name, label and default everywhere; its first words say whether the command only
        // reads the file (hosts show), changes it (hosts apply, hosts remove) or both (up, down, status, doctor)
        seen.forEach((name, variants) -> assertEquals(name.equals("--hosts-file") ? 3 : 1, variants.size(),
                name + " is declared differently: " + variants));
        String defaultFile = "(default: /etc/hosts; on Windows C:\\Windows\\System32\\drivers\\etc\\hosts).";
        assertEquals(Set.of("[--hosts-file] PATH The hosts file " + defaultFile,
                "[--hosts-file] PATH The hosts file to read: a regular file or a symbolic link to one " + defaultFile,
                "[--hosts-file] PATH The hosts file to change: a regular file or a symbolic link to one " + defaultFile),
                seen.get("--hosts-file"));
    }

    @Test
    void should_take_kubeconfig_profile_and_context_on_every_cluster_command() {
        CommandLine root = root();
        for (String command : List.of("up", "down", "status", "doctor")) {
            for (String flag : List.of("--kubeconfig", "--profile", "-p", "--context", "--minikube")) {
                assertNotNull(root.getSubcommands().get(command).getCommandSpec().findOption(flag),
                        command + " lacks " + flag);
            }
        }
        for (String command : List.of("status", "doctor")) {
            assertNotNull(root.getSubcommands().get(command).getCommandSpec().findOption("-o"), command);
        }
        assertNotNull(root.getSubcommands().get("hosts").getSubcommands().get("show").getCommandSpec()
                .findOption("-o"));
    }

    @Test
    void should_refuse_an_empty_profile_instead_of_falling_back_to_the_default() {
        for (List<String> args : List.of(List.of("status", "-p", ""), List.of("doctor", "--profile", " "),
                List.of("hosts", "show", "-p", ""), List.of("down", "-p", ""))) {
            var r = new CliRunner().env("PATH", "").runAndExpect(ExitCode.USAGE, args.toArray(String[]::new));
            assertEquals("error: --profile needs a profile name, e.g. --profile minikube (leave the flag out to use "
                    + "$MINIKUBE_PROFILE, else minikube)", r.errLines().strip(), args.toString());
        }
    }

    @Test
    void should_refuse_a_kubeconfig_list_or_an_empty_kubeconfig_in_one_line() {
        for (String value : List.of("a.yaml" + java.io.File.pathSeparator + "b.yaml", " ")) {
            var r = new CliRunner().env("PATH", "").runAndExpect(ExitCode.USAGE, "status", "--kubeconfig", value);
            assertTrue(r.errLines().startsWith("error: --kubeconfig '"), r.err());
            assertEquals(1, r.errLines().lines().count(), r.err());
        }
    }

    @Test
    void should_print_doctor_and_hosts_show_as_yaml_too(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var hosts = java.nio.file.Files.writeString(dir.resolve("hosts"),
                "127.0.0.1 localhost\n# BEGIN devk8s dev\n10.0.0.2 grafana.minikube\n# END devk8s dev\n");
        var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
        var show = new CliRunner().runAndExpect(ExitCode.OK, "hosts", "show", "-p", "dev", "-o", "yaml",
                "--hosts-file", hosts.toString());
        var doc = yaml.readTree(show.out());
        assertEquals("dev", doc.path("profile").asText());
        assertTrue(doc.path("present").asBoolean());
        assertEquals("10.0.0.2", doc.at("/entries/0/ip").asText());
        assertEquals("grafana.minikube", doc.at("/entries/0/hosts/0").asText());

        var doctor = new CliRunner().env("PATH", "").env("HOME", dir.toString())
                .runAndExpect(ExitCode.PRECONDITION, "doctor", "-o", "yaml", "--hosts-file", hosts.toString());
        var report = yaml.readTree(doctor.out());
        assertEquals(false, report.path("ok").asBoolean(true), doctor.out());
        assertEquals("minikube", report.at("/checks/1/name").asText(), doctor.out());
        assertEquals("fail", report.at("/checks/1/status").asText(), doctor.out());
        assertTrue(report.at("/checks/0/fix").isNull(), doctor.out());
        assertEquals("", doctor.err(), "yaml mode writes nothing to stderr");
    }

    @Test
    void should_refuse_an_invalid_namespace_on_every_command_that_takes_one_before_any_cluster_call() {
        // no cluster, no minikube and no project file here: the name check must come first, whatever the command
        for (String bad : List.of("Bad NS", "UPPER", "trail-", "a_b", "a.b", "x".repeat(64))) {
            for (List<String> command : List.of(List.of("up", "--dry-run"), List.of("down", "--dry-run"),
                    List.of("status"), List.of("render", "stack"), List.of("teardown", "--selector", "a=b", "--dry-run"),
                    List.of("logs", "--selector", "a=b"), List.of("deploy", "--dry-run"),
                    List.of("shell", "--image", "busybox"))) {
                List<String> args = new ArrayList<>(command);
                args.add("--namespace=" + bad);
                var r = new CliRunner().runAndExpect(ExitCode.USAGE, args.toArray(String[]::new));
                assertTrue(r.err().contains("is not a valid namespace name") && r.err().contains("e.g. -n demo"),
                        command + " " + bad + ": " + r.err());
                assertEquals(1, r.err().strip().lines().count(), command + " " + bad + ": one line: " + r.err());
            }
        }
    }
}
