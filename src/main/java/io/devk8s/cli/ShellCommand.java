package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.ShellService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "shell",
        header = "Open a shell (or run one command) in a debug pod in the project's namespace.",
        description = {
            "Starts a fresh debug pod in the project's namespace (from devk8s.yaml, -n, else the kube "
                + "context's): an existing debug pod of that name is deleted first, and devk8s waits until it is "
                + "gone and the new one is running (with a diagnosis when it does not start). The pod carries the "
                + "labels appgroup=<project>, app.kubernetes.io/component=debugtool and "
                + "app.kubernetes.io/managed-by=devk8s; a pod of that name devk8s did not create is never touched.",
            "",
            "The image: --image IMAGE, else the debug image devk8s builds in Minikube's Docker daemon from the "
                + "shell: section of devk8s.yaml (base, packages, and the project's own tools, built by their apps' "
                + "build commands first); it is rebuilt only when its Dockerfile or a tool changed. Without "
                + "devk8s.yaml, --image is required.",
            "",
            "Without a command and with a terminal, opens bash (else sh) with a TTY; Ctrl-C and Ctrl-D go to the "
                + "remote shell and the terminal is restored on exit. With -- CMD ARGS..., runs that command; when "
                + "stdin is not a terminal it is read to its end and passed on, stdout and stderr stay separate. "
                + "The remote exit code becomes devk8s's."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s shell                                      the project's debug image",
            "  devk8s shell --dry-run                            the Dockerfile, image, pod",
            "  devk8s shell --image alpine:3.20                  a shell in a new debug pod",
            "  devk8s shell --image alpine:3.20 --reuse --rm     reuse it, remove on exit",
            "  devk8s shell --image alpine:3.20 -- nslookup web  one command, its exit code",
            "  echo hi | devk8s shell --image alpine:3.20 -- cat"
        })
public class ShellCommand extends BaseCommand {

    @Option(names = "--image", paramLabel = "IMAGE", showDefaultValue = Visibility.NEVER,
            description = "The debug pod's image, e.g. alpine:3.20 (pulled only when the node does not have it).")
    String image;

    @Option(names = "--name", paramLabel = "NAME", showDefaultValue = Visibility.NEVER,
            description = "The debug pod's name (default: shell.name of devk8s.yaml, else "
                    + ShellService.DEFAULT_NAME + ").")
    String name;

    @Option(names = "--dry-run", description = "Print the debug image's Dockerfile, the image and the pod; build, "
            + "run and change nothing.")
    boolean dryRun;

    @Option(names = "--reuse", description = "Attach to the debug pod when it runs the same image, instead of "
            + "replacing it.")
    boolean reuse;

    @Option(names = "--rm", description = "Delete the debug pod when the session ends.")
    boolean remove;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long to wait for the old pod to go and the new one to run, e.g. 90s or 2m.")
    Duration timeout;

    @Mixin
    ProjectOptions project;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "CMD", arity = "0..*", showDefaultValue = Visibility.NEVER,
            description = "The command to run, after -- (default: an interactive shell).")
    List<String> command = new ArrayList<>();

    @Override
    protected int run(Services services) throws Exception {
        ShellService.Request request = new ShellService.Request(cluster.selection(services.environment()),
                project.scope(services.environment(), false), Optional.ofNullable(image), name, reuse, remove,
                command, timeout, dryRun);
        ShellService.Streams streams = new ShellService.Streams(System.in, System.out, System.err,
                terminal());
        return services.shellService().shell(request, streams);
    }

    /** Whether stdin and stdout are a terminal (from Java 22 on, a console exists even when they are not). */
    static boolean terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before Java 22 a console exists only for a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
