package io.devk8s.adapter.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.json.JsonTrees;
import io.devk8s.adapter.minikube.MinikubeProfile;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The Docker daemon images are built in (Minikube's, reached through {@code minikube docker-env}), spoken to
 * with an API version both sides support: the daemon's {@code /version} is read first, then every call uses
 * the lower of the daemon's API version and the newest one docker-java knows ({@value #CLIENT_MAX_API}). A
 * daemon whose oldest API is newer than that is refused in one line.
 */
public final class DockerDaemon implements AutoCloseable {
    /** The newest API version docker-java 3.7 speaks. */
    public static final String CLIENT_MAX_API = "1.44";
    /** The image label that carries a build's input digest. */
    public static final String INPUT_DIGEST_LABEL = "devk8s.io/input-digest";

    private final DockerEngine engine;
    private final Info info;
    private final DockerClient client;

    /** What the daemon said about itself, and the API version in use. */
    public record Info(String serverVersion, String daemonApiVersion, String minApiVersion, String apiVersion,
                       String os, String arch) {
        /** {@code TARGETOS} of a build on this daemon, e.g. {@code linux}. */
        public String targetOs() {
            return os == null || os.isBlank() ? "linux" : os.toLowerCase(Locale.ROOT);
        }

        /** {@code TARGETARCH} of a build on this daemon, in Go's names: {@code amd64}, {@code arm64}, ... */
        public String targetArch() {
            String a = arch == null ? "" : arch.toLowerCase(Locale.ROOT);
            return switch (a) {
                case "x86_64", "x86-64" -> "amd64";
                case "aarch64" -> "arm64";
                case "i386", "i686" -> "386";
                default -> a;
            };
        }
    }

    private DockerDaemon(DockerEngine engine, Info info, DockerClient client) {
        this.engine = engine;
        this.info = info;
        this.client = client;
    }

    /**
     * Minikube's daemon: asks {@code minikube -p PROFILE docker-env --shell none} (on every run: the port
     * changes after a restart), then connects as {@link #connect(DockerEngine)} does.
     */
    public static DockerDaemon ofMinikube(MinikubeCli minikube, Environment env) {
        Map<String, String> dockerEnv;
        try {
            dockerEnv = minikube.dockerEnv();
        } catch (Devk8sException e) {
            throw noDockerEnv(minikube, e);
        }
        return connect(DockerEngine.fromMinikube(dockerEnv, env));
    }

    /** Why a profile has no docker-env, when its runtime, node count or driver says so; else {@code e} as it is. */
    private static Devk8sException noDockerEnv(MinikubeCli minikube, Devk8sException e) {
        Optional<MinikubeProfile> info;
        try {
            info = minikube.profileInfo();
        } catch (Devk8sException ignored) {
            return e;
        }
        String p = minikube.profile();
        if (info.isPresent() && !info.get().usesDockerRuntime()) {
            return new Devk8sException(ExitCode.PRECONDITION, "profile " + p + " runs the "
                    + info.get().containerRuntime() + " container runtime, which has no Docker daemon to build in: "
                    + "build with `minikube -p " + p + " image build -t IMAGE CONTEXT` instead, or recreate the profile "
                    + "with `minikube start -p " + p + " --container-runtime=docker`", e);
        }
        if (info.isPresent() && !info.get().supportsDockerEnv()) {
            return new Devk8sException(ExitCode.PRECONDITION, "profile " + p + " (" + info.get().nodeCount()
                    + " nodes, driver " + info.get().driver() + ") has no docker-env: build with `minikube -p " + p
                    + " image build -t IMAGE CONTEXT` instead, or use a single-node profile with the docker runtime", e);
        }
        return e;
    }

    /** The host's daemon, as the docker CLI finds it: {@code DOCKER_HOST} (with its TLS variables), else the socket. */
    public static DockerDaemon ofHost(Environment env) {
        return connect(DockerEngine.fromEnvironment(env));
    }

    /**
     * Connects to the engine, reads its {@code /version} and settles on an API version. An unreachable daemon
     * or certificates that do not fit become one line naming the host and the fix (exit 3).
     */
    public static DockerDaemon connect(DockerEngine engine) {
        boolean ok = false;
        try {
            Version v;
            try {
                v = engine.call("ask for the version of", () -> engine.client().versionCmd().exec());
            } catch (Devk8sException e) {
                if (!engine.reusesClient()) {
                    throw e;
                }
                // a connection an earlier command opened, which the engine dropped (it restarted): once more, anew
                engine.forgetClient();
                v = engine.call("ask for the version of", () -> engine.client().versionCmd().exec());
            }
            DockerClient probe = engine.client();
            String api = negotiate(v.getApiVersion(), v.getMinAPIVersion(), engine.settings().host());
            DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerConfig(engine.dockerConfigDir().toString()) // the command's, not this process's
                    .withDockerHost(engine.settings().host())
                    .withDockerTlsVerify(false) // TLS lives in the shared HTTP client, built with the certificates
                    .withApiVersion(RemoteApiVersion.parseConfig(api))
                    .build();
            DockerClient negotiated = DockerClientImpl.getInstance(config, ((DockerClientImpl) probe).getHttpClient());
            Info info = new Info(v.getVersion(), v.getApiVersion(), v.getMinAPIVersion(), api,
                    v.getOperatingSystem(), v.getArch());
            ok = true;
            return new DockerDaemon(engine, info, negotiated);
        } finally {
            if (!ok) {
                engine.close();
            }
        }
    }

    /** The API version to use with a daemon that speaks {@code min..max}, like the docker CLI negotiates. */
    static String negotiate(String daemonMax, String daemonMin, String host) {
        if (daemonMax == null || daemonMax.isBlank()) {
            return "1.24"; // daemons before API 1.24 do not report it; docker-java needs at least that
        }
        String use = compare(daemonMax, CLIENT_MAX_API) < 0 ? daemonMax : CLIENT_MAX_API;
        if (daemonMin != null && !daemonMin.isBlank() && compare(use, daemonMin) < 0) {
            throw Devk8sException.precondition("the Docker daemon at " + host + " accepts API " + daemonMin
                    + " or newer, devk8s speaks up to " + CLIENT_MAX_API + "; update devk8s");
        }
        return use;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? parse(x[i]) : 0;
            int yi = i < y.length ? parse(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public Info info() {
        return info;
    }

    public DockerEngine.Settings settings() {
        return engine.settings();
    }

    /** What to build: tags ({@code name:tag}), build arguments, target stage and labels. */
    public record BuildRequest(List<String> tags, Map<String, String> buildArgs, String target,
                               Map<String, String> labels) {
        public BuildRequest {
            tags = List.copyOf(tags);
            buildArgs = Map.copyOf(buildArgs);
            labels = Map.copyOf(labels);
            target = target == null ? "" : target;
        }
    }

    /**
     * Builds with the daemon's API builder from the context streamed as a tar (a writer thread, never a temp
     * file). A Dockerfile that ends with instructions that only set configuration ({@link DockerfileTail}) is built
     * up to them, and they and the labels are applied in one commit of a container of that image. Each line of
     * build output goes to {@code output}. A failing step fails (exit 1) with the daemon's message; returns the
     * image id.
     */
    public String build(BuildContext context, BuildRequest request, Consumer<String> output) {
        // trailing metadata instructions and the labels in one commit after the rest is built, when that is exact
        Optional<String> text = context.dockerfileText();
        Optional<DockerfileTail> tail = text.flatMap(t -> DockerfileTail.of(t, request.target()));
        Optional<String> labelLine = DockerfileLabels.line(request.labels());
        if (tail.isPresent() && (request.labels().isEmpty() || labelLine.isPresent())) {
            String headId = build(context.withDockerfileText(tail.get().head()), new BuildRequest(List.of(),
                    request.buildArgs(), request.target(), Map.of()), false, request.tags(), output);
            Optional<String> committed = commitTail(headId, tail.get(), labelLine, request, output);
            if (committed.isPresent()) {
                return committed.get();
            }
        }
        // else the labels as one LABEL line of the Dockerfile when that is exact: one step instead of one per label
        Optional<String> labelled = request.labels().isEmpty() ? Optional.empty() : text
                .flatMap(t -> DockerfileLabels.append(t, request.labels(), request.target()));
        return build(labelled.map(context::withDockerfileText).orElse(context), request, labelled.isEmpty(),
                request.tags(), output);
    }

    /**
     * One build through the API; {@code apiLabels}: the request's labels go as the API's labels parameter;
     * {@code named}: the image's tags, for messages.
     */
    private String build(BuildContext sent, BuildRequest request, boolean apiLabels, List<String> named,
            Consumer<String> output) {
        AtomicReference<String> imageId = new AtomicReference<>();
        AtomicReference<String> error = new AtomicReference<>();
        StringBuilder partial = new StringBuilder();
        try (TarStream tar = sent.openTarStream()) {
            BuildImageCmd cmd = client.buildImageCmd()
                    .withTarInputStream(tar)
                    .withDockerfilePath(sent.dockerfile())
                    .withPull(false)
                    .withRemove(true);
            if (apiLabels && !request.labels().isEmpty()) {
                cmd.withLabels(request.labels());
            }
            if (!request.tags().isEmpty()) {
                cmd.withTags(new java.util.LinkedHashSet<>(request.tags()));
            }
            request.buildArgs().forEach(cmd::withBuildArg);
            if (!request.target().isEmpty()) {
                cmd.withTarget(request.target());
            }
            ResultCallback.Adapter<BuildResponseItem> callback = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(BuildResponseItem item) {
                    if (item.getStream() != null) {
                        partial.append(item.getStream());
                        int nl;
                        while ((nl = partial.indexOf("\n")) >= 0) {
                            output.accept(partial.substring(0, nl));
                            partial.delete(0, nl + 1);
                        }
                    }
                    if (item.isErrorIndicated()) {
                        String msg = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                                ? item.getErrorDetail().getMessage() : item.getError();
                        error.compareAndSet(null, msg);
                    }
                    if (item.isBuildSuccessIndicated() && item.getImageId() != null) {
                        imageId.set(item.getImageId());
                    }
                }
            };
            try {
                engine.call("build an image with", () -> {
                    try {
                        return cmd.exec(callback).awaitCompletion();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw Devk8sException.failure("interrupted while building " + named);
                    }
                });
            } catch (Devk8sException e) {
                tar.rethrow(); // a context that could not be written explains the failure best
                if (error.get() == null) {
                    throw e;
                }
            }
            tar.rethrow();
        } catch (IOException e) {
            throw Devk8sException.failure("could not send the build context: " + e.getMessage(), e);
        }
        if (partial.length() > 0) {
            output.accept(partial.toString());
        }
        if (error.get() != null) {
            throw new Devk8sException(ExitCode.FAILURE, "docker build" + (named.isEmpty() ? ""
                    : " of " + String.join(", ", named)) + " failed: "
                    + error.get().strip().replaceAll("\\s*\\R\\s*", " "));
        }
        String id = imageId.get();
        if (id == null) {
            throw Devk8sException.failure("the Docker daemon at " + settings().host() + " ended the build of "
                    + String.join(", ", named) + " without an image id; run again with --verbose");
        }
        return id;
    }

    /**
     * The image {@code headId} with the trailing metadata instructions of {@code tail} and the request's labels
     * applied in one commit of a container of it (created, never started, removed afterwards), tagged as the
     * request says; the daemon applies the instructions with its builder's own code, onto the head image's
     * configuration as it stands. Empty (nothing committed) when the image would end with neither a command nor an
     * entrypoint: a container needs one to be created, and the commit would keep it.
     */
    private Optional<String> commitTail(String headId, DockerfileTail tail, Optional<String> labelLine,
            BuildRequest request, Consumer<String> output) {
        JsonNode config = api("GET", "/images/" + headId + "/json", null,
                "could not read the image " + headId + " built from the head of the Dockerfile").path("Config");
        // what the builder would leave: ENTRYPOINT clears an inherited CMD unless a CMD of the stage came first
        boolean entrypoint = !config.path("Entrypoint").isEmpty();
        boolean cmd = !config.path("Cmd").isEmpty();
        boolean cmdSet = false;
        for (String instruction : tail.instructions()) {
            String[] words = instruction.strip().split("\\s+", 2);
            String argument = words.length > 1 ? words[1].replace(" ", "") : "";
            boolean empty = argument.isEmpty() || argument.equals("[]") || argument.equals("\"\"");
            if (words[0].equalsIgnoreCase("CMD")) {
                cmd = !empty;
                cmdSet = true;
            } else if (words[0].equalsIgnoreCase("ENTRYPOINT")) {
                entrypoint = !empty;
                cmd = cmd && cmdSet;
            }
        }
        if (!(entrypoint || cmd) || !config.isObject()) {
            return Optional.empty();
        }
        List<String> changes = new ArrayList<>(tail.instructions());
        labelLine.filter(l -> !l.isEmpty()).ifPresent(changes::add);
        String what = String.join("; ", changes);
        int step = tail.headInstructions() + 1;
        output.accept("Step " + step + "/" + step + " : " + what);
        String container = engine.call("create a container in", () -> client.createContainerCmd(headId)
                .withCmd("/bin/sh", "-c", "#(nop) " + what).exec()).getId();
        try {
            String first = request.tags().isEmpty() ? null : request.tags().get(0);
            StringBuilder query = new StringBuilder("/commit?container=").append(container)
                    .append("&pause=false&comment=").append(encode("devk8s: " + what));
            if (first != null) {
                int colon = first.lastIndexOf(':');
                boolean tagged = colon > first.lastIndexOf('/');
                query.append("&repo=").append(encode(tagged ? first.substring(0, colon) : first));
                if (tagged) {
                    query.append("&tag=").append(encode(first.substring(colon + 1)));
                }
            }
            for (String change : changes) {
                query.append("&changes=").append(encode(change));
            }
            byte[] body = config.toString().getBytes(StandardCharsets.UTF_8); // JsonNode writes JSON as it is
            String id = api("POST", query.toString(), body, "docker build" + (request.tags().isEmpty() ? ""
                    : " of " + String.join(", ", request.tags())) + " failed").path("Id").asText("");
            if (id.isEmpty()) {
                throw Devk8sException.failure("the Docker daemon at " + settings().host() + " committed no image for "
                        + String.join(", ", request.tags()) + "; run again with --verbose");
            }
            for (String more : request.tags().subList(Math.min(1, request.tags().size()), request.tags().size())) {
                int colon = more.lastIndexOf(':');
                boolean tagged = colon > more.lastIndexOf('/');
                String repo = tagged ? more.substring(0, colon) : more;
                String tag = tagged ? more.substring(colon + 1) : "latest";
                engine.call("tag an image in", () -> {
                    client.tagImageCmd(id, repo, tag).withForce(true).exec();
                    return null;
                });
            }
            output.accept("Successfully built " + shortId(id));
            request.tags().forEach(t -> output.accept("Successfully tagged " + t));
            return Optional.of(id);
        } finally {
            try {
                client.removeContainerCmd(container).withForce(true).exec();
            } catch (RuntimeException e) {
                output.accept("note: could not remove the build container " + container + ": " + e.getMessage());
            }
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /**
     * One call of the engine's API that docker-java does not offer (a commit with {@code changes}, an image's
     * configuration as the engine wrote it), at the negotiated version; the answer's JSON, or a one-line failure
     * ({@code failure}: the engine's message) when the engine refuses.
     */
    private JsonNode api(String method, String pathAndQuery, byte[] body,
            String failure) {
        var http = ((DockerClientImpl) client).getHttpClient();
        var request = DockerHttpClient.Request.builder()
                .method(method).path("/v" + info.apiVersion() + pathAndQuery);
        if (body != null) {
            request.putHeader("Content-Type", "application/json").bodyBytes(body);
        }
        return engine.call(method.equals("GET") ? "read from" : "commit an image in", () -> {
            try (var response = http.execute(request.build())) {
                byte[] bytes = response.getBody() == null ? new byte[0] : response.getBody().readAllBytes();
                JsonNode tree = bytes.length == 0 ? JsonNodeFactory.instance.objectNode() : JsonTrees.readJson(bytes);
                if (response.getStatusCode() >= 300) {
                    throw new Devk8sException(ExitCode.FAILURE, failure + ": "
                            + tree.path("message").asText("HTTP " + response.getStatusCode()).strip()
                            .replaceAll("\\s*\\R\\s*", " "));
                }
                return tree;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The newest image carrying {@code label=value}, if the daemon has one. */
    public Optional<Image> findImageByLabel(String label, String value) {
        List<Image> images = engine.call("list the images of",
                () -> client.listImagesCmd().withLabelFilter(Map.of(label, value)).exec());
        return images.stream().max(Comparator.comparing(i -> i.getCreated() == null ? 0L : i.getCreated()));
    }

    /** The image built from these inputs ({@value #INPUT_DIGEST_LABEL}), if the daemon still has it. */
    public Optional<Image> findByInputDigest(String digest) {
        return findImageByLabel(INPUT_DIGEST_LABEL, digest);
    }

    /**
     * The images devk8s built in this daemon (those carrying {@value #INPUT_DIGEST_LABEL}) with their labels, as
     * listed now. The daemon reads every image it holds for any label filter, so one listing answers all of a
     * deploy's questions about them, where asking per label costs that walk each time.
     */
    public BuiltImages builtImages() {
        return new BuiltImages(engine.call("list the images of",
                () -> client.listImagesCmd().withLabelFilter(INPUT_DIGEST_LABEL).exec()));
    }

    /** Images devk8s built, as {@link #builtImages} listed them. */
    public static final class BuiltImages {
        private final List<Image> images;

        BuiltImages(List<Image> images) {
            this.images = List.copyOf(images);
        }

        /** The id of the newest of these images that carries {@code label=value}. */
        public Optional<String> newestId(String label, String value) {
            return images.stream()
                    .filter(i -> i.getLabels() != null && value.equals(i.getLabels().get(label)))
                    .max(Comparator.comparing(i -> i.getCreated() == null ? 0L : i.getCreated()))
                    .map(Image::getId);
        }
    }

    /** The id of the newest image carrying {@code label=value}, if the daemon has one. */
    public Optional<String> findIdByLabel(String label, String value) {
        return findImageByLabel(label, value).map(Image::getId);
    }

    /** Tags an image as {@code name:tag} (a new name for the same image; nothing is built). */
    public void tag(String imageId, String reference) {
        int colon = reference.lastIndexOf(':');
        String repo = colon > reference.lastIndexOf('/') && colon > 0 ? reference.substring(0, colon) : reference;
        String tag = colon > reference.lastIndexOf('/') && colon > 0 ? reference.substring(colon + 1) : "latest";
        engine.call("tag an image on", () -> {
            client.tagImageCmd(imageId, repo, tag).withForce(true).exec();
            return null;
        });
    }

    /** The labels of an image, or empty when the daemon has no such image. */
    public Optional<Map<String, String>> labels(String image) {
        try {
            var inspect = engine.call("inspect an image on", () -> client.inspectImageCmd(image).exec());
            var cfg = inspect.getConfig();
            Map<String, String> labels = cfg == null || cfg.getLabels() == null ? Map.of() : cfg.getLabels();
            return Optional.of(labels);
        } catch (Devk8sException e) {
            if (e.getCause() instanceof NotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Whether the daemon keeps its images in containerd's image store (Docker Desktop's default, an option of
     * Docker Engine 24+): {@code /info} reports {@code driver-type io.containerd.snapshotter.v1} in its driver
     * status. Such a daemon's {@code docker save} archives are not what {@code ctr import} in a kind node expects.
     */
    public boolean usesContainerdImageStore() {
        var info = engine.call("ask for the storage driver of", () -> client.infoCmd().exec());
        List<List<String>> statuses = info.getDriverStatuses();
        if (statuses != null) {
            for (List<String> kv : statuses) {
                if (kv.size() == 2 && "driver-type".equals(kv.get(0))
                        && kv.get(1).startsWith("io.containerd.snapshotter")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The image's id ({@code sha256:...}), or empty when the daemon has no image of that name. */
    public Optional<String> imageId(String image) {
        try {
            return Optional.ofNullable(engine.call("inspect an image on", () -> client.inspectImageCmd(image).exec())
                    .getId());
        } catch (Devk8sException e) {
            if (e.getCause() instanceof NotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Writes {@code docker save IMAGE} to {@code archive} (a tar of the image, as {@code docker load} reads it). */
    public void save(String image, java.nio.file.Path archive) {
        engine.call("save an image from", () -> {
            try (java.io.InputStream in = client.saveImageCmd(image).exec()) {
                java.nio.file.Files.copy(in, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return null;
            } catch (IOException e) {
                throw Devk8sException.failure("could not write the image " + image + " to " + archive + ": "
                        + e.getMessage(), e);
            }
        });
    }

    /** Credentials for a push: user and password, or an identity token; {@link #NONE} for an anonymous push. */
    public record RegistryAuth(String registry, String username, String password, String identityToken) {
        public static final RegistryAuth NONE = new RegistryAuth("", null, null, null);

        public boolean isAnonymous() {
            return username == null && identityToken == null;
        }
    }

    /**
     * Pushes {@code name:tag} to its registry and returns the manifest digest the registry answered
     * ({@code sha256:...}). Progress lines (bytes pushed of all layers) go to {@code progress}. A refusal fails
     * with the daemon's message, which the caller turns into a fix (exit 1).
     */
    public String push(String image, RegistryAuth auth, Consumer<String> progress) {
        int colon = image.lastIndexOf(':');
        boolean hasTag = colon > image.lastIndexOf('/');
        String name = hasTag ? image.substring(0, colon) : image;
        String tag = hasTag ? image.substring(colon + 1) : "latest";
        AtomicReference<String> digest = new AtomicReference<>();
        AtomicReference<String> error = new AtomicReference<>();
        Map<String, long[]> layers = new java.util.concurrent.ConcurrentHashMap<>();
        var cmd = client.pushImageCmd(name).withTag(tag);
        com.github.dockerjava.api.model.AuthConfig config = new com.github.dockerjava.api.model.AuthConfig()
                .withRegistryAddress(auth.registry());
        if (auth.username() != null) {
            config.withUsername(auth.username()).withPassword(auth.password());
        }
        if (auth.identityToken() != null) {
            config.withIdentityToken(auth.identityToken());
        }
        cmd.withAuthConfig(config);
        ResultCallback.Adapter<com.github.dockerjava.api.model.PushResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.PushResponseItem item) {
                if (item.isErrorIndicated()) {
                    String msg = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                            ? item.getErrorDetail().getMessage() : item.getError();
                    error.compareAndSet(null, msg);
                    return;
                }
                if (item.getAux() != null && item.getAux().getDigest() != null) {
                    digest.set(item.getAux().getDigest());
                }
                if (item.getId() != null && item.getProgressDetail() != null
                        && item.getProgressDetail().getTotal() != null && item.getProgressDetail().getTotal() > 0) {
                    layers.put(item.getId(), new long[] {item.getProgressDetail().getCurrent() == null ? 0
                            : item.getProgressDetail().getCurrent(), item.getProgressDetail().getTotal()});
                    long done = layers.values().stream().mapToLong(l -> l[0]).sum();
                    long total = layers.values().stream().mapToLong(l -> l[1]).sum();
                    progress.accept("pushing " + layers.size() + " layer(s): " + mb(done) + " of " + mb(total));
                } else if (item.getStatus() != null && item.getId() != null) {
                    progress.accept(item.getId() + ": " + item.getStatus());
                }
            }
        };
        try {
            engine.call("push an image with", () -> {
                try {
                    return cmd.exec(callback).awaitCompletion();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw Devk8sException.failure("interrupted while pushing " + image);
                }
            });
        } catch (Devk8sException e) {
            if (error.get() == null) {
                error.set(e.getMessage());
            }
        }
        if (error.get() != null) {
            throw new PushException(image, error.get().strip().replaceAll("\\s*\\R\\s*", " "));
        }
        if (digest.get() == null) {
            throw Devk8sException.failure("the Docker daemon at " + settings().host() + " pushed " + image
                    + " without reporting its digest; run again with --verbose");
        }
        return digest.get();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    /** A push the daemon or the registry refused; {@link #detail()} is their message. */
    public static final class PushException extends Devk8sException {
        private final String detail;

        PushException(String image, String detail) {
            super(ExitCode.FAILURE, "push of " + image + " failed: " + detail);
            this.detail = detail;
        }

        public String detail() {
            return detail;
        }

        /** Whether the registry refused the credentials (or asked for some). */
        public boolean isAuthFailure() {
            String d = detail.toLowerCase(Locale.ROOT);
            return d.contains("unauthorized") || d.contains("authentication required") || d.contains("no basic auth")
                    || d.contains("denied") || d.contains("401");
        }
    }

    /**
     * For the start-up archive's training run ({@code install.sh}): loads the classes a deploy uses to talk to the
     * daemon (the client, its commands, the JSON of its answers, the tar writer) without a daemon or the network.
     */
    public static void trainingRun() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("tcp://127.0.0.1:1").withDockerTlsVerify(false)
                .withApiVersion(RemoteApiVersion.parseConfig(CLIENT_MAX_API)).build();
        com.github.dockerjava.httpclient5.ApacheDockerHttpClient http =
                new com.github.dockerjava.httpclient5.ApacheDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost()).connectionTimeout(java.time.Duration.ofSeconds(1)).build();
        try (DockerClient client = DockerClientImpl.getInstance(config, http)) {
            client.versionCmd();
            client.listImagesCmd().withLabelFilter(Map.of(INPUT_DIGEST_LABEL, "0"));
            client.inspectImageCmd("training");
            client.tagImageCmd("training", "training", "training").withForce(true);
            client.buildImageCmd().withPull(false).withRemove(true).withLabels(Map.of("a", "b")).withBuildArg("A", "b");
            var json = config.getObjectMapper();
            json.readValue("{\"Version\":\"27.0.0\",\"ApiVersion\":\"1.46\",\"MinAPIVersion\":\"1.24\","
                    + "\"Os\":\"linux\",\"Arch\":\"amd64\"}", Version.class);
            json.readValue("[{\"Id\":\"sha256:0\",\"Created\":1,\"Labels\":{\"a\":\"b\"}}]", Image[].class);
            json.readValue("{\"stream\":\"Step 1/1 : FROM scratch\\n\"}", BuildResponseItem.class);
            json.readValue("{\"Id\":\"sha256:0\",\"Config\":{\"Labels\":{\"a\":\"b\"}}}",
                    com.github.dockerjava.api.command.InspectImageResponse.class);
            try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                    java.io.OutputStream.nullOutputStream(), "UTF-8")) {
                tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("Dockerfile");
                byte[] text = "FROM scratch\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                entry.setSize(text.length);
                tar.putArchiveEntry(entry);
                tar.write(text);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        BuildKitFeatures.needs("FROM scratch\nCOPY a /a\n");
        DockerfileLabels.append("FROM scratch\n", Map.of(INPUT_DIGEST_LABEL, "0"), "");
    }

    /** The docker-java client with the negotiated API version, for this package's tests and callers. */
    DockerClient client() {
        return client;
    }

    @Override
    public void close() {
        engine.close();
    }
}
