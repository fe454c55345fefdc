package io.devk8s.cli;

import picocli.CommandLine.Command;

@Command(
        name = "hosts",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Point the stack's host names at the cluster through a block in the hosts file.",
        description = {
            "Keeps one block per minikube profile between '# BEGIN devk8s <profile>' and '# END devk8s <profile>'; "
                + "everything else in the file stays byte for byte. Changes are locked, backed up to "
                + "<hosts>.devk8s.bak and written atomically. When the file is not writable, only this step is "
                + "run again through sudo.",
            "",
            "Only a regular file (or a symbolic link to one) is read or written: a device, FIFO, socket, "
                + "directory, link loop or dangling link is refused before anything is opened or created."
        },
        subcommands = {HostsShowCommand.class, HostsApplyCommand.class, HostsRemoveCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s hosts apply                  minikube ip -> grafana.minikube, ...",
            "  devk8s hosts apply --ip 192.168.49.2 --domain test --host api.test",
            "  devk8s hosts show -o json           the current block as JSON",
            "  devk8s hosts remove --profile dev   drop the block of profile dev",
            "",
            "Exit codes: 0 done (or nothing to change), 1 not done: devk8s markers that do not pair up, a file",
            "that cannot be written (read-only mount, immutable), --no-sudo or no sudo (the command is printed),",
            "or a failed sudo run; 2 a bad flag or a hosts file that is not a regular file."
        })
public class HostsCommand extends GroupCommand {
}
