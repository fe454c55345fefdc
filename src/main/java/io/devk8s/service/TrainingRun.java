package io.devk8s.service;

import io.devk8s.Environment;
import io.devk8s.adapter.docker.BuildContext;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.docker.TrainingEngine;
import io.devk8s.adapter.tls.TrainingCertificate;
import io.devk8s.adapter.kubernetes.EmptyApiServer;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.config.AppConfig;
import io.devk8s.config.ProjectFileLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What {@code install.sh} runs while the JVM records its start-up archive (AppCDS): the stack rendered and parsed
 * the way {@code up} does it, so the archive holds the template, YAML and Kubernetes client classes that
 * {@code render}, {@code up}, {@code status} and {@code down} load, and the Docker client classes of {@code deploy}.
 * Needs no cluster and no Docker engine: the sandbox's stand-ins listen on this machine's loopback address only.
 */
public final class TrainingRun {
    private final RenderService renderer;

    public TrainingRun(RenderService renderer) {
        this.renderer = renderer;
    }

    /** Returns the number of objects rendered and parsed. */
    public int run() {
        RenderedStack stack = renderer.renderStack(StackOptions.defaults());
        RenderService.toYaml(stack.documents());
        DockerDaemon.trainingRun();
        return KubernetesCluster.trainingRun(stack.documents().stream().map(RenderedDocument::yaml).toList());
    }

    /** The one object of the sandbox's API server: the stack's Traefik, rolled out. */
    static final String TRAINING_DEPLOYMENT = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{"
            + "\"name\":\"traefik\",\"namespace\":\"devk8s\",\"generation\":1,\"labels\":{"
            + "\"" + StackCatalog.PART_OF_LABEL + "\":\"" + StackCatalog.DEVK8S + "\","
            + "\"" + StackCatalog.MANAGED_BY_LABEL + "\":\"" + StackCatalog.DEVK8S + "\"}},"
            + "\"spec\":{\"replicas\":1,\"template\":{\"spec\":{\"containers\":[{\"name\":\"traefik\","
            + "\"image\":\"docker.io/traefik:v3\"}]}}},\"status\":{\"observedGeneration\":1,\"replicas\":1,"
            + "\"readyReplicas\":1,\"availableReplicas\":1,\"updatedReplicas\":1,\"conditions\":[{\"type\":\"Available\","
            + "\"status\":\"True\"}]}}";

    /**
     * What the sandbox's {@code minikube} prints: a running profile, as {@code minikube} v1.37 prints it, whose
     * {@code docker-env} names {@code dockerHost}, with TLS from the PEM files in {@code pems} when present.
     */
    static String minikubeScript(String dockerHost, Optional<Path> pems) {
        String tls = pems.map(p -> "'DOCKER_TLS_VERIFY=\"1\"' 'DOCKER_CERT_PATH=\"" + p + "\"' ").orElse("");
        return String.join("\n",
            "#!/bin/sh",
            "# devk8s's training run: a running profile named minikube, and nothing else",
            "case \" $* \" in",
            "  *\" status \"*) printf '%s\\n' '{\"Name\":\"minikube\",\"Host\":\"Running\",\"Kubelet\":\"Running\","
                    + "\"APIServer\":\"Running\",\"Kubeconfig\":\"Configured\",\"Worker\":false}' ;;",
            "  *\" profile list \"*) printf '%s\\n' '{\"invalid\":[],\"valid\":[{\"Name\":\"minikube\",\"Status\":\"\","
                    + "\"Config\":{\"Name\":\"minikube\",\"Driver\":\"docker\",\"KubernetesConfig\":{\"ContainerRuntime\":"
                    + "\"docker\",\"ExtraOptions\":[{\"Component\":\"apiserver\",\"Key\":\"service-node-port-range\","
                    + "\"Value\":\"80-32767\"}]},\"Nodes\":[{\"Name\":\"\",\"IP\":\"127.0.0.1\",\"Port\":8443,"
                    + "\"ContainerRuntime\":\"docker\",\"ControlPlane\":true,\"Worker\":true}]},\"Active\":true}]}' ;;",
            "  *\" docker-env \"*) printf '%s\\n' " + tls + "'DOCKER_HOST=\"" + dockerHost + "\"' "
                    + "'MINIKUBE_ACTIVE_DOCKERD=\"minikube\"' ;;",
            "  *) exit 1 ;;",
            "esac",
            "");
    }

    /** The sandbox's project ({@code project/devk8s.yaml}): one app of the default http kind, a host-side build. */
    static final String PROJECT_FILE = String.join("\n",
            "project: training",
            "apps:",
            "  - name: web",
            "    image: web",
            "    context: .",
            "    build:",
            "      command: \"true\"",
            "      inputs: [\"*.txt\"]",
            "    kind: http",
            "    port: 8080",
            "    ingress: web",
            "");

    /** Writes the minikube script as an executable; false where there is no /bin/sh or no POSIX permissions. */
    private static boolean writeMinikube(Path file, String dockerHost, Optional<Path> pems) throws IOException {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return false;
        }
        try {
            Files.writeString(file, minikubeScript(dockerHost, pems));
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return true;
        } catch (UnsupportedOperationException e) {
            Files.deleteIfExists(file);
            return false;
        }
    }

