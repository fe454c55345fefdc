package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** API version negotiation and platform names; talking to a real daemon is in {@link BuildContextIT}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DockerDaemonTest {
    @Test
    void should_use_the_lower_of_the_daemons_and_docker_javas_newest_api_version() {
        assertEquals("1.41", DockerDaemon.negotiate("1.41", "1.12", "tcp://h:2376"), "Docker 20.10");
        assertEquals("1.44", DockerDaemon.negotiate("1.52", "1.44", "tcp://h:2376"), "Docker 29 refuses below 1.44");
        assertEquals("1.44", DockerDaemon.negotiate("1.44", "1.24", "tcp://h:2376"));
        assertEquals("1.24", DockerDaemon.negotiate("", "", "tcp://h:2376"));
    }

    @Test
    void should_refuse_in_one_line_a_daemon_newer_than_docker_java_can_speak() {
        Devk8sException e = assertThrows(Devk8sException.class,
                () -> DockerDaemon.negotiate("1.60", "1.50", "tcp://192.168.49.2:2376"));
        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertTrue(e.getMessage().contains("tcp://192.168.49.2:2376"), e.getMessage());
        assertTrue(e.getMessage().contains("1.50"), e.getMessage());
    }

    @Test
    void should_compare_versions_numerically() {
        assertTrue(DockerDaemon.compare("1.9", "1.10") < 0);
        assertTrue(DockerDaemon.compare("1.44", "1.44.0") == 0);
        assertTrue(DockerDaemon.compare("2.0", "1.99") > 0);
    }

    @Test
    void should_name_the_target_platform_in_gos_terms() {
        assertEquals("amd64", new DockerDaemon.Info("29.0.0", "1.52", "1.44", "1.44", "linux", "x86_64").targetArch());
        assertEquals("arm64", new DockerDaemon.Info("29.0.0", "1.52", "1.44", "1.44", "linux", "aarch64").targetArch());
        assertEquals("arm64", new DockerDaemon.Info("29.0.0", "1.52", "1.44", "1.44", "linux", "arm64").targetArch());
        assertEquals("linux", new DockerDaemon.Info("29.0.0", "1.52", "1.44", "1.44", "linux", "amd64").targetOs());
    }

    @Test
    void should_load_the_client_classes_for_the_start_up_archive_without_a_daemon() {
        // fails when a class, the JSON of the daemon's answers or the tar writer cannot be used; nothing listens on
        // 127.0.0.1:1, so a request it made by mistake would fail too
        DockerDaemon.trainingRun();
    }
}
