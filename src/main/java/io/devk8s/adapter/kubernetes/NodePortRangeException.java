package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;

/**
 * The API server refused a Service because a nodePort lies outside its {@code service-node-port-range}
 * (30000-32767 unless configured). The message names the object and gives both fixes; the service layer can
 * re-word it for a Minikube profile with {@link #forProfile(String)}.
 */
public final class NodePortRangeException extends Devk8sException {
    private final ObjectRef object;
    private final int nodePort;
    private final int rangeMin;
    private final int rangeMax;

    public NodePortRangeException(ObjectRef object, int nodePort, int rangeMin, int rangeMax, String profile) {
        super(ExitCode.PRECONDITION, message(object, nodePort, rangeMin, rangeMax, profile));
        this.object = object;
        this.nodePort = nodePort;
        this.rangeMin = rangeMin;
        this.rangeMax = rangeMax;
    }

    private static String message(ObjectRef object, int nodePort, int rangeMin, int rangeMax, String profile) {
        return object + ": nodePort " + nodePort + " is outside the API server's node port range " + rangeMin + "-"
                + rangeMax + ": restart the cluster with `" + startCommand(profile, nodePort, rangeMax)
                + "`, or use --node-port " + suggestedNodePort(rangeMin, rangeMax);
    }

    /** {@code minikube start -p <profile> --extra-config=apiserver.service-node-port-range=80-32767}. */
    public static String startCommand(String profile, int nodePort, int rangeMax) {
        return "minikube start -p " + profile + " --extra-config=apiserver.service-node-port-range=" + nodePort + "-"
                + Math.max(rangeMax, nodePort);
    }

    /** A port inside the range that ends like the usual HTTP port: 30080 for the default range. */
    public static int suggestedNodePort(int rangeMin, int rangeMax) {
        int candidate = rangeMin + 80;
        return candidate <= rangeMax ? candidate : rangeMin;
    }

    /** The same error, its fix worded for the given Minikube profile. */
    public NodePortRangeException forProfile(String profile) {
        return new NodePortRangeException(object, nodePort, rangeMin, rangeMax, profile);
    }

    public ObjectRef object() {
        return object;
    }

    public int nodePort() {
        return nodePort;
    }

    public int rangeMin() {
        return rangeMin;
    }

    public int rangeMax() {
        return rangeMax;
    }
}
