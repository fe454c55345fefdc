package io.devk8s.service.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.devk8s.Environment;
import io.devk8s.adapter.docker.BuildContext;
import io.devk8s.adapter.git.GitCli;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.process.ProcessRunner.Invocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VERSION from a real git repository in a temp folder: clean, tagged, dirty, untracked, outside git. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class VersionsTest {
    @TempDir
    Path tmp;

    private ProcessRunner runner;
    private Versions versions;
    private Path repo;
    private Path app;

    @BeforeEach
    void setUp() throws IOException {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.keySet().removeIf(k -> k.startsWith("GIT_"));
        vars.put("HOME", tmp.toString());
        vars.put("GIT_CONFIG_NOSYSTEM", "1");
        runner = new ProcessRunner(new Environment(vars, tmp));
        if (runner.which("git").isEmpty()) {
            fail("git is not on PATH: install it (scripts/test.sh does)");
        }
        versions = new Versions(new GitCli(runner));
        repo = Files.createDirectories(tmp.resolve("repo"));
        app = Files.createDirectories(repo.resolve("apps/hello"));
        Files.writeString(app.resolve("Dockerfile"), "FROM scratch\n");
        Files.writeString(app.resolve("main.go"), "package main\n");
        Files.writeString(repo.resolve("README.md"), "readme\n");
    }

    private void git(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("-c", "user.name=Dev", "-c", "user.email=dev@example.com",
                "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main"));
        all.addAll(List.of(args));
        var r = runner.run(Invocation.of(runner.which("git").orElseThrow(), all).withWorkDir(repo));
        assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.output());
    }

    private String digest() {
        return BuildContext.scan(app, "Dockerfile").inputDigest(Map.of(), "");
    }

    @Test
    void should_use_git_describe_when_clean_and_mark_tracked_and_untracked_changes_with_the_content_digest()
            throws IOException {
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "first");
        String commitOnly = versions.version(app, digest());
        assertTrue(commitOnly.matches("[0-9a-f]{7,}"), "no tag yet: the abbreviated commit, got " + commitOnly);

        git("tag", "v1.2.0");
        assertEquals("v1.2.0", versions.version(app, digest()));
        Files.writeString(app.resolve("more.go"), "package main\n");
        git("add", "-A");
        git("commit", "-q", "-m", "second");
        String afterCommit = versions.version(app, digest());
        assertTrue(afterCommit.matches("v1\\.2\\.0-1-g[0-9a-f]{7,}"), afterCommit);

        // a change outside the context leaves the app clean
        Files.writeString(repo.resolve("README.md"), "changed\n");
        assertEquals(afterCommit, versions.version(app, digest()));

        // tracked change
        Files.writeString(app.resolve("main.go"), "package main // edited\n");
        String dirty1 = versions.version(app, digest());
        assertEquals(afterCommit + "-dirty-" + digest().substring(0, 7), dirty1);

        // another dirty content, another version
        Files.writeString(app.resolve("main.go"), "package main // edited again\n");
        String dirty2 = versions.version(app, digest());
        assertTrue(dirty2.startsWith(afterCommit + "-dirty-"), dirty2);
        assertNotEquals(dirty1, dirty2);

        // back to the committed content: clean again
        Files.writeString(app.resolve("main.go"), "package main\n");
        assertEquals(afterCommit, versions.version(app, digest()));

        // untracked file
        Files.writeString(app.resolve("new.go"), "package main\n");
        assertEquals(afterCommit + "-dirty-" + digest().substring(0, 7), versions.version(app, digest()));
    }

    @Test
    void should_fall_back_to_0_0_0_and_the_digest_outside_git_and_in_a_repository_without_commits() {
        assertEquals("0.0.0-" + digest().substring(0, 7), versions.version(app, digest()));
        git("init", "-q");
        assertEquals("0.0.0-" + digest().substring(0, 7), versions.version(app, digest()));
    }

    @Test
    void should_format_the_date_in_utc() {
        assertEquals("20260102.030405", Versions.date(Instant.parse("2026-01-02T03:04:05.999Z")));
    }

    @Test
    void should_give_the_same_version_when_git_was_asked_ahead_and_ask_again_for_the_next_call() throws IOException {
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "first");
        git("tag", "v2.0.0");
        versions.askAhead(app);
        assertEquals("v2.0.0", versions.version(app, digest()));
        Files.writeString(app.resolve("main.go"), "package main // changed\n");
        // the answer asked ahead was taken: this call asks git again and sees the change
        assertEquals("v2.0.0-dirty-" + digest().substring(0, 7), versions.version(app, digest()));
        versions.askAhead(app);
        assertEquals("v2.0.0-dirty-" + digest().substring(0, 7), versions.version(app, digest()));
    }

    @Test
    void should_give_the_version_outside_git_when_asked_ahead() {
        versions.askAhead(app);
        assertEquals("0.0.0-" + digest().substring(0, 7), versions.version(app, digest()));
    }
}
