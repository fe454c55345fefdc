package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.adapter.hosts.HostsSyntax;
import io.devk8s.adapter.minikube.MinikubeCli;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which cluster a command is aimed at: the Minikube profile, the kube context (empty = kubeconfig's current
 * context), the contexts the user explicitly allowed, and an explicit minikube binary.
 */
public record ClusterSelection(String profile, Optional<String> context, Set<String> allowedContexts,
                               Optional<Path> minikubeBinary) {

    public ClusterSelection {
        allowedContexts = Set.copyOf(allowedContexts);
    }

    /**
     * From raw flag values (each may be null); the profile falls back to {@code $MINIKUBE_PROFILE}, then
     * {@code minikube}, and must be a name minikube accepts (exit 2 otherwise, before anything runs).
     */
    public static ClusterSelection of(Environment env, String profileFlag, String contextFlag,
                                      List<String> allowContexts, String minikubeFlag) {
        if (profileFlag != null && profileFlag.isBlank()) { // `-p ''` must not fall back to the default silently
            throw Devk8sException.usage("--profile needs a profile name, e.g. --profile minikube "
                    + "(leave the flag out to use $MINIKUBE_PROFILE, else minikube)");
        }
        String profile = MinikubeCli.resolveProfile(env, profileFlag);
        if (!HostsSyntax.isProfile(profile)) { // the same rule for every command, checked before anything runs
            boolean fromFlag = profileFlag != null && !profileFlag.isBlank();
            throw Devk8sException.usage((fromFlag ? "--profile" : "MINIKUBE_PROFILE") + " '"
                    + profile.replace("'", "'\\''") + "'"
                    + " is not a valid profile name; use letters, digits, '.', '_' and '-' (starting with a letter "
                    + "or digit), e.g. " + (fromFlag ? "--profile minikube" : "MINIKUBE_PROFILE=minikube"));
        }
        return new ClusterSelection(
                profile,
                Optional.ofNullable(contextFlag).map(String::strip).filter(s -> !s.isEmpty()),
                allowContexts == null ? Set.of() : new LinkedHashSet<>(allowContexts),
                Optional.ofNullable(minikubeFlag).filter(s -> !s.isBlank()).map(env::resolve));
    }

    /** The default selection: profile from the environment, current context, nothing allowed. */
    public static ClusterSelection defaults(Environment env) {
        return of(env, null, null, List.of(), null);
    }

    // equals and hashCode written out: a record's own spin up method handles on first use (java.lang.runtime.
    // ObjectMethods, about 20 ms of a short command on Java 17), and this record is the key of the pinned contexts
    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterSelection s && Objects.equals(profile, s.profile)
                && Objects.equals(context, s.context) && Objects.equals(allowedContexts, s.allowedContexts)
                && Objects.equals(minikubeBinary, s.minikubeBinary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, context, allowedContexts, minikubeBinary);
    }
}
