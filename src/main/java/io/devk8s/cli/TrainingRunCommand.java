package io.devk8s.cli;

import io.devk8s.ExitCode;
import io.devk8s.Services;
import io.devk8s.service.TrainingRun;
import picocli.CommandLine.Command;

/** Hidden: the training run {@code install.sh} records the start-up archive with (see {@link TrainingRun}). */
@Command(name = "training-run", hidden = true,
        description = "Load the classes of render and up without a cluster (install.sh records the start-up archive).")
public class TrainingRunCommand extends BaseCommand {

    @Override
    protected int run(Services services) {
        console().info("training run: rendered and parsed " + services.trainingRun().run() + " objects");
        return ExitCode.OK;
    }
}
