package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.kubernetes.KubeConfig;
import io.devk8s.adapter.kubernetes.KubeContext;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.kubernetes.PinnedContext.Reason;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.minikube.MinikubeProfile;
import io.devk8s.support.Kubeconfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local-only guard, on kubeconfig files written by the test; no cluster involved. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ContextGuardTest {
    @TempDir
    Path dir;

    private static final MinikubeProfile DEV = new MinikubeProfile("dev", "OK", "kvm2", "docker", "v1.34.0",
            "192.168.39.10", 8443, 1, List.of());

    private Path home() {
        return dir.resolve("home");
    }

    private Path minikubeHome() {
        return home().resolve(".minikube");
    }

    private Path kubeconfig(String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, yaml);
        return p;
    }

    private static String config(String current, String context, String cluster, String server, String caLine) {
        Kubeconfig config = Kubeconfig.with(context, server).clusterName(cluster).namespace("apps").current(current);
        if (caLine.startsWith("certificate-authority-data: ")) {
            config.caData(caLine.substring("certificate-authority-data: ".length()));
        } else if (caLine.startsWith("certificate-authority: ")) {
            config.caFile(caLine.substring("certificate-authority: ".length()));
        }
        return config.yaml();
    }

    private KubeContext resolve(String kubeconfigEnv, String contextFlag) {
        Environment env = new Environment(Map.of("HOME", home().toString(), "KUBECONFIG", kubeconfigEnv), dir);
        return KubeConfig.load(env).context(contextFlag);
    }

    private PinnedContext check(KubeContext ctx, String profile, Set<String> allowed,
                                Supplier<Optional<MinikubeProfile>> info) {
        return new ContextGuard(minikubeHome()).check(ctx, profile, allowed, info);
    }

    @Test
    void should_refuse_a_prod_context_with_one_line_naming_it_and_the_fix() throws IOException {
        Path kc = kubeconfig("kc", config("prod", "prod", "gke-prod", "https://35.1.2.3",
                "certificate-authority-data: AAAA"));
        KubeContext ctx = resolve(kc.toString(), null);
        var ex = assertThrows(Devk8sException.class,
                () -> check(ctx, "minikube", Set.of(), () -> Optional.of(DEV)));
        assertEquals(ExitCode.PRECONDITION, ex.exitCode());
        String msg = ex.getMessage();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.startsWith("kube context \"prod\" (https://35.1.2.3) is not Minikube profile \"minikube\"'s"),
                msg);
        assertTrue(msg.contains("kubectl config use-context minikube"), msg);
        assertTrue(msg.contains("--allow-context prod"), msg);
    }

    @Test
    void should_proceed_on_prod_only_when_allowed_by_name() throws IOException {
        Path kc = kubeconfig("kc", config("prod", "prod", "gke-prod", "https://35.1.2.3", ""));
        KubeContext ctx = resolve(kc.toString(), null);
        PinnedContext pinned = check(ctx, "minikube", Set.of("prod"), Optional::empty);
        assertEquals(Reason.ALLOWED_BY_FLAG, pinned.reason());
        assertEquals("prod", pinned.contextName());
        assertThrows(Devk8sException.class, () -> check(ctx, "minikube", Set.of("staging"), Optional::empty));
    }

    @Test
    void should_pass_a_context_named_after_the_profile_without_asking_minikube() throws IOException {
        Path kc = kubeconfig("kc", config("dev", "dev", "dev", "https://127.0.0.1:32771", ""));
        AtomicInteger asked = new AtomicInteger();
        PinnedContext pinned = check(resolve(kc.toString(), null), "dev", Set.of(), () -> {
            asked.incrementAndGet();
            return Optional.empty();
        });
        assertEquals(Reason.CONTEXT_NAME, pinned.reason());
        assertEquals("https://127.0.0.1:32771", pinned.server());
        assertEquals("apps", pinned.namespace());
        assertEquals(List.of(kc), pinned.kubeconfigFiles());
        assertEquals(0, asked.get(), "profile list is slow: not asked when the name matches");
    }

    @Test
    void should_pass_a_renamed_context_whose_ca_is_under_minikube_home() throws IOException {
        String ca = "certificate-authority: " + minikubeHome().resolve("ca.crt");
        Path kc = kubeconfig("kc", config("my-laptop", "my-laptop", "my-laptop", "https://127.0.0.1:32771", ca));
        PinnedContext pinned = check(resolve(kc.toString(), null), "minikube", Set.of(), Optional::empty);
        assertEquals(Reason.MINIKUBE_CA, pinned.reason());
    }

    @Test
    void should_not_be_fooled_by_a_ca_path_that_only_looks_like_minikube_home() throws IOException {
        String ca = "certificate-authority: " + minikubeHome().resolve("../.minikube-prod/ca.crt");
        Path kc = kubeconfig("kc", config("other", "other", "other", "https://10.0.0.1:6443", ca));
        assertThrows(Devk8sException.class,
                () -> check(resolve(kc.toString(), null), "minikube", Set.of(), Optional::empty));
    }

    @Test
    void should_resolve_a_relative_ca_path_against_its_kubeconfig_file() throws IOException {
        Path kc = kubeconfig("home/.kube/config", config("x", "x", "x", "https://10.0.0.1:6443",
                "certificate-authority: ../.minikube/ca.crt"));
        KubeContext ctx = resolve(kc.toString(), null);
        assertEquals(Optional.of(minikubeHome().resolve("ca.crt")), ctx.caFile());
        assertEquals(Reason.MINIKUBE_CA, check(ctx, "minikube", Set.of(), Optional::empty).reason());
    }

    @Test
    void should_pass_a_context_whose_server_is_the_profiles_node() throws IOException {
        Path kc = kubeconfig("kc", config("lab", "lab", "lab", "https://192.168.39.10:8443", ""));
        PinnedContext pinned = check(resolve(kc.toString(), null), "dev", Set.of(), () -> Optional.of(DEV));
        assertEquals(Reason.NODE_ENDPOINT, pinned.reason());
    }

    @Test
    void should_refuse_a_server_on_the_nodes_ip_but_another_port() throws IOException {
        Path kc = kubeconfig("kc", config("lab", "lab", "lab", "https://192.168.39.10:6443", ""));
        assertThrows(Devk8sException.class,
                () -> check(resolve(kc.toString(), null), "dev", Set.of(), () -> Optional.of(DEV)));
    }

    @Test
    void should_merge_two_kubeconfig_files_first_one_winning() throws IOException {
        Path first = kubeconfig("a/config", """
                current-context: dev
                clusters:
                - name: shared
                  cluster: {server: "https://first:8443"}
                contexts:
                - name: dev
                  context: {cluster: shared, user: u}
                """);
        Path second = kubeconfig("b/config", """
                current-context: prod
                clusters:
                - name: shared
                  cluster: {server: "https://second:8443"}
                - name: gke
                  cluster: {server: "https://35.1.2.3"}
                contexts:
                - name: dev
                  context: {cluster: gke, user: u}
                - name: prod
                  context: {cluster: gke, user: admin, namespace: payments}
                """);
        String list = first + ":" + dir.resolve("does-not-exist") + ":" + second;
        KubeContext current = resolve(list, null);
        assertEquals("dev", current.name(), "the first file's current-context wins");
        assertEquals("https://first:8443", current.server(), "the first file's context and cluster win");
        assertEquals(List.of(first, second), current.kubeconfigFiles(), "missing files are skipped");
        KubeContext prod = resolve(list, "prod");
        assertEquals("https://35.1.2.3", prod.server(), "contexts only in the second file are found");
        assertEquals("payments", prod.namespace());
        assertEquals("admin", prod.user());
        assertEquals(first + ":" + second, check(current, "dev", Set.of(), Optional::empty).kubeconfigEnv());
    }

    @Test
    void should_default_to_the_kubeconfig_in_home() throws IOException {
        kubeconfig("home/.kube/config", config("minikube", "minikube", "minikube", "https://192.168.49.2:8443", ""));
        Environment env = new Environment(Map.of("HOME", home().toString()), dir);
        KubeContext ctx = KubeConfig.load(env).context(null);
        assertEquals("minikube", ctx.name());
        assertEquals("192.168.49.2", ctx.serverHost().orElseThrow());
        assertEquals(8443, ctx.serverPort());
    }

    @Test
    void should_say_when_there_is_no_kubeconfig_or_no_such_context() throws IOException {
        Environment env = new Environment(Map.of("HOME", home().toString()), dir);
        var none = assertThrows(Devk8sException.class, () -> KubeConfig.load(env));
        assertEquals(ExitCode.PRECONDITION, none.exitCode());
        assertTrue(none.getMessage().startsWith("no kubeconfig found (" + home().resolve(".kube/config")), none.getMessage());

        Path kc = kubeconfig("kc", config("dev", "dev", "dev", "https://x:1", ""));
        var missing = assertThrows(Devk8sException.class, () -> resolve(kc.toString(), "staging"));
        assertEquals(ExitCode.PRECONDITION, missing.exitCode());
        assertTrue(missing.getMessage().startsWith("context \"staging\" not found in kubeconfig " + kc), missing.getMessage());
        assertTrue(missing.getMessage().contains("known contexts: dev"), missing.getMessage());
    }

    @Test
    void should_name_the_file_and_line_of_a_broken_kubeconfig() throws IOException {
        Path kc = kubeconfig("kc", "clusters:\n- name: a\n  cluster: {server: [unclosed\n");
        var ex = assertThrows(Devk8sException.class, () -> resolve(kc.toString(), null));
        assertEquals(ExitCode.USAGE, ex.exitCode());
        assertTrue(ex.getMessage().startsWith(kc + ":"), ex.getMessage());
        assertTrue(ex.getMessage().matches(".*:\\d+: not valid YAML.*"), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), ex.getMessage());
    }

    @Test
    void should_find_minikube_home_from_the_environment() {
        Environment env = new Environment(Map.of("HOME", home().toString(), "MINIKUBE_HOME",
                dir.resolve("mk").toString()), dir);
        assertEquals(dir.resolve("mk/.minikube"), MinikubeCli.minikubeHome(env));
    }
}
