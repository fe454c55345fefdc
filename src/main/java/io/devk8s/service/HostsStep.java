package io.devk8s.service;

import java.nio.file.Path;

/**
 * The hosts-file step of a cluster command.
 *
 * @param enabled false with {@code --no-hosts}
 * @param file    the hosts file, resolved ({@code --hosts-file} or the system's)
 * @param noSudo  {@code --no-sudo}: print the sudo command instead of running it
 */
public record HostsStep(boolean enabled, Path file, boolean noSudo) {
}
