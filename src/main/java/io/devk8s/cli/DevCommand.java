package io.devk8s.cli;

import io.devk8s.Devk8sException;
import io.devk8s.Services;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.WaitPolicy;
import io.devk8s.service.dev.DevService;
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

@Command(name = "dev",
        header = "Deploy apps of devk8s.yaml, then redeploy each one when its files change, showing its logs.",
        description = {
            "Deploys the apps as `devk8s deploy` does, follows their pods' logs, and watches each app's build "
                + "context (what its .dockerignore lets through), Dockerfile, build command inputs and manifests, and "
                + "devk8s.yaml itself. When files change, only the apps whose inputs changed are rebuilt and "
                + "applied, and one line tells what changed, what was redeployed (or unchanged: the same image and "
                + "objects) and how long it took.",
            "",
            "A burst of saves is one round: a round starts once no file changed for 300 ms (at the latest 10 s "
                + "after the first change); changes during a round make exactly one more. Files below .git and "
                + "files the .dockerignore excludes never trigger a round. A failed build or apply is shown in one "
                + "line and the last good version keeps running; a broken devk8s.yaml is shown and the next save "
                + "is awaited. Ctrl-C stops watching (exit 0); with --cleanup the apps are then torn down.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s dev                      every app of devk8s.yaml",
            "  devk8s dev helloworld           one app",
            "  devk8s dev web api --cleanup    two apps, torn down on Ctrl-C",
            "  devk8s dev --poll               poll every 500ms (network or VM shares)",
            "  devk8s dev --poll=2s --build-arg BASE=busybox:1.36",
            "",
            "Exit codes: 0 stopped with Ctrl-C; 1 the teardown of --cleanup failed;",
            "2 bad devk8s.yaml, app or flag; 3 minikube, its Docker daemon or the",
            "context missing. A failed build or apply does not end the command."
        })
public class DevCommand extends BaseCommand {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ProjectOptions project;

    @Parameters(paramLabel = "APP", arity = "0..*", showDefaultValue = Visibility.NEVER,
            description = "Apps to deploy and watch (default: all of devk8s.yaml).")
    List<String> apps = new ArrayList<>();

    @Option(names = "--build-arg", paramLabel = "K=V", showDefaultValue = Visibility.NEVER,
            description = "A build argument (repeatable), over buildArgs.")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Wait for each rollout (default); --no-wait returns after the apply.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "3m", converter = DurationConverter.class,
            description = "How long to wait for a rollout (and for --cleanup's teardown), e.g. 90s or 5m.")
    Duration timeout;

    @Option(names = "--poll", paramLabel = "INTERVAL", arity = "0..1", fallbackValue = "500ms",
            converter = DurationConverter.class, showDefaultValue = Visibility.NEVER,
            description = "Find changes by walking the folders every INTERVAL (default 500ms) instead of the "
                    + "system's file events, e.g. on network shares.")
    Duration poll;

    @Option(names = "--cleanup", description = "Tear the apps' objects down when watching stops.")
    boolean cleanup;

    @Mixin
    HostsStepOptions hosts = new HostsStepOptions();

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
        if (poll != null && poll.toMillis() < 50) {
            throw Devk8sException.usage("--poll " + poll.toMillis() + "ms: poll at most every 50ms, e.g. --poll=500ms");
        }
        var scope = project.scope(services.environment(), true);
        ClusterSelection selection = cluster.selection(services.environment());
        var request = new DevService.Request(selection, scope, project.namespace.value(), apps, args,
                new WaitPolicy(wait, timeout), hosts.step(services), Optional.ofNullable(poll), cleanup);
        return services.devService(selection).run(request, Interrupts::onInterrupt);
    }
}
