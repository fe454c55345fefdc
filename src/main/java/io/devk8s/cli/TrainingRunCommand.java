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
 * command, then renders and parses the stack ({@link TrainingRun}).
 */
@Command(name = "training-run", hidden = true,
        description = "Load the classes of render and up without a cluster (install.sh records the start-up archive).")
public class TrainingRunCommand extends BaseCommand {

    @Override
    protected int run(Services services) {
        Devk8sCommand root = new Devk8sCommand(services.environment(), (e, c) -> services);
        StringWriter discarded = new StringWriter();
        PrintWriter out = new PrintWriter(discarded);
        int helps = helpOfEveryCommand(Devk8sCommand.commandLine(root, out, out), out);
        int objects = services.trainingRun().run();
        // `status` as a user runs it (the lazily built tree, minikube calls, API reads, its report) against an
        // empty API server on this machine and a minikube that fails: its classes are then in the archive
        String[] status = {"status", "--hosts-file", "hosts"};
        String statusRun;
        try {
            statusRun = "ran status against an empty API server (exit " + TrainingRun.inStatusSandbox(env ->
                    Devk8sCommand.commandLineFor(new Devk8sCommand(env, Services::new), out, out, status)
                            .execute(status)) + ")";
        } catch (java.io.UncheckedIOException | LinkageError e) {
            // no temporary folder, no loopback port, or a runtime without the jdk.httpserver module: the archive
            // is made without status's classes (status then starts slower), never not at all
            statusRun = "status not run (" + e + ")";
        }
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
