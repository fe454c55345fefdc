package io.devk8s.adapter.hosts;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.nio.file.Path;

/** This process may not change the hosts file (or its folder, which holds the lock and the backup). */
public final class HostsFileNotWritableException extends Devk8sException {
    private final transient Path path;

    public HostsFileNotWritableException(Path path, Throwable cause) {
        super(ExitCode.PRECONDITION, "cannot write hosts file " + path
                + ": permission denied; run the command with sudo or pass --hosts-file", cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
