package io.devk8s.adapter.minikube;

import com.fasterxml.jackson.databind.JsonNode;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.adapter.json.JsonTrees;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.process.ProcessRunner.Invocation;
import io.devk8s.adapter.process.ProcessRunner.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The real {@code minikube} binary, always called for one profile ({@code -p PROFILE} on every call).
 * Output formats and exit codes follow minikube's sources: {@code status} exits with a bitmask (1 host,
 * 2 cluster, 4 kubeconfig not OK) or 85 (ExGuestNotFound) for a missing profile; commands that need a running
 * node exit 88 (GUEST_CP_CONFIG) when it is stopped.
 */
public final class MinikubeCli {
    public static final String INSTALL_URL = "https://minikube.sigs.k8s.io/docs/start/";
    public static final String DEFAULT_PROFILE = "minikube";
    /** The NodePort range devk8s needs so that the ingress controller can listen on port 80 of the node. */
    public static final String NODE_PORT_RANGE = "80-32767";
    public static final String NODE_PORT_RANGE_EXTRA_CONFIG = "--extra-config=apiserver.service-node-port-range="
            + NODE_PORT_RANGE;
    /** minikube's exit code for "no such profile" (reason.ExGuestNotFound). */
    public static final int EXIT_PROFILE_NOT_FOUND = 85;

    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(20);
    private static final Pattern PREFIX = Pattern.compile("^\\s*(?:[*!X-]|[^\\p{ASCII}]+)\\s+");

    private final ProcessRunner runner;
    private final String profile;
    private final Path explicitBinary;
    private Path binary;
    /** {@code profile list} takes about a second on a real minikube: asked once per command, again after start. */
    private Optional<MinikubeProfile> profileInfo;
    private long generation; // counts starts: an answer asked for before a start is not kept
    private final Object profileLock = new Object();

    /**
     * @param profile        the profile every call is for
     * @param explicitBinary the binary given with {@code --minikube PATH}; null to look {@code minikube} up on PATH
     */
    public MinikubeCli(ProcessRunner runner, String profile, Path explicitBinary) {
        this.runner = runner;
        this.profile = profile;
        this.explicitBinary = explicitBinary;
    }

    /** The profile to use: the flag when given, else {@code $MINIKUBE_PROFILE}, else {@code minikube}. */
    public static String resolveProfile(Environment env, String flagValue) {
        if (flagValue != null && !flagValue.isBlank()) {
            return flagValue.strip();
        }
        return env.get("MINIKUBE_PROFILE").map(String::strip).orElse(DEFAULT_PROFILE);
    }

    /** minikube's home: {@code $MINIKUBE_HOME} (with {@code .minikube} appended unless it ends so) or {@code ~/.minikube}. */
    public static Path minikubeHome(Environment env) {
        return env.get("MINIKUBE_HOME")
                .map(h -> {
                    Path p = env.resolve(h);
                    Path name = p.getFileName();
                    return name != null && name.toString().equals(".minikube") ? p : p.resolve(".minikube");
                })
                .orElseGet(() -> env.home().resolve(".minikube"))
                .toAbsolutePath()
                .normalize();
    }

    /** The command that (re)starts the profile with the NodePort range devk8s needs, for fix hints. */
    public static String startCommand(String profile) {
        return "minikube start -p " + profile + " " + NODE_PORT_RANGE_EXTRA_CONFIG;
    }

    /**
     * False on the docker (and podman) driver under macOS or Windows: there the node runs inside Docker
     * Desktop's VM and its IP cannot be reached from the host; use 127.0.0.1 with {@code minikube tunnel}.
     */
    public static boolean nodeIpReachableFromHost(String driver, String osName) {
        String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        boolean containerDriver = "docker".equals(driver) || "podman".equals(driver);
        return !(containerDriver && (os.startsWith("mac") || os.startsWith("darwin") || os.startsWith("windows")));
    }

    /** {@link #nodeIpReachableFromHost(String, String)} for this profile on this machine's OS. */
    public boolean nodeIpReachableFromHost(MinikubeProfile profileInfo) {
        return nodeIpReachableFromHost(profileInfo.driver(), System.getProperty("os.name"));
    }

    /**
     * The address to put in the hosts block for ingress hostnames: the node IP where the host can reach it,
     * else {@code 127.0.0.1} (reached through {@code minikube tunnel}).
     */
    public static String hostsAddress(String driver, String osName, String nodeIp) {
        return nodeIpReachableFromHost(driver, osName) ? nodeIp : "127.0.0.1";
    }

    public String profile() {
        return profile;
    }

    /** The minikube binary; a precondition failure (exit 3) with where to get it when there is none. */
    public synchronized Path binary() {
        if (binary == null) {
            binary = runner.locate("minikube", explicitBinary, INSTALL_URL, "--minikube");
        }
        return binary;
    }

    /** True when {@link #binary()} would succeed. */
    public boolean isInstalled() {
        try {
            binary();
            return true;
        } catch (Devk8sException e) {
            return false;
        }
    }

