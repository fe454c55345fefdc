package io.devk8s.adapter.git;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.process.ProcessRunner.Invocation;
import io.devk8s.adapter.process.ProcessRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code git} binary, asked about one folder at a time ({@code git -C DIR ...}). A folder outside any
 * repository is an answer (empty), not an error; a missing {@code git} is an error only where a repository
 * exists that it would have to read.
 */
public final class GitCli {
    public static final String INSTALL_URL = "https://git-scm.com/downloads";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ProcessRunner runner;

    public GitCli(ProcessRunner runner) {
        this.runner = runner;
    }

    /** The top folder of the work tree {@code dir} is in, or empty outside git. */
    public Optional<Path> topLevel(Path dir) {
        Optional<Path> git = binary(dir);
        if (git.isEmpty()) {
            return Optional.empty();
        }
        Result r = run(git.get(), dir, "rev-parse", "--show-toplevel");
        if (!r.ok()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(r.stdout().strip()));
    }

    /**
     * {@code git describe --tags --always} for {@code dir}: the newest tag reachable from HEAD with the commits
     * since and the abbreviated commit ({@code v1.2.0-3-gabc1234}), or the abbreviated commit alone. Empty
     * outside git and in a repository without commits.
     */
    public Optional<String> describe(Path dir) {
        Optional<Path> git = binary(dir);
        if (git.isEmpty()) {
            return Optional.empty();
        }
        Result r = run(git.get(), dir, "describe", "--tags", "--always");
        if (!r.ok() || r.stdout().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(r.stdout().strip());
    }

    /**
     * The lines of {@code git status --porcelain -- PATH} run in {@code dir}: changed, staged, deleted and
     * untracked files below {@code path}; empty when it is clean.
     */
    public List<String> status(Path dir, Path path) {
        Path git = binary(dir).orElseThrow(() -> Devk8sException.precondition("git not found on PATH; install it from "
                + INSTALL_URL));
        Result r = run(git, dir, "status", "--porcelain", "--", path.toString());
        if (!r.ok()) {
            throw Devk8sException.failure("`git status --porcelain -- " + path + "` failed in " + dir + ": "
                    + r.output().strip().replaceAll("\\s*\\R\\s*", " "));
        }
        List<String> lines = new ArrayList<>();
        r.stdout().lines().filter(l -> !l.isBlank()).forEach(lines::add);
        return lines;
    }

    private Result run(Path git, Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of("-C", dir.toString()));
        all.addAll(List.of(args));
        // a fixed locale and no pager or prompts: the output is parsed
        Invocation inv = Invocation.of(git, all).withTimeout(TIMEOUT)
                .withEnv("LC_ALL", "C").withEnv("GIT_PAGER", "cat").withEnv("GIT_TERMINAL_PROMPT", "0")
                .withEnv("GIT_OPTIONAL_LOCKS", "0");
        return runner.run(inv);
    }

    /** git itself; when it is missing, empty outside a repository and an error inside one. */
    private Optional<Path> binary(Path dir) {
        Optional<Path> git = runner.which("git");
        if (git.isEmpty() && insideRepository(dir)) {
            throw Devk8sException.precondition(dir + " is in a git repository but git is not on PATH; install it from "
                    + INSTALL_URL);
        }
        return git;
    }

    private static boolean insideRepository(Path dir) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }
}
