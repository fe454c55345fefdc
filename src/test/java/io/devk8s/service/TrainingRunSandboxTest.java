package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Services;
import io.devk8s.cli.Devk8sCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The sandbox the start-up archive's training run executes {@code status} in: {@code status} must get as far as a
 * user's does on a running stack (the profile running, the API server read, a component found), or the archive
 * misses the classes of that path. Runs the real {@code status} command against the sandbox's loopback server
 * ({@code EmptyApiServer}, which stands in for an API server: it holds one Deployment and nothing else).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TrainingRunSandboxTest {

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC}) // the sandbox's minikube is a /bin/sh script
    void status_in_the_sandbox_reads_a_running_profile_and_the_api_server() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        String[] status = {"status", "--hosts-file", "hosts", "--no-color"};
        AtomicReference<Path> sandbox = new AtomicReference<>();
        int code = TrainingRun.inStatusSandbox(env -> {
            sandbox.set(env.workDir());
            return Devk8sCommand.commandLineFor(new Devk8sCommand(env, Services::new), out, out, status)
                    .execute(status);
        });
        out.flush();
        String report = text.toString();
        assertTrue(report.matches("(?s).*profile +minikube +running +127\\.0\\.0\\.1 .*"), report);
        assertTrue(report.matches("(?s).*traefik +1/1 +available +docker\\.io/traefik:v3.*"), report);
        assertTrue(report.matches("(?s).*prometheus +- +not deployed.*"), report);
        assertEquals(1, code, report); // the rest of the stack is missing: degraded
        assertFalse(Files.exists(sandbox.get()), "the sandbox folder was left behind: " + sandbox.get());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void deploy_in_the_sandbox_builds_when_the_engine_has_no_image_and_is_unchanged_when_it_has() {
        String[] deploy = {"deploy", "-f", "project/devk8s.yaml", "--no-hosts", "--no-wait", "--no-color"};
        for (boolean holdsImages : new boolean[] {false, true}) {
            StringWriter text = new StringWriter();
            PrintWriter out = new PrintWriter(text);
            int code = TrainingRun.inSandbox(holdsImages, env -> Devk8sCommand.commandLineFor(
                    new Devk8sCommand(env, Services::new), out, out, deploy).execute(deploy));
            out.flush();
            String report = text.toString();
            assertEquals(0, code, report);
            assertTrue(report.contains(holdsImages ? "web: image web:0.0.0-" : "built web:0.0.0-"), report);
            assertTrue(report.contains(holdsImages ? "unchanged" : "web: building web:"), report);
            assertTrue(report.contains("applied 3 objects: 3 created"), report);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void up_in_the_sandbox_applies_the_stack_and_writes_only_the_sandboxs_hosts_file() {
        String[] up = {"up", "--no-wait", "--hosts-file", "hosts", "--no-color"};
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        int code = TrainingRun.inStatusSandbox(env -> Devk8sCommand.commandLineFor(
                new Devk8sCommand(env, Services::new), out, out, up).execute(up));
        out.flush();
        String report = text.toString();
        assertEquals(0, code, report);
        assertTrue(report.contains("applied 30 objects: 30 created"), report);
        assertTrue(report.matches("(?s).*hosts: updated /.*devk8s-training[^/]*/hosts .*"), report);
    }

    @Test
    void the_sandboxs_minikube_answers_status_profile_list_and_docker_env_only() {
        String script = TrainingRun.minikubeScript("tcp://127.0.0.1:1", java.util.Optional.of(Path.of("/sandbox/certs")));
        assertTrue(script.startsWith("#!/bin/sh\n"));
        assertTrue(script.contains("*\" status \"*)"));
        assertTrue(script.contains("*\" profile list \"*)"));
        assertTrue(script.contains("DOCKER_HOST=\"tcp://127.0.0.1:1\""));
        assertTrue(script.contains("'DOCKER_TLS_VERIFY=\"1\"' 'DOCKER_CERT_PATH=\"/sandbox/certs\"'"), script);
        assertTrue(!TrainingRun.minikubeScript("tcp://127.0.0.1:1", java.util.Optional.empty()).contains("DOCKER_TLS"));
        assertTrue(script.contains("*) exit 1 ;;"));
    }
}
