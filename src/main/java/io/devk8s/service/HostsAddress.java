package io.devk8s.service;

import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.minikube.MinikubeProfile;
import java.util.Optional;

/**
 * The one rule for the address a hosts block points at: the profile's node IP where the host can reach it,
 * else {@code 127.0.0.1} (the docker or podman driver on macOS and Windows, reached through {@code minikube tunnel}).
 * {@code up} writes it, {@code hosts apply} writes it without {@code --ip}, {@code status} compares with it.
 */
public final class HostsAddress {
    public static final String TUNNEL_ADDRESS = "127.0.0.1";

    private final String osName;

    public HostsAddress() {
        this(System.getProperty("os.name"));
    }

    /** For tests: the rule as on another operating system. */
    public HostsAddress(String osName) {
        this.osName = osName;
    }

    /** The address for a node IP on a profile whose driver is {@code driver} (may be null: unknown). */
    public String forNode(String nodeIp, String driver) {
        return MinikubeCli.nodeIpReachableFromHost(driver, osName) ? nodeIp : TUNNEL_ADDRESS;
    }

    /** Whether the host reaches the node IP directly (false: through {@code minikube tunnel}). */
    public boolean reachesNode(String driver) {
        return MinikubeCli.nodeIpReachableFromHost(driver, osName);
    }

    /**
     * The address for a profile. With what is already known of it ({@code profile list}): its node IP, else
     * {@code minikube ip}; without: {@code minikube ip} and then the driver from {@code profile list}.
     */
    public String lookup(MinikubeCli minikube, Optional<MinikubeProfile> known) {
        if (known.isPresent()) {
            String ip = known.get().nodeIp() != null && !known.get().nodeIp().isBlank() ? known.get().nodeIp()
                    : minikube.ip();
            return forNode(ip, known.get().driver());
        }
        String ip = minikube.ip();
        return forNode(ip, minikube.profileInfo().map(MinikubeProfile::driver).orElse(null));
    }
}
