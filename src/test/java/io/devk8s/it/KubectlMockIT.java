package io.devk8s.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.devk8s.support.CliRunner;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.StackOnMock;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic pipeline devk8s replaces, run for real against the mock API server: the real {@code kubectl}
 * server-side applies the output of {@code devk8s render stack} and deletes it again by label. This proves the mock's
 * discovery layer is complete enough for kubectl, which {@code bench/up.sh} relies on to compare the two.
 *
 * <p>kubectl is {@code $DEVK8S_TEST_KUBECTL} when set, else {@code kubectl} on the PATH ({@code scripts/test.sh}
 * installs Debian's {@code kubernetes-client} when it is missing). Without one the test fails, naming the fix.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KubectlMockIT {
    private static final String SELECTOR = "app.kubernetes.io/part-of=devk8s";
    /** What {@code devk8s down} deletes, spelled out for kubectl ({@code all} misses most of them), namespace last. */
    private static final String KINDS = "deployments,statefulsets,daemonsets,jobs,replicasets,pods,services,ingresses,"
            + "configmaps,secrets,serviceaccounts,roles,rolebindings,persistentvolumeclaims,clusterroles,"
            + "clusterrolebindings,ingressclasses,namespaces";

    @TempDir
    Path tmp;

    record Run(int exitCode, String out, String err) {
        String describe() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    @Test
    void should_let_the_real_kubectl_apply_server_side_and_delete_by_label_the_rendered_stack_on_the_mock()
            throws Exception {
        String kubectl = kubectl();
        String stack = new CliRunner().runAndExpect(0, "render", "stack").out();
        try (MockKubernetes mock = MockKubernetes.start().nodePortRange(80, 32767)) {
            Path kubeconfig = mock.writeKubeconfig(tmp, "minikube");
            List<HasMetadata> expected = mock.admin().load(new ByteArrayInputStream(stack.getBytes(StandardCharsets.UTF_8)))
                    .items();
            assertTrue(expected.size() > 20, "the rendered stack: " + expected.size() + " objects");

            Run apply = run(kubeconfig, stack, kubectl, "apply", "--server-side", "--validate=false", "-f", "-");
            assertEquals(0, apply.exitCode(), apply.describe());
            assertEquals(expected.size(), apply.out().lines().filter(l -> l.endsWith(" serverside-applied")).count(),
                    apply.describe());
            for (HasMetadata object : expected) {
                HasMetadata stored = mock.admin().resource(object).get();
                assertNotNull(stored, "kubectl did not create " + describe(object));
                assertEquals("devk8s", stored.getMetadata().getLabels().get("app.kubernetes.io/part-of"),
                        describe(object));
            }
            List<MockKubernetes.Request> writes = mock.writes();
            assertEquals(expected.size(), writes.size(), writes.toString());
            assertTrue(writes.stream().allMatch(w -> w.method().equals("PATCH")
                    && w.contentType().startsWith("application/apply-patch") && w.path().contains("fieldManager=kubectl")),
                    "every write is a server-side apply by kubectl: " + writes);

            Run get = run(kubeconfig, null, kubectl, "get", "deployments", "-n", "devk8s", "-l", SELECTOR, "-o", "name");
            assertEquals(0, get.exitCode(), get.describe());
            assertEquals(names(expected, "Deployment", "deployment.apps/"), new TreeSet<>(get.out().lines().toList()));

            Run delete = run(kubeconfig, null, kubectl, "delete", KINDS, "-n", "devk8s", "--selector=" + SELECTOR,
                    "--ignore-not-found=true");
            assertEquals(0, delete.exitCode(), delete.describe());
            assertEquals(expected.size(), delete.out().lines().filter(l -> l.endsWith(" deleted")).count(),
                    delete.describe());
            for (HasMetadata object : expected) {
                assertNull(mock.admin().resource(object).get(), "kubectl did not delete " + describe(object));
            }
            assertEquals(List.of(), StackOnMock.labelled(mock));

            Run again = run(kubeconfig, null, kubectl, "delete", KINDS, "-n", "devk8s", "--selector=" + SELECTOR,
                    "--ignore-not-found=true");
            assertEquals(0, again.exitCode(), "nothing left to delete is not an error: " + again.describe());
        }
    }

    private static TreeSet<String> names(List<HasMetadata> objects, String kind, String prefix) {
        TreeSet<String> names = new TreeSet<>();
        objects.stream().filter(o -> o.getKind().equals(kind)).forEach(o -> names.add(prefix + o.getMetadata().getName()));
        return names;
    }

    private static String describe(HasMetadata o) {
        return o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    /** kubectl with HOME in the temp folder (its discovery cache goes there) and KUBECONFIG at the mock. */
    private Run run(Path kubeconfig, String stdin, String... command) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", tmp.resolve("home").toString());
        env.put("KUBECONFIG", kubeconfig.toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path in = Files.writeString(Files.createTempFile(tmp, "in", ".yaml"), stdin == null ? "" : stdin);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("timed out: " + String.join(" ", command) + "\n" + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** $DEVK8S_TEST_KUBECTL, else kubectl on the PATH; fails (not skips) when there is none. */
    private static String kubectl() {
        String chosen = System.getenv("DEVK8S_TEST_KUBECTL");
        if (chosen != null && !chosen.isBlank()) {
            if (!Files.isExecutable(Path.of(chosen))) {
                fail("DEVK8S_TEST_KUBECTL=" + chosen + " is not an executable file; unset it or point it at kubectl");
            }
            return chosen;
        }
        List<String> tried = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            tried.add(dir);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("kubectl is not on the PATH (" + String.join(File.pathSeparator, tried) + "); run scripts/test.sh, "
                + "which installs it, or apt-get install kubernetes-client, or set DEVK8S_TEST_KUBECTL=/path/to/kubectl");
    }
}
