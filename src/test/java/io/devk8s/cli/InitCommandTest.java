package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.ExitCode;
import io.devk8s.config.AppConfig;
import io.devk8s.config.AppKind;
import io.devk8s.config.ProjectFile;
import io.devk8s.config.ProjectFileLoader;
import io.devk8s.service.AppTemplatesTestAccess;
import io.devk8s.support.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code devk8s init}: a new devk8s.yaml or one more app in an existing one (every other byte kept), the default
 * templates of the kind copied for the user to own and rendering exactly as the defaults do, and every refusal
 * (existing app, existing file, bad NAME) in one line with nothing written.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InitCommandTest {
    @TempDir
    Path root;

    private CliRunner cli(Path dir) {
        return new CliRunner().workDir(dir);
    }

    private Path folder(String name) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        return dir;
    }

    @Test
    void should_write_a_new_project_file_and_the_http_templates_named_after_the_folder() throws Exception {
        Path dir = folder("My_Shop.Web");
        var r = cli(dir).runAndExpect(ExitCode.OK, "init");
        assertTrue(r.err().contains("wrote devk8s.yaml"), r.err());

        ProjectFile project = new ProjectFileLoader().load(dir.resolve("devk8s.yaml"));
        assertEquals("my-shop-web", project.project());
        AppConfig app = project.app("my-shop-web").orElseThrow();
        assertEquals(AppKind.HTTP, app.kind());
        assertEquals(8080, app.port());
        assertEquals(List.of(dir.resolve("deployment/my-shop-web/10-deployment.yaml"),
                dir.resolve("deployment/my-shop-web/20-service.yaml"),
                dir.resolve("deployment/my-shop-web/30-ingress.yaml")), app.manifests());
        // the copies render exactly as the defaults do
        assertEquals(AppTemplatesTestAccess.renderDefaults(project, app), AppTemplatesTestAccess.render(project, app));
    }

    @Test
    void should_add_a_grpc_app_to_an_existing_file_keeping_its_comments_and_layout() throws Exception {
        Path dir = folder("shop");
        Path sub = Files.createDirectories(dir.resolve("services/greeter"));
        Files.writeString(sub.resolve("Dockerfile"), "FROM scratch\n");
        String original = """
                # our project
                project: shop   # the appgroup
                apps:
                    # the web front end
                    -   name: web
                        port: 8081
                        env: {A: "1"}
                        # env: {B: "2"} later
                # a comment between apps: and namespace:
                namespace: team
                """;
        Files.writeString(dir.resolve("devk8s.yaml"), original);
        var r = cli(sub).runAndExpect(ExitCode.OK, "init", "greeter", "--grpc", "-f", "../..");
        String after = Files.readString(dir.resolve("devk8s.yaml"));
        String added = """
                    -   name: greeter
                        kind: grpc
                        port: 8080
                        context: services/greeter
                        manifests: [deployment/greeter/*.yaml]   # copied by devk8s init: yours to edit
                """;
        int cut = original.indexOf("# a comment between");
        assertEquals(original.substring(0, cut) + added + original.substring(cut), after, r.err());

        ProjectFile project = new ProjectFileLoader().load(dir.resolve("devk8s.yaml"));
        assertEquals(List.of("web", "greeter"), project.apps().stream().map(AppConfig::name).toList());
        AppConfig app = project.app("greeter").orElseThrow();
        assertEquals(AppKind.GRPC, app.kind());
        assertEquals(sub, app.context());
        assertEquals(4, app.manifests().size());
        assertTrue(Files.readString(dir.resolve("deployment/greeter/30-service.yaml")).contains("clusterIP: None"));
        assertEquals(AppTemplatesTestAccess.renderDefaults(project, app), AppTemplatesTestAccess.render(project, app));
    }

    @Test
    void should_refuse_an_app_name_that_exists_and_write_nothing() throws Exception {
        Path dir = folder("shop");
        String original = "project: shop\napps:\n  - name: web\n";
        Files.writeString(dir.resolve("devk8s.yaml"), original);
        var r = cli(dir).runAndExpect(ExitCode.USAGE, "init", "web", "--force");
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.errLines().contains("devk8s.yaml:3:11: app 'web' already exists"), r.err());
        assertEquals(original, Files.readString(dir.resolve("devk8s.yaml")));
        assertFalse(Files.exists(dir.resolve("deployment")));
    }

    @Test
    void should_refuse_to_overwrite_a_template_file_unless_forced() throws Exception {
        Path dir = folder("web");
        Files.createDirectories(dir.resolve("deployment/web"));
        Files.writeString(dir.resolve("deployment/web/20-service.yaml"), "mine\n");
        var r = cli(dir).runAndExpect(ExitCode.USAGE, "init");
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.errLines().contains("20-service.yaml exists") && r.errLines().contains("--force"), r.err());
        assertEquals("mine\n", Files.readString(dir.resolve("deployment/web/20-service.yaml")));
        assertFalse(Files.exists(dir.resolve("devk8s.yaml")));
        assertFalse(Files.exists(dir.resolve("deployment/web/10-deployment.yaml")));

        cli(dir).runAndExpect(ExitCode.OK, "init", "--force");
        assertTrue(Files.readString(dir.resolve("deployment/web/20-service.yaml")).contains("kind: Service"));
    }

    @Test
    void should_print_what_a_dry_run_would_write_and_write_nothing() throws Exception {
        Path dir = folder("web");
        var r = cli(dir).runAndExpect(ExitCode.OK, "init", "api", "--grpc", "--dry-run");
        assertTrue(r.out().contains("# write deployment/api/20-deployment.yaml"), r.out());
        assertTrue(r.out().contains("# write devk8s.yaml"), r.out());
        assertTrue(r.out().contains("  - name: api\n    kind: grpc\n"), r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("Dockerfile")), files.toList());
        }
    }

    @Test
    void should_refuse_a_bad_name_in_one_line() throws Exception {
        Path dir = folder("web");
        var r = cli(dir).runAndExpect(ExitCode.USAGE, "init", "My_App");
        assertEquals(1, r.errLines().lines().count(), r.err());
        assertTrue(r.errLines().contains("NAME My_App") && r.errLines().contains("DNS label")
                && r.errLines().contains("my-app"), r.err());
        assertFalse(Files.exists(dir.resolve("devk8s.yaml")));
    }

    @Test
    void should_refuse_a_flow_style_apps_list_and_a_file_that_is_not_yaml() throws Exception {
        Path dir = folder("web");
        Files.writeString(dir.resolve("devk8s.yaml"), "project: p\napps: [{name: a}]\n");
        var r = cli(dir).runAndExpect(ExitCode.USAGE, "init");
        assertTrue(r.errLines().contains("devk8s.yaml:2:7: apps: is not a block list"), r.err());
        Files.writeString(dir.resolve("devk8s.yaml"), "project: [p\n");
        r = cli(dir).runAndExpect(ExitCode.USAGE, "init");
        assertTrue(r.errLines().contains("not valid YAML"), r.err());
        assertEquals("project: [p\n", Files.readString(dir.resolve("devk8s.yaml")));
        assertFalse(Files.exists(dir.resolve("deployment")));
    }
}
