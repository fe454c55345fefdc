package io.devk8s.service.build;

import io.devk8s.adapter.git.GitCli;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

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

    public Versions(GitCli git) {
        this.git = git;
    }

    /**
     * The version of the app whose build context is {@code context}, whose inputs hash to {@code inputDigest}
     * (hex, at least 7 characters).
     */
    public String version(Path context, String inputDigest) {
        String shortDigest = inputDigest.substring(0, SHORT);
        Optional<String> described = git.describe(context);
        if (described.isEmpty()) {
            return "0.0.0-" + shortDigest;
        }
        List<String> changes = git.status(context, Path.of("."));
        return changes.isEmpty() ? described.get() : described.get() + "-dirty-" + shortDigest;
    }

    /** {@code DATE}: UTC {@code yyyyMMdd.HHmmss}. */
    public static String date(Instant now) {
        return DATE_FORMAT.format(now);
    }
}
