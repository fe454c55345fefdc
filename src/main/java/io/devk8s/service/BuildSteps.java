package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.adapter.docker.BuildContext;
import io.devk8s.adapter.docker.DockerCli;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.template.EnvSubst;
import io.devk8s.config.AppConfig;
import io.devk8s.config.BuildCommand;
import io.devk8s.config.ProjectFile;
import io.devk8s.console.Console;
import io.devk8s.service.build.BuildLog;
import io.devk8s.service.build.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The build steps {@code deploy} and {@code shell} share: an app's variables ({@code VERSION}, {@code DATE},
 * {@code TARGETOS}, ...), its host build command with the skip on unchanged {@code inputs}, and an image build in the
 * daemon skipped when an image with the same input digest exists.
 *
 * <p>The skip rule: the build command runs unless an image labelled with the digest of its inputs
 * ({@value #BUILD_INPUTS_LABEL}) exists and is the very image whose input digest ({@code devk8s.io/input-digest})
 * the files on disk still match, i.e. the command's output on disk is what that image was built from.
 */
public final class BuildSteps {
    /** The image label carrying the digest of the build commands' {@code inputs}. */
    public static final String BUILD_INPUTS_LABEL = "devk8s.io/build-inputs";

    /**
     * The variables and build arguments of one app.
     *
     * @param vars           {@code APP}, {@code NAME}, {@code PROJECT}, {@code NAMESPACE}, {@code DOMAIN},
     *                       {@code DATE}, {@code TARGETOS}, {@code TARGETARCH}, {@code VERSION}, {@code IMAGE}
     * @param buildArgs      the file's {@code buildArgs} ({@code ${VAR}} expanded), then the command line's
     * @param context        the image's build context as it is now; null when nothing is built
     * @param digest         the input digest of that context (of the app's name when nothing is built), hashed
     *                       when first asked for ({@link #contextDigest})
     * @param buildInputs    the digest of the build command's inputs, when the app has a build command
     * @param image          {@code name:tag}
     */
    public record AppBuild(AppConfig app, Map<String, String> vars, Map<String, String> buildArgs,
            BuildContext context, Supplier<String> digest, Optional<String> buildInputs, String image) {
        /** The input digest of the context as it is now (hashed on the first call). */
        public String contextDigest() {
            return digest.get();
        }
    }

    /** What a build is assumed to target when no daemon can be asked: linux on this machine's architecture. */
    public static final DockerDaemon.Info HOST_PLATFORM = new DockerDaemon.Info("", "", "", "", "linux",
            System.getProperty("os.arch"));

    /**
     * A build through the {@code docker} CLI instead of the daemon's API builder, for a Dockerfile that needs
     * BuildKit: the CLI, the context folder, the Dockerfile (relative to it) and why BuildKit is needed.
     */
    public record CliBuild(DockerCli cli, Path docker, Path contextDir, String dockerfile, String why) {
    }

    /** Whether a build command must run, and the image that makes an image build unnecessary. */
    public record Skip(Optional<String> existing, boolean runCommand) {
    }

    private final Console console;
    private final Environment environment;
    private final ProcessRunner processes;
    private final Versions versions;
    /** Started by {@link #readAhead}, taken by {@link #prepare}: an app's build context and build-inputs digest. */
    private final Map<AppConfig, CompletableFuture<BuildContext>> contextsAhead =
            new ConcurrentHashMap<>();
    private final Map<AppConfig, CompletableFuture<String>> inputsAhead =
            new ConcurrentHashMap<>();

    public BuildSteps(Console console, Environment environment, ProcessRunner processes, Versions versions) {
        this.console = console;
        this.environment = environment;
        this.processes = processes;
        this.versions = versions;
    }

    /**
     * Starts reading what {@link #prepare} of this app with the same {@code build} and {@code tag} will need and
     * that no daemon decides, on background threads: the build context's listing and the hash of its files, the
     * digest of the build command's inputs, and git's answers for the version. {@code prepare} then takes them,
     * failures included, at the points where it would have computed them, so its checks and their order stay as
     * they are.
     */
    public void readAhead(AppConfig app, boolean build, Optional<String> tag) {
        if (scansContext(app, build, tag)) {
            // hashed ahead unless a build command's output lands in it: when the command runs (its inputs changed),
            // the context is hashed after it, and hashing it before as well only takes CPU from the checks
            boolean hash = app.build().isEmpty();
            contextsAhead.computeIfAbsent(app, a -> Background.start("devk8s-build-context-scan", () -> {
                BuildContext scanned = BuildContext.scan(a.context(), a.dockerfile());
                return hash ? scanned.hashAhead() : scanned;
            }));
        }
        app.build().ifPresent(b -> inputsAhead.computeIfAbsent(app, a -> Background.start("devk8s-build-inputs",
                () -> inputsDigest(b))));
        if (tag.isEmpty()) {
            versions.askAhead(app.context());
        }
    }

    /**
     * Whether {@link #prepare} lists the app's context: for a build, and without one when the version comes from it
     * (no tag given and no build command) and there is a Dockerfile.
     */
    private static boolean scansContext(AppConfig app, boolean build, Optional<String> tag) {
        return build || (tag.isEmpty() && app.build().isEmpty()
                && Files.isRegularFile(app.context().resolve(app.dockerfile())));
    }

    /**
     * The app's variables, build arguments and image name as {@code deploy} computes them. With {@code build},
     * its context is scanned now (the Dockerfile must exist) and the command's words and env are substituted, so an
     * undefined {@code ${VAR}} stops here. {@code daemon} may be null (no daemon to ask): {@link #HOST_PLATFORM}
     * then gives {@code TARGETOS}/{@code TARGETARCH}.
     */
    public AppBuild prepare(ProjectFile project, AppConfig app, String namespace, String domain, String date,
            DockerDaemon.Info daemon, boolean build, Optional<String> tag, Map<String, String> buildArgFlags) {
        Map<String, String> base = new LinkedHashMap<>();
        base.put("APP", app.name());
        base.put("NAME", app.name());
        base.put("PROJECT", project.project());
        base.put("NAMESPACE", namespace);
        base.put("DOMAIN", domain);
        base.put("DATE", date);
        DockerDaemon.Info platform = daemon == null ? HOST_PLATFORM : daemon;
        base.put("TARGETOS", platform.targetOs());
        base.put("TARGETARCH", platform.targetArch());
        EnvSubst baseSubst = subst(base, app);

        // build arguments: the file's, ${VAR} expanded, then --build-arg
        Map<String, String> buildArgs = new TreeMap<>();
        app.buildArgs().forEach((k, v) -> buildArgs.put(k, baseSubst.apply(app.location() + " buildArgs." + k, v)));
        buildArgs.putAll(buildArgFlags);

        Path dockerfile = app.context().resolve(app.dockerfile());
        if (build && !Files.isRegularFile(dockerfile)) {
            throw Devk8sException.usage(app.location() + ": app " + app.name() + ": no Dockerfile at " + dockerfile
                    + "; set dockerfile: (relative to context:) or use --no-build");
        }
        CompletableFuture<String> inputsRead = inputsAhead.remove(app);
        Optional<String> buildInputs = app.build().map(b -> inputsRead != null ? Background.join(inputsRead)
                : inputsDigest(b));
        // the context is listed for a build, and without one when the version comes from it (no tag given and no
        // build command): the same VERSION a build would have given, without building
        boolean scan = scansContext(app, build, tag);
        CompletableFuture<BuildContext> scanned = contextsAhead.remove(app);
        BuildContext context = !scan ? null : scanned != null ? Background.join(scanned)
                : BuildContext.scan(app.context(), app.dockerfile());
        BuildContext listed = context;
        Supplier<String> contextDigest = once(() -> listed == null ? sha256(app.name())
                : listed.inputDigest(buildArgs, app.target()));
        if (!build) {
            context = null;
        }

        // the version: from the command's inputs when there is a build command (its output is in the context and
        // changes with DATE), else from the context
        String versionDigest = buildInputs.map(i -> sha256(i + "\0" + dockerfileText(dockerfile) + "\0" + buildArgs
                + "\0" + app.target())).orElseGet(contextDigest);
        String version = tag.orElseGet(() -> versions.version(app.context(), versionDigest));
        String image = app.repository() + ":" + app.tag().orElse(version);
        Map<String, String> vars = new LinkedHashMap<>(base);
        vars.put("VERSION", version);
        vars.put("IMAGE", image);
        return new AppBuild(app, vars, buildArgs, context, contextDigest, buildInputs, image);
    }

    /**
     * Whether the build command must run: unless an image labelled with {@code buildInputs} exists and is the image
     * built from {@code contextDigest}. {@code existing} is that image when nothing has to run.
     */
    public Skip skip(DockerDaemon daemon, Optional<String> contextDigest, Optional<String> buildInputs) {
        return skip(daemon == null ? null : daemon.builtImages(), contextDigest, buildInputs);
    }

    /** As above, from the images a daemon listed ({@link DockerDaemon#builtImages}); null: no daemon to ask. */
    public Skip skip(DockerDaemon.BuiltImages images, Optional<String> contextDigest, Optional<String> buildInputs) {
        return skip(images, () -> contextDigest, buildInputs);
    }

    /**
     * As above, asking for the context's digest only when it decides: not when no image was built from the
     * command's inputs (the command runs, and the context is hashed after it).
     */
    public Skip skip(DockerDaemon.BuiltImages images, Supplier<Optional<String>> contextDigest,
            Optional<String> buildInputs) {
        if (images == null) { // nothing to ask (a dry run without a daemon): what a build would run
            return new Skip(Optional.empty(), buildInputs.isPresent());
        }
        Optional<String> fromInputs = buildInputs.flatMap(i -> images.newestId(BUILD_INPUTS_LABEL, i));
        if (buildInputs.isPresent() && fromInputs.isEmpty()) {
            return new Skip(Optional.empty(), true);
        }
        Optional<String> existing = contextDigest.get()
                .flatMap(d -> images.newestId(DockerDaemon.INPUT_DIGEST_LABEL, d));
        boolean runCommand = buildInputs.isPresent() && (existing.isEmpty() || !fromInputs.equals(existing));
        return new Skip(runCommand ? Optional.empty() : existing, runCommand);
    }

    /** {@code supplier}'s value, computed on the first call only. */
    private static <T> Supplier<T> once(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;
            private boolean done;

            @Override
            public synchronized T get() {
                if (!done) {
                    value = supplier.get();
                    done = true;
                }
                return value;
            }
        };
    }

    /** {@code ${VAR}}: devk8s's variables, then the app's {@code env:}, then the environment. */
    public EnvSubst subst(Map<String, String> vars, AppConfig app) {
        return new EnvSubst(name -> Optional.ofNullable(vars.get(name))
                .or(() -> Optional.ofNullable(app.env().get(name)))
                .or(() -> environment.get(name)));
    }

    /** The build command's {@code env:}, substituted (an undefined {@code ${VAR}} is an error naming the key). */
    public Map<String, String> commandEnv(AppConfig app, Map<String, String> vars) {
        BuildCommand b = app.build().orElseThrow();
        EnvSubst s = subst(vars, app);
        Map<String, String> env = new TreeMap<>();
        b.env().forEach((k, v) -> env.put(k, s.apply(app.location() + " build.env." + k, v)));
        return env;
    }

    /** Runs the app's build command in its dir with the variables and its env; fails (exit 1) when it fails. */
    public void runCommand(AppConfig app, Map<String, String> vars) {
        BuildCommand b = app.build().orElseThrow();
        Map<String, String> env = commandEnv(app, vars);
        Path sh = processes.which("sh").orElseThrow(() -> Devk8sException.precondition(
                "no sh on PATH to run the build command of " + app.name()));
        ProcessRunner.Invocation inv = ProcessRunner.Invocation.of(sh, "-c", b.command())
                .withWorkDir(b.dir()).withTimeout(Duration.ofMinutes(30));
        for (var e : vars.entrySet()) {
            inv = inv.withEnv(e.getKey(), e.getValue());
        }
        for (var e : env.entrySet()) {
            inv = inv.withEnv(e.getKey(), e.getValue());
        }
        console.info(app.name() + ": " + b.command());
        ProcessRunner.Result result = processes.stream(inv, line -> console.debug("  " + line));
        if (!result.ok()) {
            if (!console.isVerbose()) {
                result.output().lines().skip(Math.max(0, result.output().lines().count() - 20))
                        .forEach(l -> console.info("  " + l));
            }
            throw Devk8sException.failure("the build command of " + app.name() + " (" + app.location()
                    + ") failed with exit code " + result.exitCode() + ": " + b.command());
        }
    }

    /**
     * The image {@code image} from {@code context}: when {@code existing} (an image with the same input digest) is
     * there, nothing is built ({@code image} is tagged onto it when it names another image); else it is built with
     * {@code labels} plus the input digest. {@code what} prefixes every message. True when an image was built or
     * tagged.
     */
    public boolean image(DockerDaemon daemon, String what, String image, BuildContext context, String contextDigest,
            Optional<String> existing, Map<String, String> buildArgs, String target, Map<String, String> labels) {
        return image(daemon, what, image, context, contextDigest, existing, buildArgs, target, labels,
                Optional.empty());
    }

    /**
     * As above; with {@code cli}, the image is built by the docker CLI on the same daemon (BuildKit). On a terminal
     * the build shows as one updating line (the step it runs); with {@code --verbose} or off a terminal its whole
     * output; a failing step is shown with the last lines of its output.
     */
    public boolean image(DockerDaemon daemon, String what, String image, BuildContext context, String contextDigest,
            Optional<String> existing, Map<String, String> buildArgs, String target, Map<String, String> labels,
            Optional<CliBuild> cli) {
        if (existing.isPresent()) {
            Map<String, String> current = daemon.labels(image).orElse(Map.of());
            if (!contextDigest.equals(current.get(DockerDaemon.INPUT_DIGEST_LABEL))) {
                daemon.tag(existing.get(), image);
                console.info(what + ": image " + image + " unchanged (tagged)");
                return true;
            }
            console.info(what + ": image " + image + " unchanged");
            return false;
        }
        console.info(what + ": building " + image + " in " + daemon.settings().host()
                + cli.map(c -> " with the docker CLI (BuildKit: " + c.why() + ")").orElse("") + " ...");
        Map<String, String> all = new LinkedHashMap<>();
        all.put(DockerDaemon.INPUT_DIGEST_LABEL, contextDigest);
        all.putAll(labels);
        DockerDaemon.BuildRequest request = new DockerDaemon.BuildRequest(List.of(image), buildArgs, target, all);
        long start = System.nanoTime();
        BuildLog log = new BuildLog();
        // on a terminal one line shows the step that runs; with --verbose or off a terminal the whole output
        boolean full = console.isVerbose() || !console.isInteractive();
        try (Console.StatusLine status = console.statusLine()) {
            java.util.function.Consumer<String> output = line -> {
                log.accept(line).ifPresent(step -> status.update(what + ": building " + image + ": " + step));
                if (full) {
                    console.info("  " + line);
                }
            };
            try {
                if (cli.isPresent()) {
                    CliBuild c = cli.get();
                    c.cli().build(c.docker(), daemon.settings(), c.contextDir(), c.dockerfile(), request, output);
                } else {
                    daemon.build(context, request, output);
                }
            } catch (Devk8sException e) {
                status.close();
                if (!full) {
                    log.failureReport().forEach(l -> console.info("  " + l));
                }
                throw e;
            }
        }
        console.success(what + ": built " + image + " in " + UpService.format(Duration.ofNanos(System.nanoTime() - start)));
        return true;
    }

    /** SHA-256 over the files the command's {@code inputs} globs match under its dir (path and content), sorted. */
    public static String inputsDigest(BuildCommand b) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : b.inputs()) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            if (glob.startsWith("**/")) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
            }
        }
        MessageDigest md = sha();
        try (Stream<Path> walk = Files.walk(b.dir())) {
            List<Path> files = walk.filter(Files::isRegularFile)
                    .filter(f -> !b.dir().relativize(f).toString().startsWith(".git"))
                    .filter(f -> matchers.stream().anyMatch(m -> m.matches(b.dir().relativize(f))))
                    .sorted().toList();
            byte[] buffer = new byte[65536];
            for (Path f : files) {
                md.update(b.dir().relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                try (InputStream in = Files.newInputStream(f)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        md.update(buffer, 0, n);
                    }
                }
                md.update((byte) 0);
            }
        } catch (IOException e) {
            throw Devk8sException.failure("cannot read the build inputs under " + b.dir() + ": " + e.getMessage(), e);
        }
        b.inputs().forEach(g -> md.update(g.getBytes(StandardCharsets.UTF_8)));
        md.update(b.command().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    /** The Dockerfile's text, or empty when it cannot be read. */
    public static String dockerfileText(Path dockerfile) {
        try {
            return Files.isRegularFile(dockerfile) ? Files.readString(dockerfile) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(sha().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
