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
    void the_sandboxs_minikube_answers_status_and_profile_list_only() {
        assertTrue(TrainingRun.MINIKUBE_SCRIPT.startsWith("#!/bin/sh\n"));
        assertTrue(TrainingRun.MINIKUBE_SCRIPT.contains("*\" status \"*)"));
        assertTrue(TrainingRun.MINIKUBE_SCRIPT.contains("*\" profile list \"*)"));
        assertTrue(TrainingRun.MINIKUBE_SCRIPT.contains("*) exit 1 ;;"));
    }
}
