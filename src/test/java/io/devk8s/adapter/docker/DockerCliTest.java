package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DockerCliTest {

    @Test
    void should_pass_tag_build_args_target_and_labels_like_the_api_build() {
        var request = new DockerDaemon.BuildRequest(List.of("helloworld:v1"), Map.of("BASE", "busybox", "A", "1"),
                "runtime", Map.of(DockerDaemon.INPUT_DIGEST_LABEL, "abc", "app", "helloworld"));
        assertEquals(List.of("build", "--progress", "plain", "--tag", "helloworld:v1", "--build-arg", "A=1",
                "--build-arg", "BASE=busybox", "--target", "runtime", "--label", "app=helloworld", "--label",
                "devk8s.io/input-digest=abc", "--file", "/src/app/docker/Dockerfile", "/src/app"),
                DockerCli.arguments(Path.of("/src/app"), "docker/Dockerfile", request));
    }

    @Test
    void should_leave_out_an_empty_target() {
        var request = new DockerDaemon.BuildRequest(List.of("a:1"), Map.of(), "", Map.of());
        assertEquals(List.of("build", "--progress", "plain", "--tag", "a:1", "--file", "/c/Dockerfile", "/c"),
                DockerCli.arguments(Path.of("/c"), "Dockerfile", request));
    }

    @Test
    void should_read_the_major_version_of_the_cli() {
        assertEquals(20, DockerCli.major("20.10.24+dfsg1"));
        assertEquals(28, DockerCli.major("28.2.2"));
        assertEquals(0, DockerCli.major(""));
        assertEquals(0, DockerCli.major("unknown"));
    }
}
