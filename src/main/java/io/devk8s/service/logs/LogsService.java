package io.devk8s.service.logs;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.LabelSelector;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.config.AppConfig;
import io.devk8s.console.Console;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.KubeAccess;
import io.devk8s.service.ProjectScope;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code devk8s logs}: the pods of the named apps ({@code appgroup=<project>,app=<name>}, all apps of the project
 * when none is named) or of {@code --selector}, their logs printed once or followed by a {@link LogFollower}.
 * Everything the user typed is checked before the first API call; the context guard applies.
 */
public final class LogsService {
    private final Console console;
    private final KubeAccess kube;

    public LogsService(Console console, KubeAccess kube) {
        this.console = console;
        this.kube = kube;
    }

    /** What the user asked for. */
    public record Request(ClusterSelection selection, ProjectScope scope, List<String> apps, Optional<String> selector,
                          LogFollower.Options options) {
        public Request {
            apps = List.copyOf(apps);
        }
    }

    /** The selector of the request, checked: {@code --selector} parsed, else the apps' labels. */
    public static LabelSelector selector(Request request) {
        if (request.selector().isPresent()) {
            if (!request.apps().isEmpty()) {
                throw Devk8sException.usage("give APP names or --selector, not both: --selector "
                        + request.selector().get() + " already picks the pods; drop " + String.join(" ",
                        request.apps()));
            }
            LabelSelector selector = LabelSelector.parse(request.selector().get());
            if (selector.isEverything()) {
                throw Devk8sException.usage("--selector is empty: name the pods' labels, e.g. --selector app=web");
            }
            return selector;
        }
        ProjectScope scope = request.scope();
        scope.requireProject("--selector SEL (e.g. --selector app=web)");
        List<AppConfig> apps = scope.apps(request.apps());
        String project = scope.projectSelector().orElseThrow();
        if (request.apps().isEmpty()) {
            return LabelSelector.parse(project);
        }
        List<String> names = apps.stream().map(AppConfig::name).distinct().toList();
        return LabelSelector.parse(project + "," + ProjectScope.APP_LABEL
                + (names.size() == 1 ? "=" + names.get(0) : " in (" + String.join(",", names) + ")"));
    }

    /**
     * Checks the request and pins the context (a foreign context is refused, exit 3); the follower it returns prints
     * once or follows when run.
     */
    public LogFollower prepare(Request request) {
        if (request.options().tail().filter(t -> t < 0).isPresent()) {
            throw Devk8sException.usage("--tail " + request.options().tail().get()
                    + ": give a number of lines, 0 or more, e.g. --tail 100");
        }
        if (request.options().since().filter(d -> d.isNegative() || d.isZero()).isPresent()) {
            throw Devk8sException.usage("--since must be longer than 0, e.g. --since 10m");
        }
        LabelSelector selector = selector(request);
        PinnedContext pinned = kube.pin(request.selection(), request.scope().allowedContexts());
        KubernetesCluster cluster = kube.cluster(pinned);
        String namespace = request.scope().namespace(pinned);
        console.debug("logs of pods " + selector + " in namespace " + namespace + " of context "
                + pinned.contextName());
        return new LogFollower(cluster.logSource(), namespace, selector, request.options(), console);
    }
}
