package io.devk8s.service.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.kubernetes.PinnedContext.Reason;
import io.devk8s.support.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Which target a context and the flags choose, and where a registry target's registry comes from. The
 * local-registry-hosting ConfigMap is read from fabric8's mock API server (CRUD mode: it stores and returns the
 * ConfigMap as written; it cannot check what a real kind or k3d setup publishes).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusterTargetsTest {
    private MockKubernetes mock;

    @BeforeEach
    void start() {
        mock = MockKubernetes.start();
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private static PinnedContext pinned(String name, String server, Reason reason) {
        return new PinnedContext(name, server, "default", List.of(), "minikube", reason);
    }

    private static ClusterTargets.Choice choice(String target, String registry, String fromFile) {
        return new ClusterTargets.Choice(Optional.ofNullable(target), Optional.ofNullable(registry),
                Optional.ofNullable(fromFile), "/p/devk8s.yaml");
    }

    private static ClusterTargets targets() {
        return new ClusterTargets(null, () -> null, () -> null, null, null, null);
    }

    @Test
    void should_choose_the_target_from_the_context_unless_a_flag_names_one() {
        ClusterTargets.Choice none = ClusterTargets.Choice.none();
        assertEquals(TargetKind.MINIKUBE, ClusterTargets.kindFor(none,
                pinned("minikube", "https://192.168.49.2:8443", Reason.CONTEXT_NAME)));
        assertEquals(TargetKind.KIND, ClusterTargets.kindFor(none,
                pinned("kind-dev", "https://127.0.0.1:41234", Reason.LOCAL_CLUSTER)));
        assertEquals(TargetKind.K3D, ClusterTargets.kindFor(none,
                pinned("k3d-dev", "https://0.0.0.0:6550", Reason.LOCAL_CLUSTER)));
        assertEquals(TargetKind.DOCKER, ClusterTargets.kindFor(none,
                pinned("docker-desktop", "https://kubernetes.docker.internal:6443", Reason.LOCAL_CLUSTER)));
        assertEquals(TargetKind.REGISTRY, ClusterTargets.kindFor(none,
                pinned("shared", "https://10.0.0.1:6443", Reason.ALLOWED_BY_FLAG)));
        // a kind context named by --allow-context is still a kind cluster
        assertEquals(TargetKind.KIND, ClusterTargets.kindFor(none,
                pinned("kind-dev", "https://127.0.0.1:41234", Reason.ALLOWED_BY_FLAG)));
        PinnedContext kind = pinned("kind-dev", "https://127.0.0.1:41234", Reason.LOCAL_CLUSTER);
        assertEquals(TargetKind.REGISTRY, ClusterTargets.kindFor(choice("registry", null, null), kind));
        assertEquals(TargetKind.REGISTRY, ClusterTargets.kindFor(choice(null, "localhost:5001", null), kind));
        assertEquals(TargetKind.KIND, ClusterTargets.kindFor(choice(null, null, "localhost:5001"), kind),
                "registry: of devk8s.yaml is where a registry target pushes, it does not choose one");
        assertEquals(TargetKind.MINIKUBE, ClusterTargets.kindFor(choice("MiniKube", null, null), kind));
    }

    @Test
    void should_refuse_a_bad_target_or_registry_as_a_usage_error_naming_the_flag() {
        Devk8sException t = assertThrows(Devk8sException.class,
                () -> ClusterTargets.check(choice("kubeadm", null, null)));
        assertEquals(ExitCode.USAGE, t.exitCode());
        assertEquals("--target kubeadm: expected one of minikube, kind, k3d, docker, registry, e.g. --target kind",
                t.getMessage());
        Devk8sException r = assertThrows(Devk8sException.class,
                () -> ClusterTargets.check(choice(null, "http://localhost:5001", null)));
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.getMessage().startsWith("--registry 'http://localhost:5001': expected HOST[:PORT][/PATH]"),
                r.getMessage());
        ClusterTargets.check(choice("k3d", "registry.example.com:443/team", null)); // valid: no exception
    }

    @Test
    void should_refuse_a_kind_target_on_a_context_that_is_not_a_kind_clusters() {
        Devk8sException e = assertThrows(Devk8sException.class, () -> targets().choose(choice("kind", null, null),
                pinned("minikube", "https://192.168.49.2:8443", Reason.CONTEXT_NAME), mock.cluster()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("--context kind-NAME"), e.getMessage());
    }

    @Test
    void should_take_the_registry_from_the_flag_then_the_project_file_then_the_config_map() {
        ClusterTargets t = targets();
        assertEquals(new ClusterTargets.Registry("flag:1", "flag:1", "--registry"),
                t.resolveRegistry(choice(null, "flag:1", "file:2"), mock.cluster()));
        assertEquals(new ClusterTargets.Registry("file:2", "file:2", "/p/devk8s.yaml"),
                t.resolveRegistry(choice(null, null, "file:2"), mock.cluster()));

        Devk8sException none = assertThrows(Devk8sException.class,
                () -> t.resolveRegistry(choice("registry", null, null), mock.cluster()));
        assertEquals(ExitCode.USAGE, none.exitCode());
        assertTrue(none.getMessage().startsWith("no registry to push to: pass --registry HOST[:PORT]"),
                none.getMessage());

        mock.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("kube-public")
                .endMetadata().build()).create();
        mock.admin().configMaps().inNamespace("kube-public").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("local-registry-hosting").endMetadata()
                .addToData("localRegistryHosting.v1", "host: \"localhost:5001\"\n"
                        + "help: \"https://kind.sigs.k8s.io/docs/user/local-registry/\"\n").build()).create();
        assertEquals(new ClusterTargets.Registry("localhost:5001", "localhost:5001",
                "ConfigMap kube-public/local-registry-hosting"),
                t.resolveRegistry(choice("registry", null, null), mock.cluster()));

        mock.admin().configMaps().inNamespace("kube-public").withName("local-registry-hosting").edit(cm -> {
            cm.getData().put("localRegistryHosting.v1", "help: nothing else\n");
            return cm;
        });
        Devk8sException noHost = assertThrows(Devk8sException.class,
                () -> t.resolveRegistry(choice("registry", null, null), mock.cluster()));
        assertTrue(noHost.getMessage().contains("localRegistryHosting.v1 has no host:"), noHost.getMessage());
    }
}
