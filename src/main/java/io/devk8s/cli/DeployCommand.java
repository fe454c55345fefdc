package io.devk8s.cli;

import io.devk8s.Devk8sException;
import io.devk8s.Services;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.DeployService;
import io.devk8s.service.WaitPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deploy",
        header = "Build apps of devk8s.yaml for the cluster, apply their manifests and wait for the rollout.",
        description = {
            "For each APP (every app of devk8s.yaml, in order, when none is named): runs its build command on the "
                + "host, builds its image where the cluster gets it (--target, default from the kube context: "
                + "Minikube's Docker daemon, or the host's then kind load, k3d image import or a registry push) "
                + "tagged with its "
                + "version (git describe, -dirty-<hash> for uncommitted changes), renders its manifests ($${VAR} "
                + "strictly, then Jinja), applies them with server-side apply, prunes the app's objects they no "
                + "longer render, waits for the rollout and prints the URL and a Jaeger link.",
            "",
            "Nothing that did not change is redone: the build command is skipped when its inputs are unchanged, the "
                + "image build when an image with the same input digest exists, and unchanged objects are not "
                + "written. Everything that can be checked is checked for every app before the first build.",
            "",
            "The image is built with the daemon's API builder; a Dockerfile that needs BuildKit (# syntax=, RUN "
                + "--mount, COPY --link or --chmod, heredocs) is built with the docker CLI pointed at the same daemon. "
                + "On a terminal the build shows as one line; --verbose shows its whole output.",
            "",
            "The devk8s.yaml schema: docs/devk8s-yaml.md.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s deploy                        every app of devk8s.yaml",
            "  devk8s deploy helloworld             one app",
            "  devk8s deploy helloworld --dry-run   what would be built and applied",
            "  devk8s deploy --no-build --tag v1.2  apply with an image built before",
            "  devk8s deploy -f ../other/devk8s.yaml --build-arg BASE=busybox:1.36",
            "  devk8s deploy --context kind-dev       build on the host, kind load",
            "  devk8s deploy --registry localhost:5001  push, deploy by digest",
            "",
            "Exit codes: 0 ok, 1 build, apply, rollout or hosts step failed, 2 bad devk8s.yaml, app or flag,",
            "3 minikube, a Docker daemon, kind/k3d, registry credentials or the context missing."
        })
public class DeployCommand extends BaseCommand {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ProjectOptions project;

    @Parameters(paramLabel = "APP", arity = "0..*", showDefaultValue = Visibility.NEVER, description = "Apps to deploy (default: all of devk8s.yaml).")
    List<String> apps = new ArrayList<>();

    @Option(names = "--no-build", description = "Do not build: apply with the tag a build would give (or --tag), which the daemon must "
            + "have (kind and k3d: loaded into nodes that lack it).")
    boolean noBuild;

    @Option(names = "--tag", paramLabel = "TAG", description = "The image tag (default: the version from git).")
    String tag;

    @Option(names = "--build-arg", paramLabel = "K=V", showDefaultValue = Visibility.NEVER, description = "A build argument (repeatable), over buildArgs.")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Wait for the rollout (default); --no-wait returns after the apply.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "3m", converter = DurationConverter.class,
            description = "How long to wait for the rollout, e.g. 90s or 5m.")
    Duration timeout;

    @Option(names = "--dry-run", description = "Print what would be built, the tag and the objects; change nothing.")
    boolean dryRun;

    @Mixin
    HostsStepOptions hosts = new HostsStepOptions();

    @Option(names = "--target", paramLabel = "TARGET", completionCandidates = TargetCandidates.class,
            description = "How images reach the cluster: minikube (build in its Docker), kind or k3d (build on the "
                    + "host, then load), docker (the host's Docker, which the cluster shares), registry (build on the "
                    + "host, push, deploy by digest). Default: from the kube context.")
    String target;

    @Option(names = "--registry", paramLabel = "HOST[:PORT]",
            description = "Push to this registry (implies --target registry; default: registry: of devk8s.yaml, "
                    + "else the cluster's kube-public/local-registry-hosting ConfigMap).")
    String registry;

    /** The values --target completes to. */
    static final class TargetCandidates extends ArrayList<String> {
        TargetCandidates() {
            super(List.of("minikube", "kind", "k3d", "docker", "registry"));
        }
    }

    @Override
    protected int run(Services services) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw Devk8sException.usage("--build-arg " + a + ": expected KEY=VALUE, e.g. --build-arg BASE=busybox");
            }
            args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        if (tag != null && !tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
            throw Devk8sException.usage("--tag " + tag + ": not a valid image tag (letters, digits, _ . -; at most 128)");
        }
        var scope = project.scope(services.environment(), true);
        ClusterSelection selection = cluster.selection(services.environment());
        var request = new DeployService.Request(selection, apps, !noBuild, Optional.ofNullable(tag), args,
                new WaitPolicy(wait, timeout), hosts.step(services), dryRun, Optional.ofNullable(target),
                Optional.ofNullable(registry));
        return services.deployService(selection, scope).deploy(request);
    }
}