    /** How the sandbox's folder is named (a random part follows). */
    public static final String SANDBOX_PREFIX = "devk8s-training";

    /** {@link #inSandbox} with an engine that holds every image asked for. */
    public static <T> T inStatusSandbox(Function<Environment, T> body) {
        return inSandbox(true, body);
    }

    /**
     * Runs {@code body} in a sandbox where a command like {@code status} or {@code deploy} finds a kubeconfig whose
     * only context points at an {@link EmptyApiServer} on this machine's loopback address (nothing leaves the
     * machine), an empty hosts file named {@code hosts} in the working folder, as {@code minikube} on PATH a script
     * that reports a running profile ({@link #minikubeScript}; without {@code /bin/sh}, the system's {@code false},
     * which fails every call at once) whose {@code docker-env} names a {@link TrainingEngine} (holding every image
     * asked for, or none), and a project in {@code project/devk8s.yaml} ({@link #PROJECT_FILE}). The folder is a
     * new temporary one, removed afterwards.
     */
    public static <T> T inSandbox(boolean holdsImages, Function<Environment, T> body) {
        return inSandbox(holdsImages, true, null, body);
    }

    /**
     * As {@link #inSandbox(boolean, Function)}; without {@code withTls}, the stand-ins speak plain HTTP (no
     * {@code keytool} run, about a second of CPU); the folder is made in {@code parent} (null: the temporary
     * folder), named {@code devk8s-training...}.
     */
    public static <T> T inSandbox(boolean holdsImages, boolean withTls, Path parent, Function<Environment, T> body) {
        Path dir = null;
        try {
            dir = parent == null ? Files.createTempDirectory(SANDBOX_PREFIX)
                    : Files.createTempDirectory(parent, SANDBOX_PREFIX);
            // TLS both ways, as Minikube's API server and Docker engine speak it, when the runtime has a keytool
            Optional<TrainingCertificate> tls = withTls
                    ? TrainingCertificate.create(Files.createDirectory(dir.resolve("certs"))) : Optional.empty();
            javax.net.ssl.SSLContext context = tls.map(TrainingCertificate::serverContext).orElse(null);
            try (EmptyApiServer api = EmptyApiServer.start(List.of(TRAINING_DEPLOYMENT), context);
                 TrainingEngine engine = TrainingEngine.start(holdsImages, context)) {
                return inSandbox(dir, tls.map(TrainingCertificate::pemDir), api, engine, body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException ignored) {
                    // a temporary folder left behind
                }
            }
        }
    }

    private static <T> T inSandbox(Path dir, Optional<Path> pems, EmptyApiServer api, TrainingEngine engine,
                                   Function<Environment, T> body) throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path project = Files.createDirectory(dir.resolve("project"));
        Files.writeString(project.resolve("devk8s.yaml"), PROJECT_FILE);
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\n");
        Files.writeString(project.resolve("a.txt"), "a\n");
        // the labels a deploy of that project looks for, read from its file: an engine that holds images lists one
        // carrying them
        AppConfig app = new ProjectFileLoader().load(project.resolve("devk8s.yaml")).apps().get(0);
        engine.hold(Map.of(DockerDaemon.INPUT_DIGEST_LABEL, BuildContext.scan(app.context(), app.dockerfile())
                        .inputDigest(new TreeMap<>(app.buildArgs()), app.target()),
                BuildSteps.BUILD_INPUTS_LABEL, BuildSteps.inputsDigest(app.build().orElseThrow())));
        ProcessRunner processes = new ProcessRunner(Environment.system());
        Optional<Path> sh = processes.which("sh");
        if (sh.isPresent()) { // the project's build command runs through it
            Files.createSymbolicLink(bin.resolve("sh"), sh.get());
        }
        if (!writeMinikube(bin.resolve("minikube"), engine.dockerHost(), pems)) {
            Optional<Path> fail = processes.which("false");
            if (fail.isPresent()) {
                Files.createSymbolicLink(bin.resolve("minikube"), fail.get());
            }
        }
        Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        Files.writeString(dir.resolve("kubeconfig"), String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "current-context: minikube",
                "clusters:",
                "- name: minikube",
                "  cluster: {server: \"" + api.url() + "\""
                        + pems.map(p -> ", certificate-authority: \"" + p.resolve("ca.pem") + "\"").orElse("") + "}",
                "contexts:",
                "- name: minikube",
                "  context: {cluster: minikube, user: minikube, namespace: default}",
                "users:",
                "- name: minikube",
                pems.map(p -> "  user: {client-certificate: \"" + p.resolve("cert.pem") + "\", client-key: \""
                        + p.resolve("key.pem") + "\"}").orElse("  user: {token: training}"),
                ""));
        Environment env = new Environment(Map.of("HOME", dir.toString(), "PATH", dir.resolve("bin").toString(),
                "KUBECONFIG", dir.resolve("kubeconfig").toString()), dir);
        return body.apply(env);
    }
}
