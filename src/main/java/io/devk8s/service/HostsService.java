package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.hosts.HostsFile.ApplyResult;
import io.devk8s.adapter.hosts.HostsFile.Block;
import io.devk8s.adapter.hosts.HostsFile.Entry;
import io.devk8s.adapter.hosts.HostsFileNotWritableException;
import io.devk8s.adapter.hosts.HostsSyntax;
import io.devk8s.adapter.sudo.Sudo;
import io.devk8s.console.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Points the stack's host names ({@code traefik-ui.<domain>}, {@code prometheus.<domain>}, ...) at the cluster
 * through a devk8s block in the hosts file. When the file is not writable by the user, only this step is run
 * again through {@code sudo}; without sudo (or with {@code --no-sudo}) the exact command is printed instead.
 */
public final class HostsService {
    /** The stack's ingress hosts, each under the domain. */
    public static final List<String> STACK_HOSTS = List.of("traefik-ui", "prometheus", "grafana", "jaeger");

    /** One hosts command. {@code ip} empty: ask the cluster (see {@link #HostsService}'s {@code clusterIp}). */
    public record Request(Path hostsFile, String profile, String domain, Optional<String> ip,
            List<String> extraHosts, boolean noSudo, boolean dryRun) {
        public Request {
            extraHosts = List.copyOf(extraHosts);
        }
    }

    private final Environment environment;
    private final Console console;
    private final Function<Path, HostsFile> files;
    private final Sudo sudo;
    private final Function<String, String> clusterIp;

    /**
     * @param clusterIp the address of a profile's cluster, used when no {@code --ip} is given: the one place
     *     where the minikube lookup plugs in
     */
    public HostsService(Environment environment, Console console, Function<Path, HostsFile> files, Sudo sudo,
            Function<String, String> clusterIp) {
        this.environment = environment;
        this.console = console;
        this.files = files;
        this.sudo = sudo;
        this.clusterIp = clusterIp;
    }

