package io.devk8s.adapter.minikube;

/** What {@code minikube status} says about a profile, reduced to what devk8s acts on. */
public enum ProfileStatus {
    /** Host, kubelet and API server running, kubeconfig configured (exit 0). */
    RUNNING,
    /** The node (VM or container) is not running (exit bit 1 set). Fix: {@code minikube start}. */
    STOPPED,
    /** The API server is paused ({@code minikube pause}). Fix: {@code minikube unpause}. */
    PAUSED,
    /** The node runs but the kubelet, API server or kubeconfig is not right (exit bits 2 or 4 only). */
    DEGRADED,
    /** There is no such profile (minikube exits 85, ExGuestNotFound). Fix: {@code minikube start -p NAME}. */
    MISSING,
    /** minikube failed in some other way (driver not running, unreadable config, ...). */
    UNKNOWN;

    public boolean isRunning() {
        return this == RUNNING;
    }
}
