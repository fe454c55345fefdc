package io.devk8s.cli;

import io.devk8s.ExitCode;
import io.devk8s.Services;
import io.devk8s.service.TrainingRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;

/**
 * Hidden: the training run {@code install.sh} records the start-up archive with. It builds the whole command tree
 * and renders every command's help (discarded), so the archive holds the classes of parsing and help of any
 * command, then renders and parses the stack ({@link TrainingRun}), and runs {@code status}, {@code up} and
 * {@code deploy} in a sandbox against stand-ins for an API server, a Docker engine and minikube on the loopback
 * address ({@link TrainingRun#inSandbox}).
 */
@Command(name = "training-run", hidden = true,
        description = "Load the classes of render, status, up and deploy without a cluster (install.sh records the start-up archive).")
public class TrainingRunCommand extends BaseCommand {

    @Override
    protected int run(Services services) {
        Devk8sCommand root = new Devk8sCommand(services.environment(), (e, c) -> services);
        StringWriter discarded = new StringWriter();
        PrintWriter out = new PrintWriter(discarded);
        int helps = helpOfEveryCommand(Devk8sCommand.commandLine(root, out, out), out);
        int objects = services.trainingRun().run();
        // `status`, `up` and `deploy` (building, then unchanged) as a user runs them (the lazily built tree, the
        // minikube calls, API reads and applies, the Docker engine's calls, their reports) against an API server and
        // a Docker engine on this machine's loopback address and a minikube that reports a running profile: their
        // classes are then in the archive
        String[][] runs = {
            {"status", "--hosts-file", "hosts"},
            {"up", "--no-wait", "--hosts-file", "hosts"},
            {"deploy", "-f", "project/devk8s.yaml", "--no-hosts", "--no-wait"},
            {"deploy", "-f", "project/devk8s.yaml", "--no-hosts", "--no-wait"},
        };
        StringBuilder ran = new StringBuilder();
        for (int i = 0; i < runs.length; i++) {
            String[] args = runs[i];
            boolean holdsImages = i != 2; // the first deploy builds its image, the second finds it unchanged
            String exit;
            try {
                exit = "exit " + TrainingRun.inSandbox(holdsImages, env ->
                        Devk8sCommand.commandLineFor(new Devk8sCommand(env, Services::new), out, out, args)
                                .execute(args));
            } catch (java.io.UncheckedIOException | LinkageError e) {
                // no temporary folder, no loopback port, or a runtime without the jdk.httpserver module: the
                // archive is made without this command's classes (it then starts slower), never not at all
                exit = "not run: " + e;
            }
            ran.append(ran.length() == 0 ? "" : ", ").append(args[0]).append(" (").append(exit).append(')');
        }
        String statusRun = "ran against a loopback API server and Docker engine: " + ran;
        console().info("training run: rendered the help of " + helps + " commands; rendered and parsed "
                + objects + " objects; " + statusRun);
        return ExitCode.OK;
    }

    private static int helpOfEveryCommand(CommandLine cmd, PrintWriter out) {
        cmd.usage(out, Ansi.OFF);
        int count = 1;
        for (CommandLine sub : cmd.getSubcommands().values().stream().distinct().toList()) {
            count += helpOfEveryCommand(sub, out);
        }
        return count;
    }
}
