package io.devk8s.cli;

import picocli.CommandLine.Option;

/** {@code --no-sudo}: declared once for every command that may write the hosts file. */
public class NoSudoOption {
    @Option(names = "--no-sudo",
            description = "When the hosts file is not writable, print the sudo command (on stderr) instead of running it, "
                    + "and exit 1.")
    boolean noSudo;

    boolean value() {
        return noSudo;
    }
}
