package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.service.HostsStep;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The hosts step's flags, declared once for every command that updates the hosts block after it changes the
 * cluster ({@code up}, {@code down}, {@code deploy}, {@code teardown}): which file, whether at all, and sudo.
 */
public class HostsStepOptions {
    @Mixin
    HostsFileOption.Any hostsFile = new HostsFileOption.Any();

    @Option(names = "--no-hosts", description = "Do not touch the hosts file.")
    boolean noHosts;

    @Mixin
    NoSudoOption noSudo = new NoSudoOption();

    /** The hosts step these flags ask for. */
    HostsStep step(Services services) {
        return new HostsStep(!noHosts, hostsFile.path(services), noSudo.value());
    }
}
