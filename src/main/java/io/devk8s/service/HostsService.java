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
 * again through {@code sudo}; without sudo (or with {@code --no-sudo}) the exact command is printed instead, on
 * stderr like every message here.
 *
 * <p>Exit codes of the hosts step: 2 when the file is not a regular file (or a link to one) or a flag is bad;
 * 1 when the step was asked for and did not happen: broken devk8s markers, a file nobody here can write
 * (read-only mount, immutable, refused to root), the command printed instead of run, or a failed sudo run.
 */
public final class HostsService {
    /** The stack's ingress hosts, each under the domain. */
    public static final List<String> STACK_HOSTS = StackCatalog.HOST_LABELS;

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

    /** Which change a pre-flight is for. */
    public enum Step { APPLY, REMOVE }

    /** How the hosts step reaches the file, as {@link #preflight} found it. */
    public enum Route {
        /** This process writes the file. */
        DIRECT,
        /** Not writable by this user: the hosts step runs again through sudo. */
        SUDO,
        /** Not writable by this user, and sudo is not to be run (--no-sudo, none on PATH, Windows): the command
         * is printed and the step counts as not done (exit 1). */
        PRINT,
        /** Nothing to write: {@link Step#REMOVE} and the file holds no block of the profile. */
        NONE
    }

    /** What the pre-flight found: the file, the profile's block in it (if any) and how a change reaches it. */
    public record Preflight(HostsFile file, Optional<Block> block, Route route) {}

    /**
     * Everything about the hosts step that can be known without writing, in the order a user fixes it: the
     * request (profile, folder, domain, names: exit 2), the file's type (a regular file or a link to one: exit
     * 2), its devk8s markers (in pairs: exit 1) and whether it can be changed: directly, through sudo, or not
     * at all (read-only mount, immutable file, refused to root: exit 1). {@code up} and {@code down} call it
     * before their first cluster write ({@code withinStack}: the refusals then also name {@code --no-hosts}, and
     * a hosts step that will need sudo is announced).
     */
    public Preflight preflight(Request request, Step step, boolean withinStack) {
        validate(request);
        HostsFile file = files.apply(request.hostsFile());
        Optional<Block> block;
        try {
            block = file.read(request.profile());
        } catch (Devk8sException e) {
            throw withinStack ? withSkipHint(e) : e;
        }
        if (step == Step.REMOVE && block.isEmpty()) {
            return new Preflight(file, block, Route.NONE);
        }
        HostsFile.Access access = file.access();
        Route route;
        if (access.writable()) {
            route = Route.DIRECT;
        } else if (access.denial() == HostsFile.Denial.PERMISSION && !Sudo.runningAsRoot()) {
            route = request.noSudo() || sudoPath().isEmpty() ? Route.PRINT : Route.SUDO;
        } else {
            Devk8sException refusal = cannotWrite(file, access);
            throw withinStack ? withSkipHint(refusal) : refusal;
        }
        if (withinStack && route != Route.DIRECT) {
            console.info("hosts: " + file.path() + " is not writable by this user; "
                    + (route == Route.SUDO ? "the hosts step will run through sudo (it may ask for your password)"
                    : "the hosts step will print the command to run as root instead (" + printReason(request.noSudo())
                    + "), and the exit code will be 1"));
        }
        return new Preflight(file, block, route);
    }

    public int apply(Request request) throws IOException, InterruptedException {
        Preflight pre = preflight(request, Step.APPLY, false);
        HostsFile file = pre.file();
        String ip = request.ip().orElseGet(() -> clusterIp.apply(request.profile()));
        checkIp(ip);
        List<String> names = hostnames(request.domain(), request.extraHosts());
        if (request.dryRun()) {
            HostsFile.Plan plan = file.planApply(request.profile(), List.of(new Entry(ip, names)));
            printDiff(file, request.profile(), plan.before(), Optional.of(plan.after()), plan.result().name());
            dryRunRoute(file, pre.route(), request.noSudo());
            return ExitCode.OK;
        }
        List<String> again = new ArrayList<>(List.of("hosts", "apply", "--hosts-file", file.path().toString(),
                "--profile", request.profile(), "--ip", ip, "--domain", request.domain()));
        request.extraHosts().forEach(h -> again.addAll(List.of("--host", h)));
        if (pre.route() != Route.DIRECT) {
            return elevate(file, again, pre.route(), request.noSudo());
        }
        ApplyResult result;
        try {
            result = file.apply(request.profile(), ip, names);
        } catch (HostsFileNotWritableException e) {
            return elevate(file, again, raceRoute(e, request.noSudo()), request.noSudo());
        }
        if (result == ApplyResult.UNCHANGED) {
            console.info("hosts: unchanged");
        } else {
            console.success("hosts: updated " + file.path() + " (" + ip + ")");
        }
        return ExitCode.OK;
    }

