package io.devk8s.adapter.minikube;

import java.util.List;
import java.util.Optional;

/**
 * One profile from {@code minikube profile list -o json}: what devk8s needs of its {@code Config}.
 *
 * @param name              profile (= cluster) name
 * @param status            minikube's status word in the list, e.g. {@code OK}, {@code Stopped}, {@code Paused}
 * @param driver            e.g. {@code docker}, {@code kvm2}, {@code hyperkit}, {@code podman}
 * @param containerRuntime  e.g. {@code docker}, {@code containerd}, {@code crio}
 * @param kubernetesVersion e.g. {@code v1.34.0}
 * @param nodeIp            the primary control-plane node's IP
 * @param nodePort          the primary control-plane node's API server port (8443 by default)
 * @param nodeCount         number of nodes
 * @param extraOptions      the {@code --extra-config} options the profile was started with
 */
public record MinikubeProfile(String name, String status, String driver, String containerRuntime,
                              String kubernetesVersion, String nodeIp, int nodePort, int nodeCount,
                              List<ExtraOption> extraOptions) {

    /** Kubernetes' default when {@code apiserver.service-node-port-range} is not set. */
    public static final PortRange DEFAULT_NODE_PORT_RANGE = new PortRange(30000, 32767);

    public MinikubeProfile {
        extraOptions = List.copyOf(extraOptions);
    }

    /** One {@code --extra-config=component.key=value}. */
    public record ExtraOption(String component, String key, String value) {
        @Override
        public String toString() {
            return component + "." + key + "=" + value;
        }
    }

    /** An inclusive port range such as {@code 80-32767}. */
    public record PortRange(int from, int to) {
        public boolean includes(int port) {
            return port >= from && port <= to;
        }

        /** Parses {@code from-to} (or a single port); empty when it is not a port range. */
        public static Optional<PortRange> parse(String text) {
            String t = text.strip();
            try {
                int dash = t.indexOf('-');
                if (dash < 0) {
                    int p = Integer.parseInt(t);
                    return Optional.of(new PortRange(p, p));
                }
                int from = Integer.parseInt(t.substring(0, dash).strip());
                int to = Integer.parseInt(t.substring(dash + 1).strip());
                return from <= to ? Optional.of(new PortRange(from, to)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return from + "-" + to;
        }
    }

    public Optional<String> extraOption(String component, String key) {
        return extraOptions.stream()
                .filter(o -> o.component().equals(component) && o.key().equals(key))
                .map(ExtraOption::value)
                .findFirst();
    }

    /** The API server's NodePort range: the extra option when set (and valid), else Kubernetes' default. */
    public PortRange nodePortRange() {
        return extraOption("apiserver", "service-node-port-range")
                .flatMap(PortRange::parse)
                .orElse(DEFAULT_NODE_PORT_RANGE);
    }

    public boolean usesDockerRuntime() {
        return "docker".equals(containerRuntime);
    }

    /** {@code minikube docker-env} works only on single-node clusters with the docker runtime. */
    public boolean supportsDockerEnv() {
        return usesDockerRuntime() && nodeCount <= 1 && !"none".equals(driver);
    }
}
