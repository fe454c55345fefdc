package io.devk8s.service.build;

import io.devk8s.adapter.git.GitCli;
import io.devk8s.service.Background;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code VERSION} and {@code DATE} of an app build, readable and unique per content:
 * <ul>
 *   <li>{@code git describe --tags --always} of the app's context, e.g. {@code v1.4.0-3-gabc1234};</li>
 *   <li>plus {@code -dirty-<7 hex of the input digest>} when {@code git status --porcelain -- <context>} shows
 *       changes (tracked or untracked), so two different uncommitted states never share a tag;</li>
 *   <li>{@code 0.0.0-<7 hex of the input digest>} outside git (or in a repository without commits).</li>
 * </ul>
 */
public final class Versions {
    public static final DateTimeFormatter DATE_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd.HHmmss")
            .withZone(ZoneOffset.UTC);
    static final int SHORT = 7;

    private final GitCli git;
    private final Map<Path, CompletableFuture<GitState>> ahead = new ConcurrentHashMap<>();

    /** What git says about a context: its {@code describe} (empty outside git) and whether it has changes. */
    private record GitState(Optional<String> described, boolean dirty) {
    }

    public Versions(GitCli git) {
        this.git = git;
    }

    /**
     * The version of the app whose build context is {@code context}, whose inputs hash to {@code inputDigest}
     * (hex, at least 7 characters).
     */
    public String version(Path context, String inputDigest) {
        String shortDigest = inputDigest.substring(0, SHORT);
        CompletableFuture<GitState> asked = ahead.remove(context);
        GitState state = asked == null ? state(context) : Background.join(asked);
        if (state.described().isEmpty()) {
            return "0.0.0-" + shortDigest;
        }
        return state.dirty() ? state.described().get() + "-dirty-" + shortDigest : state.described().get();
    }

    /**
     * Starts asking git about {@code context} on a background thread; the next {@link #version} of that context
     * takes the answer (and a failure, at the same point as without this). For the time git takes while the caller
     * does other work; the caller changes nothing in the context in between.
     */
    public void askAhead(Path context) {
        ahead.computeIfAbsent(context, c -> Background.start("devk8s-git", () -> state(c)));
    }

    private GitState state(Path context) {
        Optional<String> described = git.describe(context);
        if (described.isEmpty()) {
            return new GitState(described, false);
        }
        List<String> changes = git.status(context, Path.of("."));
        return new GitState(described, !changes.isEmpty());
    }

    /** {@code DATE}: UTC {@code yyyyMMdd.HHmmss}. */
    public static String date(Instant now) {
        return DATE_FORMAT.format(now);
    }
}
