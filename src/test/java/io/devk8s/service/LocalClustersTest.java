package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.KubeContext;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.kubernetes.PinnedContext.Reason;
import io.devk8s.service.LocalClusters.Kind;
import io.devk8s.service.LocalClusters.Local;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which contexts count as local clusters, and the guard's answers for them; no cluster involved. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalClustersTest {
    @TempDir
    Path dir;

    private static KubeContext context(String name, String server) {
        return new KubeContext(name, name, name, "default", server, Optional.empty(), true, List.of());
    }

    private PinnedContext check(KubeContext ctx, Set<String> flag, Set<String> file) {
        return new ContextGuard(dir.resolve(".minikube")).check(ctx, "minikube", flag, file, Optional::empty);
    }

    @Test
    void should_know_the_contexts_kind_k3d_and_the_desktop_tools_write_when_they_serve_from_this_machine() {
        assertEquals(Optional.of(new Local(Kind.KIND, "dev")), LocalClusters.classify("kind-dev", "127.0.0.1"));
        assertEquals(Optional.of(new Local(Kind.K3D, "k3s-default")),
                LocalClusters.classify("k3d-k3s-default", "0.0.0.0"));
        assertEquals(Optional.of(new Local(Kind.DESKTOP, "docker-desktop")),
                LocalClusters.classify("docker-desktop", "kubernetes.docker.internal"));
        for (String name : List.of("rancher-desktop", "colima", "colima-work", "orbstack")) {
            assertEquals(Optional.of(new Local(Kind.DESKTOP, name)), LocalClusters.classify(name, "127.0.0.1"), name);
        }
        assertEquals(Optional.of(new Local(Kind.KIND, "v6")), LocalClusters.classify("kind-v6", "[::1]"));
        assertEquals(Optional.of(new Local(Kind.KIND, "x")), LocalClusters.classify("kind-x", "localhost"));
    }

    @Test
    void should_not_trust_a_local_name_on_a_remote_server_nor_a_remote_name_on_a_local_one() {
        assertEquals(Optional.empty(), LocalClusters.classify("kind-prod", "35.1.2.3"));
        assertEquals(Optional.empty(), LocalClusters.classify("docker-desktop", "10.0.0.7"));
        assertEquals(Optional.empty(), LocalClusters.classify("kind-", "127.0.0.1"));
        assertEquals(Optional.empty(), LocalClusters.classify("prod", "127.0.0.1"));
        assertEquals(Optional.empty(), LocalClusters.classify("kindly", "127.0.0.1"));
    }

    @Test
    void should_pin_a_local_kind_context_without_any_flag() {
        PinnedContext pinned = check(context("kind-dev", "https://127.0.0.1:39553"), Set.of(), Set.of());
        assertEquals(Reason.LOCAL_CLUSTER, pinned.reason());
        assertTrue(pinned.reason().isLocal());
        assertEquals("context: kind-dev (https://127.0.0.1:39553)", ContextNotice.line(pinned));
    }

    @Test
    void should_refuse_a_remote_kind_named_context_in_one_line_naming_both_ways_to_allow_it() {
        Devk8sException e = assertThrows(Devk8sException.class,
                () -> check(context("kind-prod", "https://35.1.2.3:6443"), Set.of(), Set.of()));
        assertEquals(ExitCode.PRECONDITION, e.exitCode());
        assertTrue(e.getMessage().contains("--allow-context kind-prod"), e.getMessage());
        assertTrue(e.getMessage().contains("allowContexts:"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void should_allow_a_shared_context_by_flag_or_by_the_project_file_and_say_so_in_the_notice() {
        KubeContext shared = context("shared", "https://10.1.2.3:6443");
        PinnedContext byFlag = check(shared, Set.of("shared"), Set.of());
        assertEquals(Reason.ALLOWED_BY_FLAG, byFlag.reason());
        assertTrue(ContextNotice.line(byFlag).endsWith("not a local cluster: allowed with --allow-context shared"));
        PinnedContext byFile = check(shared, Set.of(), Set.of("shared"));
        assertEquals(Reason.ALLOWED_BY_FILE, byFile.reason());
        assertTrue(ContextNotice.line(byFile).startsWith("context: shared (https://10.1.2.3:6443), not a local"),
                ContextNotice.line(byFile));
        assertTrue(!byFile.reason().isLocal() && !byFile.reason().isMinikube());
        assertThrows(Devk8sException.class, () -> check(shared, Set.of("other"), Set.of("another")));
    }
}
