package io.devk8s.support;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A mock API server (fabric8's, CRUD mode, with server-side apply) for trying devk8s by hand or in a benchmark,
 * without a cluster: writes a kubeconfig whose context points at it and runs until killed. Deployments become
 * available a few seconds after they appear, so the live progress lines of {@code devk8s up} can be watched.
 *
 * <pre>java -cp target/test-classes:$(cat cp.txt) io.devk8s.support.MockClusterMain KUBECONFIG [CONTEXT] [DELAY_MS]</pre>
 */
public final class MockClusterMain {
    private MockClusterMain() {}

    public static void main(String[] args) throws Exception {
        Path kubeconfig = Path.of(args[0]);
        String context = args.length > 1 ? args[1] : "minikube";
        long delay = args.length > 2 ? Long.parseLong(args[2]) : 2000;
        MockKubernetes mock = MockKubernetes.start().nodePortRange(80, 32767);
        MockKubernetes.writeKubeconfig(kubeconfig, context, Map.of(context, mock.url()));
        Map<String, Long> firstSeen = new ConcurrentHashMap<>();
        long[] order = {0};
        mock.startController((Deployment d) -> {
            String key = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
            long seen = firstSeen.computeIfAbsent(key, k -> System.currentTimeMillis() + delay * ++order[0] / 2);
            return System.currentTimeMillis() >= seen;
        });
        System.out.println("mock API server at " + mock.url() + ", context " + context + " in " + kubeconfig);
        Thread.currentThread().join();
    }
}
