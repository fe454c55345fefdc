package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.hosts.HostsFile;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.adapter.minikube.ClusterStatus;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.minikube.MinikubeProfile;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.sudo.Sudo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code devk8s doctor}: checks everything {@code devk8s up} relies on and says, for each, how to fix it.
 * A check never throws; a failing one makes the report's exit code 3.
 */
public final class DoctorService {

    private final ProcessRunner runner;
    private final MinikubeCli minikube;
    private final KubeAccess kube;
    private final Function<Path, HostsFile> hostsFiles;

    public DoctorService(ProcessRunner runner, MinikubeCli minikube, KubeAccess kube,
                         Function<Path, HostsFile> hostsFiles) {
        this.runner = runner;
        this.minikube = minikube;
        this.kube = kube;
        this.hostsFiles = hostsFiles;
    }

    public enum Level { OK, WARN, FAIL, SKIP }

    /** One check: its name, outcome, what was found and (unless ok) the fix. */
    public record Check(String name, Level level, String message, Optional<String> fix) {
        static Check ok(String name, String message) {
            return new Check(name, Level.OK, message, Optional.empty());
        }

        static Check warn(String name, String message, String fix) {
            return new Check(name, Level.WARN, message, Optional.ofNullable(fix));
        }

        static Check fail(String name, String message, String fix) {
            return new Check(name, Level.FAIL, message, Optional.ofNullable(fix));
        }

        static Check skip(String name, String message) {
            return new Check(name, Level.SKIP, message, Optional.empty());
        }
    }

    public record Report(List<Check> checks) {
        public Report {
            checks = List.copyOf(checks);
        }

        public long count(Level level) {
            return checks.stream().filter(c -> c.level() == level).count();
        }

        /** 3 when any check failed, else 0. */
        public int exitCode() {
            return count(Level.FAIL) > 0 ? ExitCode.PRECONDITION : ExitCode.OK;
        }
    }

    public Report run(ClusterSelection selection, Path hostsFile) {
        List<Check> checks = new ArrayList<>();
        String profile = selection.profile();
        String start = MinikubeCli.startCommand(profile);
        checks.add(javaCheck());

        Optional<LocalClusters.Local> local = Optional.empty();
        try {
            local = LocalClusters.classify(kube.context(selection));
        } catch (Devk8sException e) {
            // the context check below reports it
        }
        Optional<MinikubeProfile> info = Optional.empty();
        if (local.isPresent()) {
            checks.addAll(localClusterChecks(local.get()));
        } else {
            info = minikubeChecks(checks, profile, start);
        }

        Optional<PinnedContext> pinned = Optional.empty();
        try {
            Check context = contextCheck(selection, info);
            checks.add(context);
            if (context.level() == Level.OK) {
                pinned = Optional.of(kube.pin(selection));
            }
        } catch (Devk8sException e) {
            checks.add(Check.fail("context", e.getMessage(), null));
        }
        checks.add(pinned.map(this::apiCheck).orElseGet(() -> Check.skip("api server", "needs the profile's context")));
        checks.add(hostsFileCheck(hostsFile, profile));
        return new Report(checks);
    }

    /**
     * A kind or k3d context: its tool is on PATH (deploy loads images with it), and how the host reaches the stack
     * on port 80 (the cluster's port mapping is made at create time; `devk8s up` prints it). No Minikube profile.
     */
    private List<Check> localClusterChecks(LocalClusters.Local local) {
        List<Check> checks = new ArrayList<>();
        String what = switch (local.kind()) {
            case KIND -> "kind";
            case K3D -> "k3d";
            case DESKTOP -> "";
        };
        if (!what.isEmpty()) {
            Optional<Path> bin = runner.which(what);
            if (bin.isEmpty()) {
                checks.add(Check.fail(what, what + " is not on PATH; deploy loads images with it",
                        "install it (" + (local.kind() == LocalClusters.Kind.KIND
                                ? io.devk8s.adapter.kind.KindCli.INSTALL_URL : io.devk8s.adapter.k3d.K3dCli.INSTALL_URL)
                                + ") or deploy with --target registry"));
            } else {
                ProcessRunner.Result r = runner.run(ProcessRunner.Invocation.of(bin.get(), "version"));
                String version = r.stdout().lines().findFirst().orElse("").strip();
                checks.add(r.ok() ? Check.ok(what, version + " (" + bin.get() + ")")
                        : Check.fail(what, "`" + what + " version` failed with exit code " + r.exitCode(),
                                "reinstall it (" + bin.get() + ")"));
            }
        }
        String reach = local.kind() == LocalClusters.Kind.KIND
                ? "the URLs need kind cluster " + local.name() + " created with extraPortMappings from host port 80 to "
                        + "node port " + UpService.KIND_NODE_PORT + " (`devk8s up` prints the config)"
                : UpService.reachability(local, UpService.KIND_NODE_PORT).get(0);
        checks.add(Check.skip("port 80", "not checked: " + reach));
        checks.add(Check.skip("profile", "the context is " + (what.isEmpty() ? local.name() : what + " cluster "
                + local.name()) + "'s: no Minikube profile needed"));
        return checks;
    }

