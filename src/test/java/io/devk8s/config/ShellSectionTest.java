package io.devk8s.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code shell:} section of devk8s.yaml: defaults, every field, and each mistake at its line and column. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShellSectionTest {
    private static final String APPS = """
            project: shop
            apps:
              - name: helloworld
              - name: api
            """;

    @TempDir
    Path dir;

    private final ProjectFileLoader loader = new ProjectFileLoader();

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
    }

    private ProjectFile load(String yaml) throws IOException {
        Path f = dir.resolve("devk8s.yaml");
        Files.writeString(f, yaml);
        return loader.load(f);
    }

    private List<String> problems(String yaml) throws IOException {
        Path f = dir.resolve("devk8s.yaml");
        Files.writeString(f, yaml);
        ProjectFileException e = assertThrows(ProjectFileException.class, () -> loader.load(f));
        assertEquals(ExitCode.USAGE, e.exitCode());
        e.problems().forEach(p -> assertFalse(p.contains("\n"), p));
        return e.problems();
    }

    @Test
    void without_a_shell_section_the_defaults_apply() throws IOException {
        ShellConfig shell = load(APPS).shell();

        assertEquals("debugtool", shell.name());
        assertEquals("alpine:3.20", shell.base());
        assertEquals(List.of("curl", "busybox-extras", "tcpdump", "bind-tools"), shell.packages());
        assertTrue(shell.defaultPackages());
        assertEquals(List.of(), shell.tools());
        assertEquals(Optional.empty(), shell.image());
    }

    @Test
    void every_field_is_read_with_tool_paths_relative_to_the_file() throws IOException {
        ShellConfig shell = load(APPS + """
                shell:
                  name: debug
                  base: docker.io/library/debian:bookworm-slim
                  packages: [curl, dnsutils=1:9.18.28-1~deb12u2]
                  tools:
                    - {app: helloworld, binary: bin/helloworldcli}
                    - app: api
                      binary: ./api/bin/apictl
                  image: shop-debug
                """).shell();

        assertEquals("debug", shell.name());
        assertEquals("docker.io/library/debian:bookworm-slim", shell.base());
        assertEquals(List.of("curl", "dnsutils=1:9.18.28-1~deb12u2"), shell.packages());
        assertFalse(shell.defaultPackages());
        assertEquals(List.of("helloworld", "api"), shell.tools().stream().map(ShellConfig.Tool::app).toList());
        assertEquals(dir.resolve("bin/helloworldcli").toAbsolutePath().normalize(), shell.tools().get(0).binary());
        assertEquals(dir.resolve("api/bin/apictl").toAbsolutePath().normalize(), shell.tools().get(1).binary());
        assertEquals("apictl", shell.tools().get(1).fileName());
        assertEquals(Optional.of("shop-debug"), shell.image());
        assertTrue(shell.location().endsWith("devk8s.yaml:5:1"), shell.location());
    }

    @Test
    void an_empty_package_list_means_no_packages() throws IOException {
        ShellConfig shell = load(APPS + "shell:\n  packages: []\n").shell();

        assertEquals(List.of(), shell.packages());
        assertFalse(shell.defaultPackages());
    }

    @Test
    void unknown_keys_are_reported_with_line_column_and_did_you_mean() throws IOException {
        List<String> p = problems(APPS + """
                shell:
                  bsae: alpine:3.20
                  tools:
                    - {app: helloworld, bianry: bin/x}
                """);

        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).endsWith("devk8s.yaml:6:3: unknown key 'bsae' in shell; did you mean 'base'? allowed: "
                + "name, base, packages, tools, image"), p.get(0));
        assertTrue(p.get(1).endsWith("devk8s.yaml:8:25: unknown key 'bianry' in a shell tool; did you mean 'binary'? "
                + "allowed: app, binary"), p.get(1));
        assertTrue(p.get(2).contains("devk8s.yaml:8:7: shell tool without binary:"), p.get(2));
    }

    @Test
    void wrong_types_and_values_are_reported_each_at_its_position() throws IOException {
        List<String> p = problems(APPS + """
                shell:
                  name: Debug_Tool
                  base: "alpine 3.20"
                  packages: curl
                  tools: bin/cli
                  image: true
                """);

        assertEquals(5, p.size(), p.toString());
        assertTrue(p.get(0).contains(":6:9: shell.name 'Debug_Tool' must be a DNS label"), p.get(0));
        assertTrue(p.get(1).contains(":7:9: shell.base 'alpine 3.20' is not an image reference"), p.get(1));
        assertTrue(p.get(2).contains(":10:10: shell.image must be a string, not the boolean true"), p.get(2));
        assertTrue(p.get(3).contains(":8:13: shell.packages must be a list of package names"), p.get(3));
        assertTrue(p.get(4).contains(":9:10: shell.tools must be a list of {app: NAME, binary: PATH}, not 'bin/cli'"),
                p.get(4));
    }

    @Test
    void a_package_name_with_shell_syntax_or_a_number_is_refused() throws IOException {
        List<String> p = problems(APPS + "shell:\n  packages: [curl, 'tcpdump; rm -rf /', 7]\n");

        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).contains(":6:20: shell.packages: 'tcpdump; rm -rf /' is not a package name"), p.get(0));
        assertTrue(p.get(1).contains(":6:41: shell.packages: '7' is not a package name"), p.get(1));
    }

    @Test
    void a_tool_of_an_unknown_app_gets_the_closest_name() throws IOException {
        List<String> p = problems(APPS + "shell:\n  tools: [{app: helloword, binary: bin/cli}]\n");

        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).endsWith("devk8s.yaml:6:17: shell.tools: no app 'helloword' in this file; did you mean "
                + "'helloworld'? apps: helloworld, api"), p.get(0));
    }

    @Test
    void a_shell_section_that_is_no_mapping_and_two_tools_of_one_file_name_are_refused() throws IOException {
        assertTrue(problems(APPS + "shell: alpine\n").get(0).contains(":5:8: shell must be a mapping"));

        List<String> p = problems(APPS + """
                shell:
                  tools:
                    - {app: helloworld, binary: bin/cli}
                    - {app: api, binary: api/bin/cli}
                """);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains(":8:7: shell.tools: a second binary named 'cli' (first at "), p.get(0));
    }
}
