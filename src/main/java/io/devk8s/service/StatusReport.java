package io.devk8s.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.devk8s.ExitCode;
import java.util.List;

/**
 * What {@code devk8s status} found, as printed with {@code -o json} or {@code -o yaml}: the Minikube profile, the
 * kube context and whether devk8s may use it, the stack's components, its URLs and the hosts block. Fields that
 * could not be found out are {@code null} (for example the IP of a stopped profile).
 *
 * @param health     {@code healthy} (exit 0), {@code degraded} (exit 1: a component missing or not available,
 *                   the hosts block missing or stale) or {@code unavailable} (exit 3: minikube missing, the
 *                   profile missing or not running, the context refused, the API unreachable)
 * @param problems   one line per problem, each with its fix; empty when healthy
 */
@JsonPropertyOrder({"health", "profile", "context", "namespace", "components", "urls", "hosts", "problems"})
public record StatusReport(String health, Profile profile, Context context, String namespace,
                           List<Component> components, List<Url> urls, Hosts hosts, List<String> problems) {

    public static final String HEALTHY = "healthy";
    public static final String DEGRADED = "degraded";
    public static final String UNAVAILABLE = "unavailable";

    public StatusReport {
        components = List.copyOf(components);
        urls = List.copyOf(urls);
        problems = List.copyOf(problems);
    }

    /** 0 healthy, 1 degraded, 3 unavailable. */
    @JsonIgnore
    public int exitCode() {
        return switch (health) {
            case HEALTHY -> ExitCode.OK;
            case DEGRADED -> ExitCode.FAILURE;
            default -> ExitCode.PRECONDITION;
        };
    }

    /**
     * @param state   {@code RUNNING}, {@code STOPPED}, {@code PAUSED}, {@code DEGRADED}, {@code MISSING},
     *                {@code UNKNOWN} or {@code NOT_INSTALLED}
     * @param ip      {@code minikube ip}, when the profile runs
     * @param driver  minikube's driver, when known
     * @param message minikube's own words when it is not running
     */
    @JsonPropertyOrder({"name", "state", "ip", "driver", "message"})
    public record Profile(String name, String state, String ip, String driver, String message) {
    }

    /**
     * @param name    the kube context (null when the kubeconfig has none)
     * @param server  its API server
     * @param allowed whether devk8s may use it (the local-only guard)
     * @param reason  why it is allowed, e.g. {@code named after the profile}
     * @param refusal why it is not, with the fix
     */
    @JsonPropertyOrder({"name", "server", "allowed", "reason", "refusal"})
    public record Context(String name, String server, boolean allowed, String reason, String refusal) {
    }

    /**
     * One stack component (its Deployment).
     *
     * @param status {@code available}, {@code progressing}, {@code not deployed} or {@code unknown} (the cluster
     *               was not asked)
     */
    @JsonPropertyOrder({"name", "status", "ready", "desired", "available", "images"})
    public record Component(String name, String status, Integer ready, Integer desired, boolean available,
                            List<String> images) {
        public static final String AVAILABLE = "available";
        public static final String PROGRESSING = "progressing";
        public static final String NOT_DEPLOYED = "not deployed";
        public static final String UNKNOWN = "unknown";

        public Component {
            images = List.copyOf(images);
        }
    }

    /** A URL of the stack: the component (or Ingress) it leads to and the address to open. */
    @JsonPropertyOrder({"name", "url"})
    public record Url(String name, String url) {
    }

    /**
     * The profile's block in the hosts file.
     *
     * @param status          {@code ok}, {@code missing}, {@code stale} (points elsewhere), {@code incomplete}
     *                        (lacks some ingress hosts) or {@code unverified} (the address devk8s would write is
     *                        not known, e.g. the profile is stopped)
     * @param expectedAddress the address {@code devk8s up} would write: the node IP, or 127.0.0.1 for the docker
     *                        driver on macOS/Windows
     * @param addresses       the addresses the block holds
     * @param missingHosts    ingress hosts the block does not name
     */
    @JsonPropertyOrder({"file", "status", "present", "expectedAddress", "addresses", "missingHosts"})
    public record Hosts(String file, String status, boolean present, String expectedAddress, List<String> addresses,
                        List<String> missingHosts) {
        public static final String OK = "ok";
        public static final String MISSING = "missing";
        public static final String STALE = "stale";
        public static final String INCOMPLETE = "incomplete";
        public static final String UNVERIFIED = "unverified";

        public Hosts {
            addresses = List.copyOf(addresses);
            missingHosts = List.copyOf(missingHosts);
        }
    }
}
