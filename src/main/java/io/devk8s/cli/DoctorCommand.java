package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.console.Console;
import io.devk8s.service.ClusterSelection;
import io.devk8s.service.DoctorService;
import io.devk8s.service.DoctorService.Check;
import io.devk8s.service.DoctorService.Report;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "doctor",
        header = "Check that everything devk8s up needs is in place, and say how to fix what isn't.",
        description = {
            "Checks Java, the minikube binary, the profile's state, the NodePort range (must include 80), "
                + "the container runtime (docker, for docker-env), that the kube context is the profile's, "
                + "and that the hosts file can be written. One line per check: ok, warn or fail, with the fix."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s doctor                      check the default profile (minikube)",
            "  devk8s doctor --profile dev -o json",
            "",
            "Exit codes: 0 no check failed (warnings allowed), 3 a check failed."
        })
public class DoctorCommand extends BaseCommand {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    HostsFileOption.Any hostsFile;

    @Mixin
    OutputOptions output;

    @Override
    protected int run(Services services) {
        ClusterSelection selection = cluster.selection(services.environment());
        DoctorService doctor = services.doctorService(selection);
        Report report = doctor.run(selection, hostsFile.path(services));
        output.print(console(), io.devk8s.service.DoctorReport.of(report), () -> printText(report));
        return report.exitCode();
    }

    private void printText(Report report) {
        Console console = console();
        int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Check c : report.checks()) {
            String level = String.format("%-4s", c.level().name().toLowerCase(Locale.ROOT));
            String painted = switch (c.level()) {
                case OK -> console.green(level);
                case WARN -> console.yellow(level);
                case FAIL -> console.red(level);
                case SKIP -> level;
            };
            console.data(painted + "  " + String.format("%-" + width + "s", c.name()) + "  " + c.message()
                    + c.fix().map(f -> "; fix: " + f).orElse(""));
        }
        long failed = report.count(DoctorService.Level.FAIL);
        long warned = report.count(DoctorService.Level.WARN);
        if (failed > 0) {
            console.error(failed + " check" + (failed == 1 ? "" : "s") + " failed" + (warned > 0 ? ", " + warned
                    + " warning" + (warned == 1 ? "" : "s") : ""));
        } else if (warned > 0) {
            console.info("ready, with " + warned + " warning" + (warned == 1 ? "" : "s"));
        } else {
            console.success("ready for devk8s up");
        }
    }
}
