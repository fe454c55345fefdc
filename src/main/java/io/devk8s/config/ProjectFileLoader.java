package io.devk8s.config;

import io.devk8s.Suggestions;
import io.devk8s.Devk8sException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Finds and reads {@code devk8s.yaml} (schema: docs/devk8s-yaml.md). Every problem (unknown key, wrong type,
 * duplicate app, missing file or folder) is collected as one line starting with {@code file:line:column:} and
 * saying what is allowed; any problem fails the load with a {@link ProjectFileException}.
 *
 * <p>Why one long class: it is the schema of {@code devk8s.yaml} written out key by key, each check with the
 * line and column of the node it reads; splitting it would split the schema.
 */
public final class ProjectFileLoader {
    static final List<String> TOP_KEYS = List.of("project", "namespace", "apps", "shell", "registry",
            "allowContexts");
    static final List<String> APP_KEYS = List.of("name", "image", "context", "dockerfile", "buildArgs", "target",
            "build", "manifests", "kind", "port", "ingress", "env");
    static final List<String> BUILD_KEYS = List.of("command", "dir", "env", "inputs");
    static final List<String> SHELL_KEYS = List.of("name", "base", "packages", "tools", "image");
    static final List<String> TOOL_KEYS = List.of("app", "binary");

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern IMAGE = Pattern.compile(
            "[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*(:[A-Za-z0-9_${}][A-Za-z0-9_.${}-]{0,127})?");
    private static final Pattern IMAGE_REF = Pattern.compile(
            "[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
            + "(@sha256:[0-9a-f]{64})?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A package name as apk and apt-get take it, optionally with a version ({@code name=1.2}); no shell syntax. */
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9+._:=~/-]*");

    /**
     * The project file to use: {@code explicit} (from {@code -f PATH}, relative to {@code workDir}) when given,
     * else {@code devk8s.yaml} in {@code workDir} or its nearest parent.
     */
    public static Path locate(Path workDir, String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            Path p = workDir.resolve(explicit).toAbsolutePath().normalize();
            if (Files.isDirectory(p)) {
                p = p.resolve(ProjectFile.FILE_NAME);
            }
            if (!Files.isRegularFile(p)) {
                throw Devk8sException.usage("-f " + explicit + ": no such file (" + p + "); point -f at a "
                        + ProjectFile.FILE_NAME);
            }
            return p;
        }
        Path start = workDir.toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(ProjectFile.FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw Devk8sException.usage("no " + ProjectFile.FILE_NAME + " in " + start + " or any folder above it; run "
                + "devk8s from inside a project, or pass -f PATH");
    }

