package io.devk8s.adapter.hosts;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.nio.file.Path;

/**
 * This process may not change the hosts file (or its folder, which holds the lock and the backup): permission
 * denied. Exit 1: the hosts step did not happen. The service decides whether sudo can help.
 */
public final class HostsFileNotWritableException extends Devk8sException {
    private final transient Path path;

    public HostsFileNotWritableException(Path path, Throwable cause) {
        super(ExitCode.FAILURE, "cannot write hosts file " + path + ": permission denied; the file was left as "
                + "it was", cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
