package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.logs.LogFollower;
import io.devk8s.service.logs.LogsService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs",
        header = "Print or follow the logs of the project's pods, every line prefixed pod/container.",
        description = {
            "Picks the pods of the named apps (labels appgroup=<project>,app=<name> from devk8s.yaml; every app of "
                + "the project when none is named) or those --selector names, and prints the log of each of their "
                + "containers, one line at a time, prefixed pod/container (coloured per pod on a terminal).",
            "",
            "With -f it watches the pods: a new pod or a restarted container gets a stream of its own, a deleted "
                + "pod's stream ends, and a dropped stream is reopened from its last line without printing a line "
                + "twice. At most 50 streams are open at once. Ctrl-C ends it (exit 0). --since and --tail apply "
                + "to each stream when it is first opened."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s logs                      every app of the project, what is there now",
            "  devk8s logs web -f               follow web across restarts and redeploys",
            "  devk8s logs web api --since 10m  the last ten minutes of two apps",
            "  devk8s logs -f --tail 20 --timestamps",
            "  devk8s logs --selector 'app in (web,api)' -n demo",
            "",
            "Exit codes: 0 ok (also after Ctrl-C); 1 a log could not be read; 2 bad",
            "input (no devk8s.yaml and no --selector, an unknown app, a bad selector);",
            "3 the context refused or the cluster unreachable."
        })
public class LogsCommand extends BaseCommand {

    @Parameters(paramLabel = "APP", arity = "0..*", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Apps of devk8s.yaml whose pods to show (default: all of them).")
    List<String> apps = new ArrayList<>();

    @Option(names = {"-f", "--follow"}, description = "Keep streaming: new pods and restarts are picked up.")
    boolean follow;

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only lines newer than this, e.g. 10m, 1h, 90s.")
    Duration since;

    @Option(names = "--tail", paramLabel = "N",
            description = "Only the last N lines of each container (default: all).")
    Integer tail;

    @Option(names = {"-l", "--selector"}, paramLabel = "SEL",
            description = "Label selector of the pods instead of APP, e.g. 'app=web,tier in (api,db)'. "
                    + "Required without devk8s.yaml.")
    String selector;

    @Option(names = "--timestamps", description = "Show each line's timestamp from the cluster.")
    boolean timestamps;

    @Option(names = "--file", paramLabel = "PATH",
            description = "The project file (default: devk8s.yaml in this folder or the nearest parent).")
    String file;

    @Mixin
    NamespaceOption namespace = new NamespaceOption();

    @Mixin
    ClusterOptions cluster;

    @Override
    protected int run(Services services) throws Exception {
        ProjectOptions project = new ProjectOptions();
        project.file = file;
        project.namespace = namespace;
        LogsService.Request request = new LogsService.Request(cluster.selection(services.environment()),
                project.scope(services.environment(), false), apps, Optional.ofNullable(selector),
                new LogFollower.Options(follow, Optional.ofNullable(since), Optional.ofNullable(tail), timestamps));
        LogFollower follower = services.logsService().prepare(request);
        Thread hook = new Thread(follower::close, "devk8s logs shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (follow) {
            Interrupts.onInterrupt(follower::close);
        }
        try {
            return follower.run();
        } finally {
            follower.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook closes the follower again, which is harmless
            }
        }
    }
}
