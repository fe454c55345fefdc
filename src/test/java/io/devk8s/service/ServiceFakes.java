package io.devk8s.service;

import io.devk8s.Environment;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.kubernetes.KubeContext;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.sudo.Sudo;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.console.Console;
import io.devk8s.support.MinikubeFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What the service tests pass to a service's constructor instead of {@code Services}: a console whose output
 * they read, the minikube stand-in executable (simpler than any mock of the CLI), a kube context given as a value
 * rather than a kubeconfig file, and a cluster that is either fabric8's mock API server or one that fails the
 * test when it is asked for at all.
 */
final class ServiceFakes {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Console console = Console.plain(new PrintWriter(out, true), new PrintWriter(err, true));
    final Environment environment;
    /** How many times a service asked for the cluster's API. */
    final AtomicInteger clusterRequests = new AtomicInteger();
    private final Path dir;

    /** @param fixture the minikube stand-in's FIXTURE_MINIKUBE_* settings */
    ServiceFakes(Path dir, Map<String, String> fixture) {
        this.dir = dir;
        Map<String, String> env = new HashMap<>(fixture);
        env.put("PATH", MinikubeFixture.pathWith(MinikubeFixture.install(dir)));
        env.put("HOME", dir.toString());
        environment = new Environment(env, dir);
    }

    MinikubeCli minikube(String profile) {
        return new MinikubeCli(new ProcessRunner(environment), profile, null);
    }

    RenderService renderer() {
        return new RenderService(new TemplateSource(null), environment);
    }

    static KubeContext context(String name, String server) {
        return new KubeContext(name, name, name, "default", server, Optional.empty(), false, List.of());
    }

    /** The context given, checked by the real guard; the API from {@code clusters}, counted. */
    KubeAccess kube(KubeContext context, Function<PinnedContext, KubernetesCluster> clusters) {
        return new KubeAccess(selection -> context, new ContextGuard(dir.resolve(".minikube")), s -> minikube(s.profile()),
                pinned -> {
                    clusterRequests.incrementAndGet();
                    return clusters.apply(pinned);
                });
    }

    /** A kube access whose API must never be asked for. */
    KubeAccess kubeWithoutApi(KubeContext context) {
        return kube(context, pinned -> {
            throw new AssertionError("the Kubernetes API of " + pinned.contextName() + " was asked for");
        });
    }

    Function<Path, HostsFile> hostsFiles() {
        return HostsFile::new;
    }

    HostsService hostsService() {
        return new HostsService(environment, console, HostsFile::new, new Sudo(environment),
                profile -> new HostsAddress("Linux").lookup(minikube(profile), Optional.empty()));
    }
}