    /** {@code minikube version --short}, e.g. {@code v1.37.0}. */
    public String version() {
        Result r = call(QUERY_TIMEOUT, "version", "--short");
        if (!r.ok()) {
            throw failed("version --short", r);
        }
        return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty())
                .reduce((a, b) -> b).orElseThrow(() -> Devk8sException.failure(
                        "`minikube version --short` printed nothing; check the binary at " + binary()));
    }

    /** {@code minikube status -o json}: the profile's state, never throwing for a stopped or missing profile. */
    public ClusterStatus status() {
        Result r = call(QUERY_TIMEOUT, "status", "-o", "json");
        return parseStatus(r.exitCode(), r.stdout(), r.stderr());
    }

    static ClusterStatus parseStatus(int exitCode, String stdout, String stderr) {
        JsonNode node = null;
        for (String line : stdout.lines().map(String::strip).toList()) {
            if (!(line.startsWith("{") || line.startsWith("["))) {
                continue;
            }
            try {
                JsonNode parsed = JsonTrees.readJson(line);
                if (parsed.isArray()) {
                    // multi-node: the control plane is the entry that is not a worker
                    for (JsonNode n : parsed) {
                        if (node == null || !n.path("Worker").asBoolean(false) && node.path("Worker").asBoolean(false)) {
                            node = n;
                        }
                    }
                } else if (parsed.has("Host")) {
                    node = parsed;
                }
            } catch (IOException ignored) {
                // not a status line (e.g. an event): keep looking
            }
            if (node != null) {
                break;
            }
        }
        if (node == null) {
            ProfileStatus state = exitCode == EXIT_PROFILE_NOT_FOUND ? ProfileStatus.MISSING : ProfileStatus.UNKNOWN;
            return new ClusterStatus(state, exitCode, "", "", "", "", message(stdout, stderr));
        }
        String host = node.path("Host").asText("");
        String kubelet = node.path("Kubelet").asText("");
        String apiServer = node.path("APIServer").asText("");
        String kubeconfig = node.path("Kubeconfig").asText("");
        ProfileStatus state;
        if (!"Running".equals(host) || (exitCode & 1) != 0) {
            state = ProfileStatus.STOPPED;
        } else if ("Paused".equals(apiServer)) {
            state = ProfileStatus.PAUSED;
        } else if (exitCode == 0) {
            state = ProfileStatus.RUNNING;
        } else {
            state = ProfileStatus.DEGRADED;
        }
        return new ClusterStatus(state, exitCode, host, kubelet, apiServer, kubeconfig, "");
    }

    /** {@code minikube ip}: the node's IP. Fails (exit 3) with minikube's reason when the node is not running. */
    public String ip() {
        Result r = call(QUERY_TIMEOUT, "ip");
        if (!r.ok()) {
            throw notAvailable("ip", r);
        }
        return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty())
                .reduce((a, b) -> b).orElseThrow(() -> Devk8sException.failure("`minikube ip -p " + profile
                        + "` printed no address; run `minikube status -p " + profile + "` to see why"));
    }

    /**
     * This profile from {@code minikube profile list -o json --light}; empty when minikube does not list it. Asked
     * once and kept (until {@link #start}): a second caller waits for the first one's answer, but {@link #status}
     * runs next to it.
     */
    public Optional<MinikubeProfile> profileInfo() {
        synchronized (profileLock) {
            long asked;
            synchronized (this) {
                if (profileInfo != null) {
                    return profileInfo;
                }
                asked = generation;
            }
            // --light: the configuration only; without it minikube checks every profile's status (slow)
            Result r = call(QUERY_TIMEOUT, "profile", "list", "-o", "json", "--light");
            if (!r.ok()) {
                throw failed("profile list -o json --light", r);
            }
            Optional<MinikubeProfile> found = parseProfiles(r.stdout()).stream()
                    .filter(p -> p.name().equals(profile)).findFirst();
            synchronized (this) {
                if (generation == asked) { // an answer asked for before a start describes the profile before it
                    profileInfo = found;
                }
            }
            return found;
        }
    }

    static List<MinikubeProfile> parseProfiles(String stdout) {
        JsonNode root = null;
        for (String line : stdout.lines().map(String::strip).toList()) {
            if (line.startsWith("{")) {
                try {
                    JsonNode parsed = JsonTrees.readJson(line);
                    if (parsed.has("valid") || parsed.has("invalid")) {
                        root = parsed;
                        break;
                    }
                } catch (IOException ignored) {
                    // not the profile list
                }
            }
        }
        if (root == null) {
            throw Devk8sException.failure("`minikube profile list -o json` printed no profile list; "
                    + "run it yourself to see what minikube says");
        }
        List<MinikubeProfile> profiles = new ArrayList<>();
        for (JsonNode p : root.path("valid")) {
            JsonNode config = p.path("Config");
            JsonNode k8s = config.path("KubernetesConfig");
            JsonNode nodes = config.path("Nodes");
            JsonNode primary = null;
            for (JsonNode n : nodes) {
                if (n.path("ControlPlane").asBoolean(false)) {
                    primary = n;
                    break;
                }
            }
            if (primary == null && nodes.size() > 0) {
                primary = nodes.get(0);
            }
            List<MinikubeProfile.ExtraOption> extra = new ArrayList<>();
            for (JsonNode o : k8s.path("ExtraOptions")) {
                extra.add(new MinikubeProfile.ExtraOption(o.path("Component").asText(""), o.path("Key").asText(""),
                        o.path("Value").asText("")));
            }
            int port = primary == null ? 0 : primary.path("Port").asInt(0);
            if (port == 0) {
                port = config.path("APIServerPort").asInt(0);
            }
            profiles.add(new MinikubeProfile(
                    p.path("Name").asText(config.path("Name").asText("")),
                    p.path("Status").asText(""),
                    config.path("Driver").asText(""),
                    k8s.path("ContainerRuntime").asText(""),
                    k8s.path("KubernetesVersion").asText(""),
                    primary == null ? "" : primary.path("IP").asText(""),
                    port,
                    nodes.size(),
                    extra));
        }
        return profiles;
    }

    /**
     * {@code minikube docker-env --shell none}: the variables that point a Docker client at the profile's
     * daemon ({@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH},
     * {@code MINIKUBE_ACTIVE_DOCKERD}, ...). Lines starting with {@code #} and blank lines are skipped, and
     * variables with an empty value are left out (absent, not empty).
     */
    public Map<String, String> dockerEnv() {
        Result r = call(QUERY_TIMEOUT, "docker-env", "--shell", "none");
        if (!r.ok()) {
            throw notAvailable("docker-env --shell none", r);
        }
        return parseDockerEnv(r.stdout());
    }

    static Map<String, String> parseDockerEnv(String stdout) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String raw : stdout.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (!value.isEmpty()) {
                env.put(key, value);
            }
        }
        return env;
    }

    /**
     * {@code minikube start} with {@code --extra-config=apiserver.service-node-port-range=80-32767} and
     * {@code extraArgs}, passing each line minikube prints to {@code output} as it comes (e.g.
     * {@code console::info}). A non-zero exit fails (exit 1) with minikube's reason.
     */
    public void start(List<String> extraArgs, Consumer<String> output) {
        synchronized (this) {
            profileInfo = null; // the profile (IP, options, maybe its very existence) changes
            generation++;
        }
        List<String> args = new ArrayList<>(startArgs(extraArgs));
        Invocation inv = Invocation.of(binary(), args).withTimeout(START_TIMEOUT);
        Result r = runner.stream(inv, output);
        if (!r.ok()) {
            throw Devk8sException.failure("`minikube start -p " + profile + "` failed (exit " + r.exitCode() + "): "
                    + message(r.stdout(), "") + "; see minikube's output above");
        }
    }

    /** The arguments {@link #start} passes, {@code -p PROFILE} included. */
    public List<String> startArgs(List<String> extraArgs) {
        List<String> args = new ArrayList<>(List.of("start", NODE_PORT_RANGE_EXTRA_CONFIG));
        args.addAll(extraArgs);
        args.add("-p");
        args.add(profile);
        return args;
    }

    private Result call(Duration timeout, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-p");
        all.add(profile);
        return runner.run(Invocation.of(binary(), all).withTimeout(timeout));
    }

    private Devk8sException failed(String command, Result r) {
        return Devk8sException.failure("`minikube " + command + " -p " + profile + "` failed (exit " + r.exitCode()
                + "): " + message(r.stdout(), r.stderr()));
    }

    private Devk8sException notAvailable(String command, Result r) {
        String fix;
        if (r.exitCode() == EXIT_PROFILE_NOT_FOUND) {
            fix = "create it with `devk8s up --start` or `" + startCommand(profile) + "`";
        } else if (r.exitCode() == 88 || r.exitCode() == 89) {
            fix = "start it with `devk8s up --start` or `" + startCommand(profile) + "`";
        } else {
            fix = "run `minikube status -p " + profile + "` to see why";
        }
        return Devk8sException.precondition("`minikube " + command + " -p " + profile + "` failed (exit "
                + r.exitCode() + "): " + message(r.stdout(), r.stderr()) + "; " + fix);
    }

    /** minikube's most telling line: the "Exiting due to" reason, else the first message, without its bullet. */
    static String message(String stdout, String stderr) {
        List<String> lines = new ArrayList<>();
        for (String text : List.of(stderr, stdout)) {
            for (String line : text.lines().toList()) {
                String s = line.strip();
                if (s.startsWith("{\"specversion\"")) {
                    try {
                        s = JsonTrees.readJson(s).path("data").path("message").asText("").strip();
                    } catch (IOException e) {
                        continue;
                    }
                }
                s = PREFIX.matcher(s).replaceFirst("").strip();
                if (!s.isEmpty()) {
                    lines.add(s);
                }
            }
        }
        for (String l : lines) {
            if (l.contains("Exiting due to")) {
                return l.substring(l.indexOf("Exiting due to"));
            }
        }
        for (String l : lines) {
            if (l.contains("not found") || l.contains("not running")) {
                return l;
            }
        }
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
    }
}