    /** The checks of the Minikube profile; returns its details when it exists. */
    private Optional<MinikubeProfile> minikubeChecks(List<Check> checks, String profile, String start) {
        boolean installed;
        try {
            Path bin = minikube.binary();
            checks.add(Check.ok("minikube", minikube.version() + " (" + bin + ")"));
            installed = true;
        } catch (Devk8sException e) {
            installed = false;
            // the message already says where to get minikube, or what it answered
            checks.add(Check.fail("minikube", e.getMessage(), null));
        }

        ClusterStatus status = null;
        Optional<MinikubeProfile> info = Optional.empty();
        if (installed) {
            try {
                status = minikube.status();
                checks.add(profileCheck(profile, status, start));
                info = minikube.profileInfo();
            } catch (Devk8sException e) {
                checks.add(Check.fail("profile", e.getMessage(), "run `minikube status -p " + profile + "`"));
            }
        } else {
            checks.add(Check.skip("profile", "needs minikube"));
        }

        if (info.isPresent()) {
            checks.add(nodePortCheck(info.get(), start));
            checks.add(runtimeCheck(info.get(), status));
        } else {
            String why = installed ? "profile \"" + profile + "\" does not exist yet; `devk8s up --start` creates it with "
                    + MinikubeCli.NODE_PORT_RANGE_EXTRA_CONFIG : "needs minikube";
            checks.add(Check.skip("node ports", why));
            checks.add(Check.skip("runtime", installed ? "profile \"" + profile + "\" does not exist yet" : why));
        }
        return info;
    }

    static Check javaCheck() {
        Runtime.Version v = Runtime.version();
        String text = "Java " + v + " (" + System.getProperty("java.vendor", "unknown vendor") + ")";
        return v.feature() >= 17 ? Check.ok("java", text)
                : Check.fail("java", text + " is older than 17", "install Java 17 or newer");
    }

    private static Check profileCheck(String profile, ClusterStatus status, String start) {
        String name = "profile";
        String p = "profile \"" + profile + "\"";
        return switch (status.state()) {
            case RUNNING -> Check.ok(name, p + " is running");
            case STOPPED -> Check.fail(name, p + " is " + status.describe(),
                    "run `devk8s up --start` or `" + start + "`");
            case MISSING -> Check.fail(name, p + " does not exist", "run `devk8s up --start` or `" + start + "`");
            case PAUSED -> Check.fail(name, p + " is paused", "run `minikube unpause -p " + profile + "`");
            case DEGRADED -> Check.fail(name, p + " is " + status.describe(),
                    "run `" + start + "` to restart it, or `minikube logs -p " + profile + "` to see why");
            case UNKNOWN -> Check.fail(name, "minikube can't tell the state of " + p + ": " + status.describe(),
                    "run `minikube status -p " + profile + "` to see why");
        };
    }

    private static Check nodePortCheck(MinikubeProfile info, String start) {
        MinikubeProfile.PortRange range = info.nodePortRange();
        boolean explicit = info.extraOption("apiserver", "service-node-port-range").isPresent();
        String text = "NodePort range " + range + (explicit ? "" : " (Kubernetes' default)");
        if (range.includes(80)) {
            return Check.ok("node ports", text + " includes 80");
        }
        int alternative = range.includes(30080) ? 30080 : range.from();
        return Check.fail("node ports", text + " does not include 80, so `devk8s up` cannot bind Traefik to port 80",
                "`" + start + "`, or run `devk8s up --node-port " + alternative + "` (the URLs then carry the port)");
    }