    public int remove(Request request) throws IOException, InterruptedException {
        Preflight pre = preflight(request, Step.REMOVE, false);
        HostsFile file = pre.file();
        if (request.dryRun()) {
            Optional<Block> before = pre.block();
            printDiff(file, request.profile(), before, Optional.empty(), before.isPresent() ? "REMOVED" : "UNCHANGED");
            dryRunRoute(file, pre.route(), request.noSudo());
            return ExitCode.OK;
        }
        if (pre.route() == Route.NONE) {
            console.info("hosts: unchanged (no devk8s block for profile " + request.profile() + " in "
                    + file.path() + ")");
            return ExitCode.OK;
        }
        List<String> again = List.of("hosts", "remove", "--hosts-file", file.path().toString(),
                "--profile", request.profile());
        if (pre.route() != Route.DIRECT) {
            return elevate(file, again, pre.route(), request.noSudo());
        }
        try {
            file.remove(request.profile());
        } catch (HostsFileNotWritableException e) {
            return elevate(file, again, raceRoute(e, request.noSudo()), request.noSudo());
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

    /** The file passed the pre-flight, then a write was refused anyway (it changed meanwhile). */
    private Route raceRoute(HostsFileNotWritableException e, boolean noSudo) {
        if (Sudo.runningAsRoot()) {
            throw Devk8sException.failure("cannot write hosts file " + e.path() + ": permission denied even "
                    + "for root (a network file system or a security policy); the file was left as it was", e);
        }
        return noSudo || sudoPath().isEmpty() ? Route.PRINT : Route.SUDO;
    }

    private Optional<Path> sudoPath() {
        return isWindows() ? Optional.empty() : sudo.find();
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    private static String printReason(boolean noSudo) {
        return noSudo ? "--no-sudo given" : isWindows() ? "run it from an Administrator prompt" : "no sudo on PATH";
    }

    private void dryRunRoute(HostsFile file, Route route, boolean noSudo) {
        if (route == Route.SUDO) {
            console.info("hosts: " + file.path() + " is not writable by this user; the change would run through sudo");
        } else if (route == Route.PRINT) {
            console.warn("hosts: " + file.path() + " is not writable by this user (" + printReason(noSudo)
                    + "); the change would not be made: the command to run as root would be printed, exit 1");
        }
    }

    /**
     * Why the file cannot be changed by anyone this command could become, exit 1. A loop or a device never gets
     * here ({@link HostsFile#checkType()}); a permission problem gets here only as root, where sudo adds nothing.
     */
    static Devk8sException cannotWrite(HostsFile file, HostsFile.Access access) {
        return Devk8sException.failure(whyNotWritable(file, access)
                + "; nothing was changed (or pass --hosts-file with another file)");
    }

    /** "cannot write hosts file PATH: the cause", one line. */
    static String whyNotWritable(HostsFile file, HostsFile.Access access) {
        Path refused = access.refused();
        String what = refused.equals(file.path()) ? "" : " (" + refused + ")";
        String cause = switch (access.denial()) {
            case READ_ONLY -> "the file system is mounted read-only" + what + "; remount it read-write";
            case NOT_PERMITTED -> "the system refuses every write" + what + " (" + access.reason() + "), whatever "
                    + "its mode bits: an immutable or append-only attribute (`lsattr " + refused + "` shows it, "
                    + "`chattr -i " + refused + "` removes it) or a security policy";
            case PERMISSION -> "permission denied even for root" + what + " (a network file system or a security "
                    + "policy)";
            case OTHER -> access.reason() + what;
        };
        return "cannot write hosts file " + file.path() + ": " + cause;
    }

    private static Devk8sException withSkipHint(Devk8sException e) {
        String message = e.getMessage();
        return new Devk8sException(e.exitCode(), message + " (or skip the hosts step with --no-hosts)", e);
    }

    private int elevate(HostsFile file, List<String> hostsArgs, Route route, boolean noSudo) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(Launcher.command(environment));
        command.addAll(hostsArgs);
        String why = "hosts: " + file.path() + " is not writable by this user";
        if (route == Route.PRINT) {
            console.error(why + " (" + printReason(noSudo) + "): the hosts "
                    + "step was not done; to do it, run:");
            console.err().println("  " + (isWindows() ? "" : "sudo ") + Sudo.shellQuote(command));
            console.err().flush();
            return ExitCode.FAILURE;
        }
        console.info(why + "; running the hosts step again with sudo (it may ask for your password):");
        console.info("  sudo " + Sudo.shellQuote(command));
        int code = sudo.run(sudoPath().orElseThrow(), command);
        if (code != 0) {
            console.error("hosts: `sudo devk8s " + String.join(" ", hostsArgs.subList(0, 2)) + "` exited with " + code
                    + ": the hosts step was not done");
            return ExitCode.FAILURE;
        }
        return ExitCode.OK;
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