    /** {@code /etc/hosts}, or on Windows {@code %SystemRoot%\System32\drivers\etc\hosts}. */
    public static Path defaultHostsFile(Environment environment) {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            String root = environment.get("SystemRoot").orElse("C:\\Windows");
            return Path.of(root, "System32", "drivers", "etc", "hosts");
        }
        return Path.of("/etc/hosts");
    }

    /** The file a command works on: {@code --hosts-file} resolved against the working directory, or the default. */
    public Path hostsFile(Optional<String> flag) {
        return flag.map(environment::resolve).orElseGet(() -> defaultHostsFile(environment));
    }

    /** The stack's hosts under the domain, then the extra hosts, without duplicates. */
    public static List<String> hostnames(String domain, List<String> extraHosts) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        STACK_HOSTS.forEach(h -> names.add(h + "." + domain));
        names.addAll(extraHosts);
        return List.copyOf(names);
    }

    public int apply(Request request) throws IOException, InterruptedException {
        validate(request);
        String ip = request.ip().orElseGet(() -> clusterIp.apply(request.profile()));
        checkIp(ip);
        List<String> names = hostnames(request.domain(), request.extraHosts());
        HostsFile file = files.apply(request.hostsFile());
        if (request.dryRun()) {
            HostsFile.Plan plan = file.planApply(request.profile(), List.of(new Entry(ip, names)));
            printDiff(file, request.profile(), plan.before(), Optional.of(plan.after()), plan.result().name());
            return ExitCode.OK;
        }
        List<String> again = new ArrayList<>(List.of("hosts", "apply", "--hosts-file", file.path().toString(),
                "--profile", request.profile(), "--ip", ip, "--domain", request.domain()));
        request.extraHosts().forEach(h -> again.addAll(List.of("--host", h)));
        if (!file.isWritable()) {
            return elevate(file, again, request.noSudo());
        }
        ApplyResult result;
        try {
            result = file.apply(request.profile(), ip, names);
        } catch (HostsFileNotWritableException e) {
            return elevate(file, again, request.noSudo());
        }
        if (result == ApplyResult.UNCHANGED) {
            console.info("hosts: unchanged");
        } else {
            console.success("hosts: updated " + file.path() + " (" + ip + ")");
        }
        return ExitCode.OK;
    }

    public int remove(Request request) throws IOException, InterruptedException {
        validate(request);
        HostsFile file = files.apply(request.hostsFile());
        if (request.dryRun()) {
            Optional<Block> before = file.read(request.profile());
            printDiff(file, request.profile(), before, Optional.empty(), before.isPresent() ? "REMOVED" : "UNCHANGED");
            return ExitCode.OK;
        }
        if (file.read(request.profile()).isEmpty()) {
            console.info("hosts: unchanged (no devk8s block for profile " + request.profile() + " in "
                    + file.path() + ")");
            return ExitCode.OK;
        }
        List<String> again = List.of("hosts", "remove", "--hosts-file", file.path().toString(),
                "--profile", request.profile());
        if (!file.isWritable()) {
            return elevate(file, again, request.noSudo());
        }
        try {
            file.remove(request.profile());
        } catch (HostsFileNotWritableException e) {
            return elevate(file, again, request.noSudo());
        }
        console.success("hosts: removed the devk8s block for profile " + request.profile() + " from " + file.path());
        return ExitCode.OK;
    }

    /** The profile's block, for {@code -o json|yaml}: file, profile, present, entries. */
    public HostsBlockReport block(Path hostsFile, String profile) throws IOException {
        checkProfile(profile);
        HostsFile file = files.apply(hostsFile);
        Optional<Block> block = file.read(profile);
        return new HostsBlockReport(file.path().toString(), profile, block.isPresent(),
                block.map(Block::entries).orElse(List.of()).stream()
                        .map(e -> new HostsBlockReport.Entry(e.ip(), e.hosts())).toList());
    }

    /** Prints the profile's block as it stands in the file, or says on stderr that there is none. */
    public int show(Path hostsFile, String profile) throws IOException {
        checkProfile(profile);
        HostsFile file = files.apply(hostsFile);
        Optional<Block> block = file.read(profile);
        if (block.isPresent()) {
            console.data(HostsFile.beginMarker(profile));
            block.get().entries().forEach(e -> console.data(e.line()));
            console.data(HostsFile.endMarker(profile));
        } else {
            console.info("hosts: no devk8s block for profile " + profile + " in " + file.path());
        }
        return ExitCode.OK;
    }

    private int elevate(HostsFile file, List<String> hostsArgs, boolean noSudo)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(Launcher.command(environment));
        command.addAll(hostsArgs);
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Optional<Path> sudoPath = windows ? Optional.empty() : sudo.find();
        String why = "hosts: " + file.path() + " is not writable by this user";
        if (noSudo || sudoPath.isEmpty()) {
            String reason = noSudo ? "--no-sudo given" : windows ? "run it from an Administrator prompt"
                    : "no sudo on PATH";
            console.warn(why + " (" + reason + "); to update it, run:");
            console.data((windows ? "" : "sudo ") + Sudo.shellQuote(command));
            return ExitCode.OK;
        }
        console.info(why + "; running the hosts step again with sudo (it may ask for your password):");
        console.info("  sudo " + Sudo.shellQuote(command));
        int code = sudo.run(sudoPath.get(), command);
        if (code != 0) {
            console.error("hosts: sudo " + String.join(" ", hostsArgs.subList(0, 2)) + " exited with " + code);
        }
        return code;
    }

    private void printDiff(HostsFile file, String profile, Optional<Block> before, Optional<List<Entry>> after,
            String result) {
        console.info("hosts: dry run, nothing written (" + result.toLowerCase(Locale.ROOT) + ")");
        console.data("--- " + file.path());
        console.data("+++ " + file.path() + " (after)");
        if (before.map(Block::entries).equals(after)) {
            return;
        }
        console.data("@@ " + HostsFile.beginMarker(profile) + (before.map(b -> " (line " + b.line() + ")")
                .orElse(" (new, at the end)")) + " @@");
        before.ifPresent(b -> blockLines(profile, b.entries()).forEach(l -> console.data("-" + l)));
        after.ifPresent(a -> blockLines(profile, a).forEach(l -> console.data("+" + l)));
    }

    private static List<String> blockLines(String profile, List<Entry> entries) {
        List<String> lines = new ArrayList<>();
        lines.add(HostsFile.beginMarker(profile));
        entries.forEach(e -> lines.add(e.line()));
        lines.add(HostsFile.endMarker(profile));
        return lines;
    }

    /** Checks a request without touching the file: the profile, the folder, the domain and every host name. */
    public static void validate(Request r) {
        checkProfile(r.profile());
        Path folder = r.hostsFile().toAbsolutePath().getParent();
        if (folder == null || !java.nio.file.Files.isDirectory(folder)) {
            throw Devk8sException.usage("--hosts-file " + r.hostsFile() + ": the folder " + folder
                    + " does not exist; pass the path of an existing hosts file");
        }
        if (!HostsSyntax.isHostname(r.domain())) {
            throw Devk8sException.usage("--domain '" + r.domain() + "' is not a valid DNS name; use letters, "
                    + "digits, inner hyphens and dots, e.g. --domain minikube");
        }
        for (String host : r.extraHosts()) {
            if (!HostsSyntax.isHostname(host)) {
                throw Devk8sException.usage("--host '" + host + "' is not a valid host name; use letters, "
                        + "digits, inner hyphens and dots, e.g. --host api.minikube");
            }
        }
        r.ip().ifPresent(HostsService::checkIp);
    }

    private static void checkIp(String ip) {
        if (!HostsSyntax.isIpLiteral(ip)) {
            throw Devk8sException.usage("--ip '" + ip + "' is not an IPv4 or IPv6 address; pass the cluster's "
                    + "address, e.g. --ip 192.168.49.2");
        }
    }

    private static void checkProfile(String profile) {
        if (!HostsSyntax.isProfile(profile)) {
            throw Devk8sException.usage("--profile '" + profile + "' is not a valid profile name; use letters, "
                    + "digits, '.', '_' and '-', e.g. --profile minikube");
        }
    }
}