    private Check runtimeCheck(MinikubeProfile info, ClusterStatus status) {
        String name = "runtime";
        String recreate = "recreate the profile with `minikube delete -p " + info.name() + "` then `"
                + MinikubeCli.startCommand(info.name()) + " --container-runtime=docker`";
        if (!info.usesDockerRuntime()) {
            return Check.warn(name, "container runtime is " + info.containerRuntime()
                    + ", so images can't be built into the cluster with docker-env", recreate);
        }
        if (info.nodeCount() > 1) {
            return Check.warn(name, "runtime docker, but " + info.nodeCount()
                    + " nodes: docker-env works only on single-node clusters", "use a single-node profile");
        }
        if (status == null || !status.state().isRunning()) {
            return Check.ok(name, "runtime docker on the " + info.driver() + " driver (docker-env checked once running)");
        }
        try {
            Map<String, String> env = minikube.dockerEnv();
            return Check.ok(name, "runtime docker on the " + info.driver() + " driver; docker-env points at "
                    + env.getOrDefault("DOCKER_HOST", "the default daemon"));
        } catch (Devk8sException e) {
            return Check.warn(name, e.getMessage(), "run `minikube docker-env -p " + info.name() + "` to see why");
        }
    }

    private Check contextCheck(ClusterSelection selection, Optional<MinikubeProfile> info) {
        var context = kube.context(selection);
        Optional<PinnedContext.Reason> reason = kube.evaluate(context, selection, () -> info);
        if (reason.isEmpty()) {
            return Check.fail("context", ContextGuard.refusal(context, selection.profile()).getMessage(), null);
        }
        if (!reason.get().isMinikube()) {
            return Check.ok("context", "\"" + context.name() + "\" (" + context.server() + "): "
                    + StatusService.describe(reason.get()));
        }
        return Check.ok("context", "\"" + context.name() + "\" (" + context.server() + ") is profile \""
                + selection.profile() + "\"'s: " + StatusService.describe(reason.get()));
    }

    /** The API server of the pinned context answers, and with which Kubernetes version. */
    private Check apiCheck(PinnedContext pinned) {
        try {
            String version = kube.cluster(pinned).serverVersion();
            return Check.ok("api server", pinned.server() + " answers: Kubernetes " + version);
        } catch (Devk8sException e) {
            return Check.fail("api server", e.getMessage(), null);
        }
    }

    /**
     * The hosts step's pre-flight, as {@code devk8s up} makes it: the file exists and is a regular file (or a
     * link to one), its devk8s markers come in pairs, and devk8s can write it: directly, or through sudo.
     */
    public Check hostsFileCheck(Path hostsFile, String profile) {
        String name = "hosts file";
        HostsFile file = hostsFiles.apply(hostsFile);
        String fix = "fix it, or pass --hosts-file PATH (devk8s up --no-hosts skips the hosts step)";
        try {
            file.checkType();
            if (!Files.exists(hostsFile)) {
                return Check.fail(name, hostsFile + " does not exist", "create it, or pass --hosts-file PATH");
            }
            file.read(profile);
        } catch (Devk8sException e) {
            // one line naming the file and what it is (a directory, a FIFO, a link loop, a broken block, ...)
            return Check.fail(name, e.getMessage(), fix);
        }
        HostsFile.Access access = file.access(); // the same test devk8s up makes before it asks for sudo
        if (access.writable()) {
            return Check.ok(name, hostsFile + " is writable");
        }
        if (access.denial() != HostsFile.Denial.PERMISSION || Sudo.runningAsRoot()) {
            return Check.fail(name, HostsService.whyNotWritable(file, access), fix);
        }
        Optional<Path> sudo = runner.which("sudo");
        if (sudo.isPresent()) {
            return Check.ok(name, hostsFile + " is not writable by you; devk8s will use " + sudo.get());
        }
        return Check.fail(name, hostsFile + " is not writable and sudo is not on PATH",
                "run devk8s as a user who can write " + hostsFile + ", or install sudo");
    }
}
