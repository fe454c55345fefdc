package io.devk8s.service;

import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.kubernetes.KubernetesCluster;

/**
 * What {@code install.sh} runs while the JVM records its start-up archive (AppCDS): the stack rendered and parsed
 * the way {@code up} does it, so the archive holds the template, YAML and Kubernetes client classes that
 * {@code render}, {@code up}, {@code status} and {@code down} load, and the Docker client classes of {@code deploy}.
 * Needs no cluster and makes no network request.
 */
public final class TrainingRun {
    private final RenderService renderer;

    public TrainingRun(RenderService renderer) {
        this.renderer = renderer;
    }

    /** Returns the number of objects rendered and parsed. */
    public int run() {
        RenderedStack stack = renderer.renderStack(StackOptions.defaults());
        RenderService.toYaml(stack.documents());
        DockerDaemon.trainingRun();
        return KubernetesCluster.trainingRun(stack.documents().stream().map(RenderedDocument::yaml).toList());
    }
}
