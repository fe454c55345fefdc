package io.devk8s.cli;

import io.devk8s.DaemonClient;
import io.devk8s.ExitCode;
import io.devk8s.Services;
import java.util.Optional;
import picocli.CommandLine.Command;

@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Show or stop the background process that runs deploy, up, status and the like warm.",
        description = {
            "The installed devk8s passes deploy, up, down, teardown, status and render to a background process "
                + "of the same installation, so that they run with compiled code and loaded classes instead of a "
                + "Java VM that starts cold every time (a few seconds less for a deploy with nothing to do). The "
                + "first such command starts it; it leaves after three hours without a command "
                + "(DEVK8S_DAEMON_IDLE, in seconds), when devk8s is re-installed, or on 'devk8s daemon stop'. "
                + "Once, after that first command, it rehearses up and status against stand-ins on the loopback "
                + "address while you run nothing and other programs leave the CPUs mostly idle, so its next "
                + "commands run compiled code (DEVK8S_DAEMON_WARMUP: the number of rounds, 12; 0 turns it off).",
            "",
            "It runs each command with that command's working directory, environment and terminal (sudo asks "
                + "for a password in your terminal), and Ctrl-C stops the work it does for it. It listens on a "
                + "socket in $XDG_RUNTIME_DIR/devk8s (else the temporary folder), which only you can open. "
                + "DEVK8S_DAEMON=0 runs every command in its own process, as 'devk8s --verbose' always does."
        },
        subcommands = {DaemonCommand.Status.class, DaemonCommand.Stop.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s daemon status           its pid, start, commands served, memory",
            "  devk8s daemon stop             stop it (the next deploy starts a new one)",
            "  DEVK8S_DAEMON=0 devk8s deploy  run without it",
            "",
            "Exit codes: 0 done (also when none was running), 1 this devk8s does not run from a jar."
        })
public class DaemonCommand extends GroupCommand {

    @Command(name = "status", header = "Say whether the background process runs, and what it did.",
            footerHeading = "%nExamples:%n", footer = {"  devk8s daemon status"})
    public static class Status extends BaseCommand {
        @Override
        protected int run(Services services) {
            return show(services, false);
        }
    }

    @Command(name = "stop", header = "Stop the background process (commands it runs now are stopped too).",
            footerHeading = "%nExamples:%n", footer = {"  devk8s daemon stop"})
    public static class Stop extends BaseCommand {
        @Override
        protected int run(Services services) {
            return show(services, true);
        }
    }

    static int show(Services services, boolean stop) {
        Optional<DaemonClient.Info> info;
        try {
            info = DaemonClient.control(services.environment(), stop);
        } catch (IllegalStateException e) {
            services.console().error(e.getMessage());
            return ExitCode.FAILURE;
        }
        if (info.isEmpty()) {
            services.console().info(stop ? "no devk8s background process was running"
                    : "no devk8s background process is running; the installed devk8s starts one with the next"
                            + " deploy, up, down, teardown, status or render (DEVK8S_DAEMON=0: never)");
            return ExitCode.OK;
        }
        DaemonClient.Info i = info.get();
        if (stop) {
            services.console().info("stopped the devk8s background process " + i.pid() + " (it had run "
                    + i.served() + (i.served() == 1 ? " command" : " commands") + " since " + i.started() + ")");
            return ExitCode.OK;
        }
        var out = services.console();
        out.data("devk8s background process " + i.pid() + ": running since " + i.started() + ", "
                + i.served() + (i.served() == 1 ? " command" : " commands") + " served, " + i.running()
                + " running now");
        out.data("  jar     " + i.jar() + " (Java in " + i.javaHome() + ")");
        out.data("  socket  " + i.socket());
        out.data("  log     " + i.log());
        for (String line : i.memory()) {
            out.data("  memory  " + line);
        }
        return ExitCode.OK;
    }
}
