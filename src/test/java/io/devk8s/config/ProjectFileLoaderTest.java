package io.devk8s.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** devk8s.yaml: found upwards or with -f, read into records, and every mistake reported at its line and column. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectFileLoaderTest {
    private static final Path PROJECT = Path.of(System.getProperty("devk8s.project.dir", "."));

    @TempDir
    Path dir;

    private final ProjectFileLoader loader = new ProjectFileLoader();

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(dir.resolve("hello/deployment"));
        Files.writeString(dir.resolve("hello/Dockerfile"), "FROM scratch\n");
        Files.writeString(dir.resolve("hello/deployment/10-deployment.yaml"), "kind: Deployment\n");
        Files.writeString(dir.resolve("hello/deployment/20-service.yaml"), "kind: Service\n");
    }

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("devk8s.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private List<String> problems(String yaml) throws IOException {
        Path f = write(yaml);
        ProjectFileException e = assertThrows(ProjectFileException.class, () -> loader.load(f));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        e.problems().forEach(p -> assertFalse(p.contains("\n"), p));
        return e.problems();
    }

    @Test
    void should_read_every_field_with_paths_relative_to_the_file() throws IOException {
        Path f = write("""
                project: myproject
                namespace: team-a
                apps:
                  - name: helloworld
                    image: helloworld
                    context: hello
                    dockerfile: Dockerfile
                    buildArgs: {BASE: gcr.io/distroless/static-debian12}
                    target: ""
                    build:
                      command: go build -ldflags "-X=main.version=${VERSION}-${DATE}" -o bin/helloworld .
                      dir: hello
                      env: {CGO_ENABLED: "0", GOOS: "${TARGETOS}", GOARCH: "${TARGETARCH}"}
                      inputs: ["**/*.go", go.mod]
                    manifests: [hello/deployment/*.yaml]
                    kind: http
                    port: 8080
                    ingress: helloworld
                    env: {GREETING: hello}
                  - name: greeter
                    image: registry.local:5000/greeter:dev
                    context: hello
                    kind: grpc
                    port: 9090
                    ingress: false
                """);
        ProjectFile p = loader.load(f);
        assertEquals("myproject", p.project());
        assertEquals(Optional.of("team-a"), p.namespace());
        assertEquals(2, p.apps().size());
        AppConfig hello = p.app("helloworld").orElseThrow();
        assertEquals(dir.resolve("hello"), hello.context());
        assertEquals("Dockerfile", hello.dockerfile());
        assertEquals(Map.of("BASE", "gcr.io/distroless/static-debian12"), hello.buildArgs());
        assertEquals("", hello.target());
        BuildCommand build = hello.build().orElseThrow();
        assertEquals("go build -ldflags \"-X=main.version=${VERSION}-${DATE}\" -o bin/helloworld .", build.command());
        assertEquals(dir.resolve("hello"), build.dir());
        assertEquals("0", build.env().get("CGO_ENABLED"));
        assertEquals("${TARGETARCH}", build.env().get("GOARCH"));
        assertEquals(List.of("**/*.go", "go.mod"), build.inputs());
        assertEquals(List.of(dir.resolve("hello/deployment/10-deployment.yaml"),
                dir.resolve("hello/deployment/20-service.yaml")), hello.manifests());
        assertEquals(AppKind.HTTP, hello.kind());
        assertEquals(8080, hello.port());
        assertEquals(Optional.of("helloworld"), hello.ingress());
        assertEquals(Map.of("GREETING", "hello"), hello.env());
        assertEquals("helloworld", hello.repository());
        assertEquals(Optional.empty(), hello.tag());

        AppConfig greeter = p.app("greeter").orElseThrow();
        assertEquals(AppKind.GRPC, greeter.kind());
        assertEquals(Optional.empty(), greeter.ingress());
        assertEquals("registry.local:5000/greeter", greeter.repository());
        assertEquals(Optional.of("dev"), greeter.tag());
        assertTrue(greeter.manifests().isEmpty(), "no manifests: the default templates of the kind");
        assertEquals(Optional.empty(), greeter.build());
    }

    @Test
    void should_apply_the_defaults() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        ProjectFile p = loader.load(write("project: p\napps:\n  - name: web\n"));
        AppConfig web = p.apps().get(0);
        assertEquals(Optional.empty(), p.namespace());
        assertEquals("web", web.image());
        assertEquals(dir, web.context());
        assertEquals("Dockerfile", web.dockerfile());
        assertEquals(AppKind.HTTP, web.kind());
        assertEquals(8080, web.port());
        assertEquals(Optional.of("web"), web.ingress());
    }

    @Test
    void should_report_unknown_keys_with_line_column_and_did_you_mean() throws IOException {
        List<String> problems = problems("""
                project: p
                apps:
                  - name: web
                    context: hello
                    buildargs: {A: b}
                    imgae: web
                    build:
                      comand: make
                """);
        Path f = dir.resolve("devk8s.yaml");
        assertEquals(f + ":5:5: unknown key 'buildargs' in an app; did you mean 'buildArgs'? allowed: name, image, "
                + "context, dockerfile, buildArgs, target, build, manifests, kind, port, ingress, env", problems.get(0));
        assertTrue(problems.get(1).startsWith(f + ":6:5: unknown key 'imgae' in an app; did you mean 'image'?"),
                problems.get(1));
        assertTrue(problems.get(2).startsWith(f + ":8:7: unknown key 'comand' in build; did you mean 'command'? "
                + "allowed: command, dir, env, inputs"), problems.get(2));
        assertTrue(problems.get(3).startsWith(f + ":7:5: build without command"), problems.get(3));
    }

    @Test
    void should_report_wrong_types_and_values() throws IOException {
        List<String> problems = problems("""
                project: p
                apps:
                  - name: Web_App
                    context: hello
                    port: eighty
                    kind: soap
                    ingress: true
                    env: [A, B]
                    buildArgs: {N: ~}
                    manifests: hello/deployment/*.yaml
                """);
        Path f = dir.resolve("devk8s.yaml");
        assertEquals(List.of(
                f + ":3:11: app name 'Web_App' must be a DNS label: lower-case letters, digits and '-', starting and "
                        + "ending with a letter or digit, at most 63",
                f + ":9:20: buildArgs.N must be a string (quote numbers and true/false), not an empty value",
                f + ":10:16: manifests must be a list of paths or globs ([a.yaml, 'deploy/*.yaml']), not "
                        + "'hello/deployment/*.yaml'",
                f + ":6:11: kind 'soap' is not known; allowed: http, grpc",
                f + ":5:11: port must be a number from 1 to 65535, not 'eighty'",
                f + ":7:14: ingress: true is not a host; write a host label (ingress: Web_App) or false for no Ingress",
                f + ":8:10: env must be a mapping of NAME: value, not a list"), problems);
    }

    @Test
    void should_report_duplicate_apps_and_missing_files() throws IOException {
        List<String> problems = problems("""
                project: p
                apps:
                  - name: web
                    context: hello
                  - name: web
                    context: nowhere
                  - name: api
                    context: hello
                    dockerfile: api.Dockerfile
                    manifests: [deploy/*.yaml]
                    build:
                      command: make
                      dir: src
                """);
        Path f = dir.resolve("devk8s.yaml");
        assertEquals(List.of(
                f + ":6:14: build context " + dir.resolve("nowhere") + " is not a folder; set context: to the folder "
                        + "the image is built from",
                f + ":9:17: no Dockerfile at " + dir.resolve("hello/api.Dockerfile") + "; dockerfile: is relative to "
                        + "the context (" + dir.resolve("hello") + ")",
                f + ":13:12: build dir " + dir.resolve("src") + " is not a folder (relative paths are relative to "
                        + "devk8s.yaml)",
                f + ":10:17: manifests: 'deploy/*.yaml' matches no file in " + dir + " (paths are relative to "
                        + "devk8s.yaml)"), problems);
        // the duplicate is reported when both entries are otherwise fine
        List<String> dup = problems("project: p\napps:\n  - name: web\n    context: hello\n  - name: web\n"
                + "    context: hello\n");
        assertEquals(List.of(f + ":5:5: duplicate app name 'web' (first at " + f + ":3:5); app names must be unique"),
                dup);
    }

    @Test
    void should_report_missing_sections_repeated_keys_and_bad_yaml() throws IOException {
        Path f = dir.resolve("devk8s.yaml");
        assertEquals(List.of(f + ":1:1: missing project: (the appgroup label of every app), e.g. project: myproject",
                f + ":1:1: missing apps: (a list of apps, each with at least name:)"), problems("namespace: x\n"));
        assertEquals(List.of(f + ":2:1: 'project' is given twice (first at " + f + ":1:1); keep one"),
                problems("project: a\nproject: b\napps:\n  - name: w\n    context: hello\n"));
        List<String> bad = problems("project: p\napps:\n  - name: [unclosed\n");
        assertEquals(1, bad.size());
        assertTrue(bad.get(0).startsWith(f + ":"), bad.get(0));
        assertTrue(bad.get(0).contains("not valid YAML"), bad.get(0));
        assertTrue(bad.get(0).matches(".*devk8s\\.yaml:\\d+:\\d+: .*"), bad.get(0));
    }

    @Test
    void should_find_the_file_in_the_nearest_parent_or_take_it_from_f() throws IOException {
        Path f = write("project: p\napps:\n  - name: w\n    context: hello\n");
        Path deep = Files.createDirectories(dir.resolve("hello/deployment/x"));
        assertEquals(f, ProjectFileLoader.locate(deep, null));
        Path other = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(other.resolve("custom.yaml"), "project: q\napps:\n  - name: w\n    context: ../hello\n");
        Path custom = ProjectFileLoader.locate(deep, "../../../elsewhere/custom.yaml");
        assertEquals(other.resolve("custom.yaml"), custom);
        assertEquals(dir.resolve("hello"), loader.load(custom).apps().get(0).context(), "relative to the file");

        Devk8sException missing = assertThrows(Devk8sException.class, () -> ProjectFileLoader.locate(dir, "nope.yaml"));
        assertEquals(ExitCode.USAGE, missing.exitCode());
        assertTrue(missing.getMessage().startsWith("-f nope.yaml: no such file"), missing.getMessage());
        Path outside = Files.createTempDirectory("devk8s-no-project");
        try {
            Devk8sException none = assertThrows(Devk8sException.class, () -> ProjectFileLoader.locate(outside, null));
            assertTrue(none.getMessage().contains("no devk8s.yaml in " + outside.toAbsolutePath().normalize()),
                    none.getMessage());
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void should_load_the_helloworld_example() {
        Path file = PROJECT.resolve("examples/helloworld/devk8s.yaml");
        ProjectFile p = loader.load(file);
        AppConfig app = p.app("helloworld").orElseThrow();
        assertFalse(app.manifests().isEmpty());
        assertTrue(app.build().isPresent());
    }

    @Test
    void should_read_the_registry_and_the_allowed_contexts() throws IOException {
        Path f = write("""
                project: p
                registry: localhost:5001/team
                allowContexts: [shared-dev, gke_team_europe-west1_dev]
                apps:
                  - name: web
                    context: hello
                """);
        ProjectFile file = loader.load(f);
        assertEquals(Optional.of("localhost:5001/team"), file.registry());
        assertEquals(List.of("shared-dev", "gke_team_europe-west1_dev"), file.allowContexts());
        ProjectFile plain = loader.load(write("project: p\napps:\n  - name: web\n    context: hello\n"));
        assertEquals(Optional.empty(), plain.registry());
        assertEquals(List.of(), plain.allowContexts());
    }

    @Test
    void should_report_a_registry_with_a_scheme_and_allowed_contexts_that_are_not_a_list() throws IOException {
        List<String> problems = problems("""
                project: p
                registry: https://localhost:5001
                allowContexts: shared-dev
                apps:
                  - name: web
                    context: hello
                """);
        Path f = dir.resolve("devk8s.yaml");
        assertEquals(List.of(
                f + ":2:11: registry 'https://localhost:5001' must be HOST[:PORT][/PATH] without a scheme, e.g. "
                        + "registry: localhost:5001",
                f + ":3:16: allowContexts must be a list of kube context names ([shared-dev, team-cluster]), not "
                        + "'shared-dev'"), problems);
    }
}
