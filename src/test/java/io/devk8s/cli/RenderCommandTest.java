package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.support.CliRunner;
import io.devk8s.support.FixtureTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code devk8s render stack} through the real CLI, over the fixture templates. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RenderCommandTest {
    @TempDir
    Path dir;

    private CliRunner cli() {
        return new CliRunner().services(FixtureTemplates.services()).workDir(dir).env("TEAM", "payments");
    }

    private void write(String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Exit code 2 and exactly one stderr line starting with {@code error: } and {@code prefix}. */
    private static String oneUsageLine(CliRunner.Result r, String prefix) {
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.errLines().startsWith("error: " + prefix), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals("", r.out());
        return r.errLines();
    }

    private static List<String> sources(String yaml) {
        List<String> sources = new ArrayList<>();
        yaml.lines().filter(l -> l.startsWith("# Source: ")).forEach(l -> sources.add(l.substring(10)));
        return sources;
    }

    @Test
    void should_print_the_stack_as_multi_document_yaml_with_source_comments() {
        var r = cli().runAndExpect(ExitCode.OK, "render", "stack", "--components", "traefik");
        assertTrue(r.out().startsWith("---\n# Source: stack/namespace.yaml\napiVersion: v1\nkind: Namespace\n"), r.out());
        assertEquals(List.of("stack/namespace.yaml", "stack/traefik/rbac.yaml", "stack/traefik/rbac.yaml",
                "stack/traefik/rbac.yaml", "stack/traefik/deployment.yaml", "stack/traefik/service.yaml",
                "stack/traefik/ingress.yaml", "stack/traefik/ingress.yaml"), sources(r.out()));
        assertEquals(8, r.out().split("(?m)^---$").length - 1, r.out());
        assertEquals("", r.err());
    }

    @Test
    void should_apply_flags_from_the_command_line() {
        var r = cli().runAndExpect(ExitCode.OK, "render", "stack", "--namespace", "team-a", "--domain", "test",
                "--set", "traefik.nodePort=8080", "--set", "images.traefik=traefik:v9", "--components=traefik,grafana");
        assertTrue(r.out().contains("  name: team-a\n"), r.out());
        assertTrue(r.out().contains("nodePort: 8080\n"), r.out());
        assertTrue(r.out().contains("image: traefik:v9\n"), r.out());
        assertTrue(r.out().contains("host: grafana.test\n"), r.out());
        assertFalse(r.out().contains("jaeger"), r.out());
    }

    @Test
    void should_name_file_and_line_of_an_undefined_jinja_variable_in_a_templates_override() throws Exception {
        write("mine/stack/traefik/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ traefik.nmae }}\n");
        var r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--templates", "mine");
        String line = oneUsageLine(r, dir.resolve("mine/stack/traefik/service.yaml") + ":4: ");
        assertTrue(line.contains("nmae"), line);
    }

    @Test
    void should_name_file_line_and_variable_of_an_unset_environment_variable() throws Exception {
        write("mine/stack/grafana/grafana.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: g\n"
                + "  labels: {team: \"${TEAM}\"}\nstringData:\n  token: ${GRAFANA_TOKEN}\n");
        var r = cli().env("GRAFANA_TOKEN", null).runAndExpect(ExitCode.USAGE, "render", "stack", "--templates", "mine");
        String line = oneUsageLine(r, dir.resolve("mine/stack/grafana/grafana.yaml") + ":7: ${GRAFANA_TOKEN} is not set");
        assertTrue(line.contains("export GRAFANA_TOKEN="), line);

        var ok = cli().env("GRAFANA_TOKEN", "s3cret").runAndExpect(ExitCode.OK, "render", "stack", "--templates", "mine");
        assertTrue(ok.out().contains("token: s3cret\n"), ok.out());
        assertTrue(ok.out().contains("team: \"payments\""), ok.out());
    }

    @Test
    void should_name_file_and_line_of_a_template_syntax_error() throws Exception {
        write("mine/stack/jaeger/jaeger.yaml", "apiVersion: v1\nkind: Service\n{% if jaeger.host %}\nmetadata:\n  name: x\n");
        var r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--templates", "mine");
        String line = oneUsageLine(r, dir.resolve("mine/stack/jaeger/jaeger.yaml") + ":");
        assertTrue(line.matches("error: .*jaeger\\.yaml:\\d+: .+"), line);
    }

    @Test
    void should_reject_an_unknown_set_key_naming_the_flag() {
        var r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--set", "traefik.nodeport=81");
        String line = oneUsageLine(r, "--set traefik.nodeport=81: unknown key traefik.nodeport");
        assertTrue(line.contains("did you mean traefik.nodePort?"), line);
    }

    @Test
    void should_reject_a_bad_set_value_type_naming_the_flag() {
        var r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--set", "traefik.nodePort=http");
        oneUsageLine(r, "--set traefik.nodePort=http: traefik.nodePort takes a whole number (default 80)");
    }

    @Test
    void should_reject_an_unknown_component_listing_the_known_ones() {
        var r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--components", "traefik,graphana");
        oneUsageLine(r, "--components traefik,graphana: unknown component 'graphana'; "
                + "known components: traefik, prometheus, grafana, jaeger");
    }

    @Test
    void should_reject_a_missing_templates_folder() {
        var r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--templates", "nope");
        oneUsageLine(r, "--templates " + dir.resolve("nope") + ": no such folder");
    }

    @Test
    void should_write_nothing_with_out_when_rendering_fails() throws Exception {
        write("k8s/00-namespace.yaml", "previous\n");
        write("mine/stack/jaeger/jaeger.yaml", "kind: {{ undefined_thing }}\n");
        var r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--templates", "mine", "--out", "k8s");
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertEquals("previous\n", Files.readString(dir.resolve("k8s/00-namespace.yaml")));
        try (Stream<Path> files = Files.list(dir.resolve("k8s"))) {
            assertEquals(1, files.count());
        }
        cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--templates", "mine", "--out", "fresh");
        assertFalse(Files.exists(dir.resolve("fresh")), "--out folder must not be created when rendering fails");
    }

    @Test
    void should_write_one_file_per_component_with_out_and_say_so() throws Exception {
        write("k8s/00-namespace.yaml", "previous\n");
        var r = cli().runAndExpect(ExitCode.OK, "render", "stack", "--out", "k8s");
        assertEquals("", r.out());
        try (Stream<Path> files = Files.list(dir.resolve("k8s"))) {
            assertEquals(List.of("00-namespace.yaml", "10-traefik.yaml", "20-prometheus.yaml", "30-grafana.yaml",
                    "40-jaeger.yaml"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertTrue(r.err().contains("wrote " + Path.of("k8s", "10-traefik.yaml") + " (7 documents)"), r.err());
        assertTrue(r.err().contains("wrote " + Path.of("k8s", "00-namespace.yaml") + " (1 document)"), r.err());
        String namespace = Files.readString(dir.resolve("k8s/00-namespace.yaml"));
        assertTrue(namespace.startsWith("---\n# Source: stack/namespace.yaml\n"), namespace);
        String grafana = Files.readString(dir.resolve("k8s/30-grafana.yaml"));
        assertEquals(List.of("stack/grafana/grafana.yaml"), sources(grafana).stream().distinct().toList());
        List<String> kinds = grafana.lines().filter(l -> l.startsWith("kind: ")).toList();
        assertEquals(List.of("kind: ConfigMap", "kind: Secret", "kind: Service", "kind: Ingress"), kinds);

        // the files hold exactly what stdout would show, split by component
        String all = cli().runAndExpect(ExitCode.OK, "render", "stack").out();
        StringBuilder joined = new StringBuilder();
        for (String f : List.of("00-namespace.yaml", "10-traefik.yaml", "20-prometheus.yaml", "30-grafana.yaml", "40-jaeger.yaml")) {
            joined.append(Files.readString(dir.resolve("k8s").resolve(f)));
        }
        assertEquals(sortedDocuments(all), sortedDocuments(joined.toString()));

        // a narrower run keeps the other files and points them out
        var narrow = cli().runAndExpect(ExitCode.OK, "render", "stack", "--components", "traefik", "--out", "k8s");
        assertTrue(narrow.err().contains("warning: " + Path.of("k8s", "40-jaeger.yaml") + " was not rendered this time"),
                narrow.err());
        assertFalse(narrow.err().contains("10-traefik.yaml was not rendered"), narrow.err());
        assertTrue(Files.exists(dir.resolve("k8s/40-jaeger.yaml")));
    }

    @Test
    void should_reject_values_outside_the_bundled_schema_in_one_line_with_exit_2() {
        var bundled = new CliRunner().workDir(dir);
        var r = bundled.runAndExpect(ExitCode.USAGE, "render", "stack", "--set", "traefik.nodePort=99999");
        oneUsageLine(r, "--set traefik.nodePort=99999: traefik.nodePort takes a whole number from 1 to 65535, not 99999; "
                + "a node port outside Kubernetes' default range 30000-32767 (such as 80) also needs");
        r = bundled.runAndExpect(ExitCode.USAGE, "render", "stack", "--set", "images.grafana=");
        oneUsageLine(r, "--set images.grafana=: images.grafana takes an image reference");
        r = bundled.runAndExpect(ExitCode.USAGE, "render", "stack", "--set", "grafana.anonymousRole=Root", "--out", "k8s");
        oneUsageLine(r, "--set grafana.anonymousRole=Root: grafana.anonymousRole takes one of Admin, Editor, Viewer");
        assertFalse(Files.exists(dir.resolve("k8s")), "nothing written");
    }

    @Test
    void should_reject_components_that_name_nothing() {
        for (String flag : List.of(",,", "", " ")) {
            var r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--components", flag);
            oneUsageLine(r, "--components '" + flag + "': names no component");
        }
        var r = cli().runAndExpect(ExitCode.OK, "render", "stack", "--components", "jaeger", "--components", "traefik,");
        assertEquals(List.of("stack/namespace.yaml", "stack/traefik/rbac.yaml"), sources(r.out()).subList(0, 2));
        assertTrue(sources(r.out()).contains("stack/jaeger/jaeger.yaml"), r.out());
    }

    @Test
    void should_report_an_unclosed_expression_at_its_line_not_as_a_yaml_error() throws Exception {
        write("mine/stack/jaeger/jaeger.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ namespace }\n");
        var r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--templates", "mine");
        String line = oneUsageLine(r, dir.resolve("mine/stack/jaeger/jaeger.yaml") + ":4: '{{' is not closed with '}}'");
        assertFalse(line.contains("Event") || line.contains("Exception"), line);
        write("mine/stack/jaeger/jaeger.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n{% endif %}\n");
        r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--templates", "mine");
        oneUsageLine(r, dir.resolve("mine/stack/jaeger/jaeger.yaml") + ":5: {% endif %} has no matching {% if %}");
    }

    @Test
    void should_write_new_files_with_the_umask_mode_and_keep_the_mode_of_existing_ones() throws Exception {
        Files.createDirectories(dir.resolve("k8s"));
        Path reference = Files.createFile(dir.resolve("reference"));
        Path existing = Files.writeString(dir.resolve("k8s/10-traefik.yaml"), "old\n");
        Files.setPosixFilePermissions(existing, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        cli().runAndExpect(ExitCode.OK, "render", "stack", "--out", "k8s");
        assertEquals("rw-r-----", mode(existing));
        assertTrue(Files.readString(existing).startsWith("---\n# Source: stack/traefik/"));
        for (String name : List.of("00-namespace.yaml", "20-prometheus.yaml", "30-grafana.yaml", "40-jaeger.yaml")) {
            assertEquals(mode(reference), mode(dir.resolve("k8s").resolve(name)), name);
        }
        Files.setPosixFilePermissions(existing, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        cli().runAndExpect(ExitCode.OK, "render", "stack", "--out", "k8s");
        assertEquals("rw-r--r--", mode(existing), "a rewrite keeps 0644");
    }

    @Test
    void should_refuse_to_replace_a_folder_with_a_rendered_file_and_write_nothing() throws Exception {
        Files.createDirectories(dir.resolve("k8s/20-prometheus.yaml"));
        write("k8s/00-namespace.yaml", "previous\n");
        var r = cli().runAndExpect(ExitCode.USAGE, "render", "stack", "--out", "k8s");
        oneUsageLine(r, "--out " + dir.resolve("k8s") + ": " + dir.resolve("k8s/20-prometheus.yaml")
                + " exists and is not a regular file");
        assertEquals("previous\n", Files.readString(dir.resolve("k8s/00-namespace.yaml")));
        assertTrue(Files.isDirectory(dir.resolve("k8s/20-prometheus.yaml")));
    }

    private static String mode(Path file) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static List<String> sortedDocuments(String yaml) {
        return Stream.of(yaml.split("(?m)^---\n")).filter(s -> !s.isBlank()).sorted().toList();
    }

    @Test
    void should_explain_itself_with_examples() {
        var r = cli().runAndExpect(ExitCode.OK, "render", "stack", "--help");
        for (String expected : List.of("--namespace", "--domain", "--set", "--components", "--out", "--templates",
                "Examples:", "devk8s render stack --out")) {
            assertTrue(r.out().contains(expected), expected + " missing from:\n" + r.out());
        }
        var root = cli().runAndExpect(ExitCode.OK, "--help");
        assertTrue(root.out().contains("render"), root.out());
    }

    @Test
    void should_ask_what_to_render_without_a_subcommand() {
        var r = cli().runAndExpect(ExitCode.USAGE, "render");
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.err().contains("devk8s render stack"), r.err());
    }
}
