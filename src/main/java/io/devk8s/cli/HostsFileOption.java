package io.devk8s.cli;

import io.devk8s.Services;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * {@code --hosts-file}: the same flag, default and resolution for every command that reads or writes the hosts
 * file. {@link Any} for the stack commands; {@link ToRead} and {@link ToChange} for the {@code hosts} subcommands,
 * whose help says whether the file is only read or changed.
 */
public abstract class HostsFileOption {
    /** The default named in every --hosts-file description. */
    static final String DEFAULT_FILE = "(default: /etc/hosts; on Windows C:\\Windows\\System32\\drivers\\etc\\hosts)";

    abstract String given();

    /** The flag's value as given, or empty for the system's hosts file. */
    Optional<String> value() {
        return Optional.ofNullable(given());
    }

    /** The file resolved against the working directory, or the system's hosts file. */
    Path path(Services services) {
        return services.hostsService().hostsFile(value());
    }

    /** {@code up}, {@code down}, {@code status}, {@code doctor}. */
    public static class Any extends HostsFileOption {
        @Option(names = "--hosts-file", paramLabel = "PATH", showDefaultValue = Visibility.NEVER,
                description = "The hosts file " + DEFAULT_FILE + ".")
        String hostsFile;

        @Override
        String given() {
            return hostsFile;
        }
    }

    /** {@code hosts show}. */
    public static class ToRead extends HostsFileOption {
        @Option(names = "--hosts-file", paramLabel = "PATH", showDefaultValue = Visibility.NEVER,
                description = "The hosts file to read: a regular file or a symbolic link to one " + DEFAULT_FILE + ".")
        String hostsFile;

        @Override
        String given() {
            return hostsFile;
        }
    }

    /** {@code hosts apply}, {@code hosts remove}. */
    public static class ToChange extends HostsFileOption {
        @Option(names = "--hosts-file", paramLabel = "PATH", showDefaultValue = Visibility.NEVER,
                description = "The hosts file to change: a regular file or a symbolic link to one " + DEFAULT_FILE
                        + ".")
        String hostsFile;

        @Override
        String given() {
            return hostsFile;
        }
    }
}