    /** Reads and checks the file. */
    public ProjectFile load(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw Devk8sException.usage("cannot read " + abs + ": " + e.getMessage());
        }
        return new Reader(abs, text).read();
    }

    /** One pass over one file, collecting problems. */
    private static final class Reader {
        private final Path file;
        private final Path dir;
        private final String text;
        private final List<String> problems = new ArrayList<>();

        Reader(Path file, String text) {
            this.file = file;
            this.dir = file.getParent();
            this.text = text;
        }

        ProjectFile read() {
            Optional<Node> root;
            try {
                root = new Compose(LoadSettings.builder().setLabel(file.toString())
                        .setSchema(new CoreSchema()).build()).composeString(text);
            } catch (MarkedYamlEngineException e) {
                Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
                throw new ProjectFileException(List.of((m == null ? file + ":1:1" : at(m)) + ": not valid YAML: "
                        + e.getProblem() + "; fix the syntax there"));
            } catch (YamlEngineException e) {
                throw new ProjectFileException(List.of(file + ":1:1: not valid YAML: " + oneLine(e.getMessage())));
            }
            if (root.isEmpty() || !(root.get() instanceof MappingNode top)) {
                problem(root.orElse(null), "expected a mapping with project: and apps: (see docs/devk8s-yaml.md)");
                throw new ProjectFileException(problems);
            }
            Map<String, NodeTuple> keys = keys(top, TOP_KEYS, "at the top level");
            String project = string(keys.get("project"), "project", true).orElse(null);
            if (project != null && (project.length() > 63 || !LABEL_VALUE.matcher(project).matches())) {
                problem(keys.get("project").getValueNode(), "project '" + project + "' must be a label value: up to "
                        + "63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
            }
            if (keys.get("project") == null) {
                problem(top, "missing project: (the appgroup label of every app), e.g. project: myproject");
            }
            Optional<String> namespace = string(keys.get("namespace"), "namespace", false);
            namespace.ifPresent(ns -> {
                if (ns.length() > 63 || !DNS_LABEL.matcher(ns).matches()) {
                    problem(keys.get("namespace").getValueNode(), "namespace '" + ns + "' must be a DNS label: lower-case "
                            + "letters, digits and '-', at most 63");
                }
            });
            List<AppConfig> apps = new ArrayList<>();
            NodeTuple appsTuple = keys.get("apps");
            if (appsTuple == null) {
                problem(top, "missing apps: (a list of apps, each with at least name:)");
            } else if (!(appsTuple.getValueNode() instanceof SequenceNode seq)) {
                problem(appsTuple.getValueNode(), "apps must be a list (- name: ...), not " + describe(appsTuple.getValueNode()));
            } else {
                if (seq.getValue().isEmpty()) {
                    problem(seq, "apps is empty: add at least one app (- name: myapp)");
                }
                Map<String, Node> seen = new HashMap<>();
                for (Node appNode : seq.getValue()) {
                    AppConfig app = app(appNode);
                    if (app == null) {
                        continue;
                    }
                    Node earlier = seen.putIfAbsent(app.name(), appNode);
                    if (earlier != null) {
                        problem(appNode, "duplicate app name '" + app.name() + "' (first at " + at(earlier)
                                + "); app names must be unique");
                    } else {
                        apps.add(app);
                    }
                }
            }
            ShellConfig shell = keys.get("shell") == null ? ShellConfig.defaults(file + ":1:1")
                    : shell(keys.get("shell"), apps);
            Optional<String> registry = string(keys.get("registry"), "registry", true);
            registry.ifPresent(r -> {
                if (!r.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*")) {
                    problem(keys.get("registry").getValueNode(), "registry '" + r + "' must be HOST[:PORT][/PATH] "
                            + "without a scheme, e.g. registry: localhost:5001");
                }
            });
            List<String> allowContexts = stringList(keys.get("allowContexts"), "allowContexts", "kube context names",
                    "[shared-dev, team-cluster]");
            if (!problems.isEmpty()) {
                throw new ProjectFileException(problems);
            }
            return new ProjectFile(file, project, namespace, apps, shell, registry, allowContexts);
        }

        /** {@code shell:}: the debug pod's name and its image; tools must name apps of this file. */
        private ShellConfig shell(NodeTuple tuple, List<AppConfig> apps) {
            String location = at(tuple.getKeyNode());
            if (!(tuple.getValueNode() instanceof MappingNode map)) {
                problem(tuple.getValueNode(), "shell must be a mapping (base:, packages:, tools:, ...), not "
                        + describe(tuple.getValueNode()));
                return ShellConfig.defaults(location);
            }
            Map<String, NodeTuple> keys = keys(map, SHELL_KEYS, "in shell");
            String name = string(keys.get("name"), "shell.name", true).orElse(ShellConfig.DEFAULT_NAME);
            if (keys.get("name") != null && (name.length() > 63 || !DNS_LABEL.matcher(name).matches())) {
                problem(keys.get("name").getValueNode(), "shell.name '" + name + "' must be a DNS label: lower-case "
                        + "letters, digits and '-', starting and ending with a letter or digit, at most 63");
            }
            String base = string(keys.get("base"), "shell.base", true).orElse(ShellConfig.DEFAULT_BASE);
            if (keys.get("base") != null && !IMAGE_REF.matcher(base).matches()) {
                problem(keys.get("base").getValueNode(), "shell.base '" + base + "' is not an image reference: write "
                        + "name, name:tag or registry/name:tag in lower case (e.g. alpine:3.20)");
            }
            Optional<String> image = string(keys.get("image"), "shell.image", true);
            if (image.isPresent() && (!IMAGE.matcher(image.get()).matches() || image.get().contains("$"))) {
                problem(keys.get("image").getValueNode(), "shell.image '" + image.get() + "' is not an image name: "
                        + "write name, registry/name or name:tag in lower case");
            }
            List<String> packages = ShellConfig.DEFAULT_PACKAGES;
            NodeTuple packagesTuple = keys.get("packages");
            if (packagesTuple != null) {
                packages = new ArrayList<>();
                if (!(packagesTuple.getValueNode() instanceof SequenceNode seq)) {
                    problem(packagesTuple.getValueNode(), "shell.packages must be a list of package names ([curl, "
                            + "tcpdump], or [] for none), not " + describe(packagesTuple.getValueNode()));
                } else {
                    for (Node item : seq.getValue()) {
                        if (!(item instanceof ScalarNode s) || !s.getTag().equals(Tag.STR)
                                || !PACKAGE.matcher(s.getValue()).matches()) {
                            problem(item, "shell.packages: " + describe(item) + " is not a package name (letters, "
                                    + "digits and + . _ : = ~ / -, e.g. curl or curl=8.9.1-r0)");
                            continue;
                        }
                        packages.add(s.getValue());
                    }
                }
            }
            List<ShellConfig.Tool> tools = new ArrayList<>();
            NodeTuple toolsTuple = keys.get("tools");
            if (toolsTuple != null) {
                if (!(toolsTuple.getValueNode() instanceof SequenceNode seq)) {
                    problem(toolsTuple.getValueNode(), "shell.tools must be a list of {app: NAME, binary: PATH}, not "
                            + describe(toolsTuple.getValueNode()));
                } else {
                    Map<String, Node> fileNames = new HashMap<>();
                    for (Node item : seq.getValue()) {
                        ShellConfig.Tool tool = tool(item, apps);
                        if (tool == null) {
                            continue;
                        }
                        Node earlier = fileNames.putIfAbsent(tool.fileName(), item);
                        if (earlier != null) {
                            problem(item, "shell.tools: a second binary named '" + tool.fileName() + "' (first at "
                                    + at(earlier) + "); each tool becomes /usr/local/bin/<file name>, so file names "
                                    + "must differ");
                            continue;
                        }
                        tools.add(tool);
                    }
                }
            }
            return new ShellConfig(name, base, packages, packagesTuple == null, tools, image, location);
        }

        private ShellConfig.Tool tool(Node node, List<AppConfig> apps) {
            if (!(node instanceof MappingNode map)) {
                problem(node, "a shell tool must be a mapping {app: NAME, binary: PATH}, not " + describe(node));
                return null;
            }
            Map<String, NodeTuple> keys = keys(map, TOOL_KEYS, "in a shell tool");
            Optional<String> app = string(keys.get("app"), "shell.tools.app", true);
            Optional<String> binary = string(keys.get("binary"), "shell.tools.binary", true);
            if (keys.get("app") == null) {
                problem(map, "shell tool without app: name the app whose build command makes the binary");
            }
            if (keys.get("binary") == null) {
                problem(map, "shell tool without binary: give the file the app's build command makes, relative to "
                        + ProjectFile.FILE_NAME + " (e.g. binary: bin/mycli)");
            }
            if (app.isPresent() && apps.stream().noneMatch(a -> a.name().equals(app.get()))) {
                List<String> names = apps.stream().map(AppConfig::name).toList();
                String hint = suggest(app.get(), names).map(s -> "did you mean '" + s + "'? ").orElse("");
                problem(keys.get("app").getValueNode(), "shell.tools: no app '" + app.get() + "' in this file; "
                        + hint + "apps: " + (names.isEmpty() ? "none" : String.join(", ", names)));
                return null;
            }
            if (binary.isPresent() && (binary.get().endsWith("/") || binary.get().endsWith("\\"))) {
                problem(keys.get("binary").getValueNode(), "shell.tools.binary '" + binary.get() + "' names a "
                        + "folder; name the file (e.g. bin/mycli)");
                return null;
            }
            if (app.isEmpty() || binary.isEmpty()) {
                return null;
            }
            return new ShellConfig.Tool(app.get(), dir.resolve(binary.get()).normalize(), at(map));
        }

        private AppConfig app(Node node) {
            if (!(node instanceof MappingNode map)) {
                problem(node, "an app must be a mapping with name: and more, not " + describe(node));
                return null;
            }
            int before = problems.size();
            Map<String, NodeTuple> keys = keys(map, APP_KEYS, "in an app");
            Optional<String> nameOpt = string(keys.get("name"), "name", true);
            if (keys.get("name") == null) {
                problem(map, "app without name: add name: myapp");
            }
            String name = nameOpt.orElse("?");
            if (nameOpt.isPresent() && (name.length() > 63 || !DNS_LABEL.matcher(name).matches())) {
                problem(keys.get("name").getValueNode(), "app name '" + name + "' must be a DNS label: lower-case "
                        + "letters, digits and '-', starting and ending with a letter or digit, at most 63");
            }
            String image = string(keys.get("image"), "image", true).orElse(name);
            if (keys.get("image") != null && !IMAGE.matcher(image).matches()) {
                problem(keys.get("image").getValueNode(), "image '" + image + "' is not an image name: write "
                        + "name, registry/name or name:tag in lower case");
            }
            Path context = path(keys.get("context"), "context").orElse(dir);
            if (!Files.isDirectory(context)) {
                problem(keys.get("context") != null ? keys.get("context").getValueNode() : map, "build context "
                        + context + " is not a folder; set context: to the folder the image is built from");
            }
            String dockerfile = string(keys.get("dockerfile"), "dockerfile", true).orElse("Dockerfile");
            if (Files.isDirectory(context) && !Files.isRegularFile(context.resolve(dockerfile))) {
                problem(keys.get("dockerfile") != null ? keys.get("dockerfile").getValueNode() : map, "no Dockerfile at "
                        + context.resolve(dockerfile).normalize() + "; dockerfile: is relative to the context ("
                        + context + ")");
            }
            Map<String, String> buildArgs = stringMap(keys.get("buildArgs"), "buildArgs");
            String target = string(keys.get("target"), "target", false).orElse("");
            Optional<BuildCommand> build = keys.get("build") == null ? Optional.empty() : build(keys.get("build"));
            List<String> manifestGlobs = stringList(keys.get("manifests"), "manifests");
            List<Path> manifests = new ArrayList<>();
            if (keys.get("manifests") != null && keys.get("manifests").getValueNode() instanceof SequenceNode seq) {
                for (int i = 0; i < manifestGlobs.size() && i < seq.getValue().size(); i++) {
                    List<Path> matched = glob(dir, manifestGlobs.get(i));
                    if (matched.isEmpty()) {
                        problem(seq.getValue().get(i), "manifests: '" + manifestGlobs.get(i) + "' matches no file in "
                                + dir + " (paths are relative to " + ProjectFile.FILE_NAME + ")");
                    }
                    for (Path m : matched) {
                        if (!manifests.contains(m)) {
                            manifests.add(m);
                        }
                    }
                }
            }
            AppKind kind = AppKind.HTTP;
            Optional<String> kindText = string(keys.get("kind"), "kind", true);
            if (kindText.isPresent()) {
                try {
                    kind = AppKind.valueOf(kindText.get().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problem(keys.get("kind").getValueNode(), "kind '" + kindText.get() + "' is not known; allowed: "
                            + "http, grpc");
                }
            }
            int port = 8080;
            NodeTuple portTuple = keys.get("port");
            if (portTuple != null) {
                Node v = portTuple.getValueNode();
                Integer p = null;
                if (v instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
                    try {
                        p = Integer.valueOf(s.getValue().replace("_", ""));
                    } catch (NumberFormatException ignored) {
                        // reported below
                    }
                }
                if (p == null || p < 1 || p > 65535) {
                    problem(v, "port must be a number from 1 to 65535, not " + describe(v));
                } else {
                    port = p;
                }
            }
            Optional<String> ingress = Optional.of(name);
            NodeTuple ingressTuple = keys.get("ingress");
            if (ingressTuple != null) {
                Node v = ingressTuple.getValueNode();
                if (v instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
                    if (s.getValue().equalsIgnoreCase("false")) {
                        ingress = Optional.empty();
                    } else {
                        problem(v, "ingress: true is not a host; write a host label (ingress: " + name
                                + ") or false for no Ingress");
                    }
                } else {
                    Optional<String> host = string(ingressTuple, "ingress", true);
                    if (host.isPresent() && (host.get().length() > 63 || !DNS_LABEL.matcher(host.get()).matches())) {
                        problem(v, "ingress '" + host.get() + "' must be a host label (lower-case letters, digits, "
                                + "'-'), it becomes " + host.get() + ".<domain>; or false for no Ingress");
                    }
                    ingress = host.isPresent() ? host : ingress;
                }
            }
            Map<String, String> env = stringMap(keys.get("env"), "env");
            if (problems.size() > before) {
                return null;
            }
            return new AppConfig(name, image, context, dockerfile.replace('\\', '/'), buildArgs, target, build,
                    manifestGlobs, manifests, kind, port, ingress, env, at(map));
        }

        private Optional<BuildCommand> build(NodeTuple tuple) {
            if (!(tuple.getValueNode() instanceof MappingNode map)) {
                problem(tuple.getValueNode(), "build must be a mapping with command: (and dir:, env:, inputs:), not "
                        + describe(tuple.getValueNode()));
                return Optional.empty();
            }
            Map<String, NodeTuple> keys = keys(map, BUILD_KEYS, "in build");
            Optional<String> command = string(keys.get("command"), "command", true);
            if (keys.get("command") == null) {
                problem(tuple.getKeyNode(), "build without command: add command: go build -o bin/app .");
            }
            Path buildDir = path(keys.get("dir"), "dir").orElse(dir);
            if (!Files.isDirectory(buildDir)) {
                problem(keys.get("dir") != null ? keys.get("dir").getValueNode() : map, "build dir " + buildDir
                        + " is not a folder (relative paths are relative to " + ProjectFile.FILE_NAME + ")");
            }
            Map<String, String> env = stringMap(keys.get("env"), "env");
            List<String> inputs = stringList(keys.get("inputs"), "inputs");
            return command.map(c -> new BuildCommand(c, buildDir, env, inputs));
        }

        /** The keys of a mapping by name; unknown and repeated keys are problems. */
        private Map<String, NodeTuple> keys(MappingNode map, List<String> allowed, String where) {
            Map<String, NodeTuple> out = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                Node k = t.getKeyNode();
                if (!(k instanceof ScalarNode ks)) {
                    problem(k, "keys must be plain names; allowed " + where + ": " + String.join(", ", allowed));
                    continue;
                }
                String key = ks.getValue();
                if (!allowed.contains(key)) {
                    String hint = suggest(key, allowed).map(s -> "did you mean '" + s + "'? ").orElse("");
                    problem(k, "unknown key '" + key + "' " + where + "; " + hint + "allowed: "
                            + String.join(", ", allowed));
                    continue;
                }
                if (out.containsKey(key)) {
                    problem(k, "'" + key + "' is given twice (first at " + at(out.get(key).getKeyNode())
                            + "); keep one");
                    continue;
                }
                out.put(key, t);
            }
            return out;
        }

        private Optional<String> string(NodeTuple tuple, String key, boolean nonEmpty) {
            if (tuple == null) {
                return Optional.empty();
            }
            Node v = tuple.getValueNode();
            if (!(v instanceof ScalarNode s) || s.getTag().equals(Tag.NULL) || s.getTag().equals(Tag.BOOL)) {
                problem(v, key + " must be a string, not " + describe(v));
                return Optional.empty();
            }
            if (nonEmpty && s.getValue().isBlank()) {
                problem(v, key + " must not be empty");
                return Optional.empty();
            }
            return Optional.of(s.getValue());
        }

        private Optional<Path> path(NodeTuple tuple, String key) {
            return string(tuple, key, true).map(p -> dir.resolve(p).normalize());
        }

        private Map<String, String> stringMap(NodeTuple tuple, String key) {
            Map<String, String> out = new LinkedHashMap<>();
            if (tuple == null) {
                return out;
            }
            Node v = tuple.getValueNode();
            if (!(v instanceof MappingNode map)) {
                problem(v, key + " must be a mapping of NAME: value, not " + describe(v));
                return out;
            }
            for (NodeTuple t : map.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k) || !ENV_NAME.matcher(k.getValue()).matches()) {
                    problem(t.getKeyNode(), key + ": '" + (t.getKeyNode() instanceof ScalarNode k2 ? k2.getValue()
                            : describe(t.getKeyNode())) + "' is not a variable name (letters, digits and _, not "
                            + "starting with a digit)");
                    continue;
                }
                Node val = t.getValueNode();
                if (!(val instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
                    problem(val, key + "." + k.getValue() + " must be a string (quote numbers and true/false), not "
                            + describe(val));
                    continue;
                }
                if (out.containsKey(k.getValue())) {
                    problem(k, key + "." + k.getValue() + " is given twice; keep one");
                    continue;
                }
                out.put(k.getValue(), s.getValue());
            }
            return out;
        }

        private List<String> stringList(NodeTuple tuple, String key) {
            return stringList(tuple, key, "paths or globs", "[a.yaml, 'deploy/*.yaml']");
        }

        private List<String> stringList(NodeTuple tuple, String key, String what, String example) {
            List<String> out = new ArrayList<>();
            if (tuple == null) {
                return out;
            }
            Node v = tuple.getValueNode();
            if (!(v instanceof SequenceNode seq)) {
                problem(v, key + " must be a list of " + what + " (" + example + "), not " + describe(v));
                return out;
            }
            for (Node item : seq.getValue()) {
                if (!(item instanceof ScalarNode s) || s.getTag().equals(Tag.NULL) || s.getValue().isBlank()) {
                    problem(item, key + " entries must be " + what + ", not " + describe(item));
                    out.add("");
                    continue;
                }
                out.add(s.getValue());
            }
            return out;
        }

        private void problem(Node node, String message) {
            problems.add((node == null ? file + ":1:1" : at(node)) + ": " + message);
        }

        private String at(Node node) {
            return node.getStartMark().map(this::at).orElse(file + ":1:1");
        }

        private String at(Mark m) {
            return file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
        }
    }

    /** Files below {@code base} matching a glob ({@code *}, {@code ?}, {@code **}, {@code [..]}), sorted. */
    static List<Path> glob(Path base, String pattern) {
        String p = pattern.replace('\\', '/');
        if (!p.contains("*") && !p.contains("?") && !p.contains("[")) {
            Path f = base.resolve(p).normalize();
            return Files.isRegularFile(f) ? List.of(f) : List.of();
        }
        // walk from the part of the pattern that has no wildcard
        String[] parts = p.split("/");
        List<String> fixed = new ArrayList<>();
        for (String part : parts) {
            if (part.contains("*") || part.contains("?") || part.contains("[")) {
                break;
            }
            fixed.add(part);
        }
        Path start = base.resolve(String.join("/", fixed)).normalize();
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        String rel = p.startsWith("./") ? p.substring(2) : p;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:"
                + base.toAbsolutePath().normalize().toString().replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1") + "/" + rel);
        int depth = p.contains("**") ? Integer.MAX_VALUE : parts.length - fixed.size();
        try (Stream<Path> s = Files.walk(start, depth)) {
            return s.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The allowed key closest to a misspelt one, when it is close enough to be meant. */
    static Optional<String> suggest(String key, List<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = a.equalsIgnoreCase(key) ? 0 : Suggestions.distance(key.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        int limit = Math.max(1, Math.min(3, key.length() / 3));
        return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }


    private static String describe(Node node) {
        if (node == null) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        if (s.getTag().equals(Tag.NULL)) {
            return "an empty value";
        }
        if (s.getTag().equals(Tag.BOOL)) {
            return "the boolean " + s.getValue();
        }
        return "'" + s.getValue() + "'";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
