package io.devk8s.adapter.hosts;

import java.nio.file.Path;
import java.util.List;

/**
 * Test helper process: applies the block with two addresses in turn, forever, so that a write is always in
 * flight when the test kills it. Prints "ready" once the first change is on disk.
 * Arguments: hosts file, strategy, profile, first IP, second IP.
 */
public final class HostsWriterLoop {
    private HostsWriterLoop() {}

    public static void main(String[] args) {
        HostsFile file = new HostsFile(Path.of(args[0]), HostsFile.Strategy.valueOf(args[1]));
        String profile = args[2];
        List<String> names = List.of("traefik-ui.minikube", "prometheus.minikube", "grafana.minikube");
        boolean ready = false;
        for (long i = 0; ; i++) {
            file.apply(profile, i % 2 == 0 ? args[4] : args[3], names);
            if (!ready) {
                System.out.println("ready");
                System.out.flush();
                ready = true;
            }
        }
    }
}
