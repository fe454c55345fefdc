package io.devk8s;

import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.sudo.Sudo;
import io.devk8s.console.Console;
import io.devk8s.service.HostsService;
import java.nio.file.Path;

/**
 * The composition root: builds each adapter lazily, on first use, so that a command pays only for the
 * outside systems it talks to (no fabric8 or docker-java classes load for {@code --help} or
 * {@code render}), and closes what it built.
 */
public class Services implements AutoCloseable {
    private final Environment environment;
    private final Console console;

    public Services(Environment environment, Console console) {
        this.environment = environment;
        this.console = console;
    }

    public Environment environment() {
        return environment;
    }

    public Console console() {
        return console;
    }

    public HostsFile hostsFile(Path path) {
        return new HostsFile(path);
    }

    public HostsService hostsService() {
        return new HostsService(environment, console, this::hostsFile, new Sudo(environment), this::clusterIp);
    }

    /** The address the hosts block points at when no --ip is given. */
    protected String clusterIp(String profile) {
        // the one place where the cluster lookup (minikube ip -p <profile>) plugs in
        throw Devk8sException.usage("--ip is required: pass the cluster's address, e.g. --ip \"$(minikube ip -p "
                + profile + ")\"");
    }

    @Override
    public void close() {
        // adapters built lazily are closed here
    }
}
