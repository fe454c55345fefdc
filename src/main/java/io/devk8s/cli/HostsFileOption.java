package io.devk8s.cli;

import io.devk8s.Services;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code --hosts-file}: declared once for every command that reads or writes the hosts file. */
public class HostsFileOption {
    @Option(names = "--hosts-file", paramLabel = "PATH", showDefaultValue = Visibility.NEVER,
            description = "The hosts file (default: /etc/hosts; on Windows "
                    + "C:\\Windows\\System32\\drivers\\etc\\hosts).")
    String hostsFile;

    /** The flag's value as given, or empty for the system's hosts file. */
    Optional<String> value() {
        return Optional.ofNullable(hostsFile);
    }

    /** The file resolved against the working directory, or the system's hosts file. */
    Path path(Services services) {
        return services.hostsService().hostsFile(value());
    }
}
