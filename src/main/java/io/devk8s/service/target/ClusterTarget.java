package io.devk8s.service.target;

import io.devk8s.adapter.docker.DockerDaemon;

/**
 * Where images are built and how they reach the cluster of the pinned kube context: build in Minikube's daemon,
 * build on the host and load into kind or k3d nodes, build on the host that the cluster shares, or build on the
 * host and push to a registry. Chosen by {@link ClusterTargets}; closing it closes the daemon connection.
 */
public interface ClusterTarget extends AutoCloseable {
    TargetKind kind();

    /** One line for the user: where images are built and how they get to the cluster. */
    String describe();

    /** The Docker daemon images are built in (connected on first call). */
    DockerDaemon daemon();

    /** The image reference to build and tag for {@code repository:tag} (a registry target prefixes its host). */
    default String imageName(String repositoryAndTag) {
        return repositoryAndTag;
    }

    /**
     * Checks what {@link #deliver} will need for {@code image} before anything is built or written (a registry
     * target: the push credentials); fails with the fix in one line. Nothing to check by default.
     */
    default void check(String image) {
    }

    /** What {@link #deliver} would do with {@code image}, for {@code --dry-run}; empty when nothing. */
    default String plan(String image) {
        return "";
    }

    /**
     * Makes {@code image} (just built or tagged when {@code built}) available to the cluster and returns the
     * reference the manifests must carry ({@code ${IMAGE}}): the same name, or {@code name@sha256:...} after a push.
     *
     * @param app the app it belongs to, for progress lines
     */
    String deliver(String app, String image, boolean built);

    /**
     * With {@code --no-build}: makes {@code image}, built before, available to a cluster that lacks it (kind and k3d
     * load it from the host's daemon when a node does not list it). Nothing for the others: Minikube's daemon is
     * the cluster's own, and a registry is where the cluster pulls from. The manifests carry {@code image} as it is.
     */
    default void deliverUnbuilt(String app, String image) {
    }

    /** Why a pod may fail to get {@code image} on this target, and the fix, for a pull failure after a build. */
    String pullFailureHint(String image);

    @Override
    void close();
}
