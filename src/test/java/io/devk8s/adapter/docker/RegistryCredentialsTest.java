package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.ToolFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push credentials from a docker config file written by the test, and from a real credential helper process (the
 * stand-in fixtures/bin/docker-credential-devk8stest, which speaks the helpers' stdin/stdout protocol).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RegistryCredentialsTest {
    @TempDir
    Path dir;

    private RegistryCredentials credentials(Map<String, String> extra) throws Exception {
        Path bin = dir.resolve("bin");
        ToolFixtures.install(bin, "docker-credential-devk8stest");
        Map<String, String> vars = new HashMap<>();
        vars.put("HOME", dir.toString());
        vars.put("PATH", MinikubeFixture.pathWith(bin));
        vars.put("DOCKER_CONFIG", dir.resolve("docker").toString());
        vars.put("FIXTURE_CRED_LOG", dir.resolve("cred.log").toString());
        vars.putAll(extra);
        Environment env = new Environment(vars, dir);
        return new RegistryCredentials(env, new ProcessRunner(env));
    }

    private void config(String json) throws Exception {
        Files.createDirectories(dir.resolve("docker"));
        Files.writeString(dir.resolve("docker/config.json"), json);
    }

    @Test
    void should_read_user_and_password_from_the_base64_auth_of_auths() throws Exception {
        String auth = Base64.getEncoder().encodeToString("dev:pa:ss".getBytes(StandardCharsets.UTF_8));
        config("{\"auths\": {\"https://localhost:5001\": {\"auth\": \"" + auth + "\"}}}");
        var found = credentials(Map.of()).lookup("localhost:5001");
        assertEquals(new DockerDaemon.RegistryAuth("localhost:5001", "dev", "pa:ss", null), found.auth());
        assertTrue(found.source().endsWith("config.json (auths)"), found.source());
    }

    @Test
    void should_be_anonymous_without_a_file_or_an_entry() throws Exception {
        assertTrue(credentials(Map.of()).lookup("localhost:5001").auth().isAnonymous());
        config("{\"auths\": {\"other:1\": {\"auth\": \"eDp5\"}}}");
        assertTrue(credentials(Map.of()).lookup("localhost:5001").auth().isAnonymous());
    }

    @Test
    void should_ask_the_registrys_credential_helper_with_the_host_on_stdin() throws Exception {
        config("{\"credsStore\": \"missing-store\", \"credHelpers\": {\"localhost:5001\": \"devk8stest\"}}");
        var found = credentials(Map.of("FIXTURE_CRED_SERVER", "localhost:5001", "FIXTURE_CRED_USER", "ci",
                "FIXTURE_CRED_SECRET", "t0ken")).lookup("localhost:5001");
        assertEquals(new DockerDaemon.RegistryAuth("localhost:5001", "ci", "t0ken", null), found.auth());
        assertEquals("docker-credential-devk8stest", found.source());
        assertEquals(List.of("get localhost:5001"), MinikubeFixture.calls(dir.resolve("cred.log")));
    }

    @Test
    void should_take_an_identity_token_from_a_helper_answering_the_token_user() throws Exception {
        config("{\"credsStore\": \"devk8stest\"}");
        var found = credentials(Map.of("FIXTURE_CRED_SERVER", "registry.example.com", "FIXTURE_CRED_USER",
                "<token>", "FIXTURE_CRED_SECRET", "id-token")).lookup("registry.example.com");
        assertEquals(new DockerDaemon.RegistryAuth("registry.example.com", null, null, "id-token"), found.auth());
    }

    @Test
    void should_be_anonymous_when_the_helper_has_no_entry() throws Exception {
        config("{\"credsStore\": \"devk8stest\"}");
        var found = credentials(Map.of("FIXTURE_CRED_SERVER", "elsewhere:1")).lookup("localhost:5001");
        assertTrue(found.auth().isAnonymous());
    }

    @Test
    void should_refuse_a_helper_that_is_not_on_path_in_one_line_naming_it_and_the_fix() throws Exception {
        config("{\"credHelpers\": {\"localhost:5001\": \"nowhere\"}}");
        Devk8sException e = assertThrows(Devk8sException.class,
                () -> credentials(Map.of()).lookup("localhost:5001"));
        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertTrue(e.getMessage().contains("docker-credential-nowhere for localhost:5001, which is not on PATH"),
                e.getMessage());
        assertTrue(e.getMessage().contains("docker login localhost:5001"), e.getMessage());
    }

    @Test
    void should_refuse_a_config_file_that_is_not_json_naming_the_file() throws Exception {
        config("{auths: ");
        Devk8sException e = assertThrows(Devk8sException.class,
                () -> credentials(Map.of()).lookup("localhost:5001"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith(dir.resolve("docker/config.json") + ": not valid JSON"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void should_name_the_registry_of_an_image_reference() {
        assertEquals("docker.io", RegistryCredentials.registryOf("busybox:1.36"));
        assertEquals("docker.io", RegistryCredentials.registryOf("team/app:1"));
        assertEquals("localhost:5001", RegistryCredentials.registryOf("localhost:5001/team/app:1"));
        assertEquals("ghcr.io", RegistryCredentials.registryOf("ghcr.io/team/app@sha256:abc"));
        assertEquals("localhost", RegistryCredentials.registryOf("localhost/app"));
    }
}
