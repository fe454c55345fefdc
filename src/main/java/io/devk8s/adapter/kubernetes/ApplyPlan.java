package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * What an apply will do, object by object, decided before the first write (see
 * {@link KubernetesCluster#plan}): each object and whether it will be created, configured or left unchanged.
 */
public final class ApplyPlan {
    /** One object of the plan, stamped with its applied hash. */
    record Step(ObjectRef ref, HasMetadata object, ApplyOutcome outcome) {
    }

    private final List<Step> steps;

    ApplyPlan(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    List<Step> steps() {
        return steps;
    }

    /** The objects and what applying each will do, in apply order. */
    public List<Applied> outcomes() {
        return steps.stream().map(s -> new Applied(s.ref(), s.outcome())).toList();
    }

    /** How many objects will be written (created or configured). */
    public long writes() {
        return steps.stream().filter(s -> s.outcome() != ApplyOutcome.UNCHANGED).count();
    }
}
