package io.devk8s.service;

import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.console.Console;

/**
 * The line a command that changes a cluster prints before its first write: the pinned context and its server, and,
 * when the cluster is not a local one, that it was allowed and by what, so a shared cluster is never changed
 * silently.
 */
public final class ContextNotice {
    private ContextNotice() {}

    /** {@code context: NAME (SERVER)}, plus why a non-local context is acted on. */
    public static String line(PinnedContext pinned) {
        String base = "context: " + pinned.contextName() + " (" + pinned.server() + ")";
        if (LocalClusters.isLocal(pinned)) {
            return base;
        }
        return switch (pinned.reason()) {
            case ALLOWED_BY_FLAG -> base + ", not a local cluster: allowed with --allow-context "
                    + pinned.contextName();
            case ALLOWED_BY_FILE -> base + ", not a local cluster: allowed by allowContexts: in devk8s.yaml";
            default -> base;
        };
    }

    /** Prints {@link #line} (to stderr) when the context is not a local cluster; a local one needs no notice. */
    public static void announceIfShared(Console console, PinnedContext pinned) {
        if (!LocalClusters.isLocal(pinned)) {
            console.warn(line(pinned));
        }
    }
}
