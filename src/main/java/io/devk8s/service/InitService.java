package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.adapter.template.AtomicWriter;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.config.AppKind;
import io.devk8s.config.ProjectFile;
import io.devk8s.config.ProjectFileEditor;
import io.devk8s.console.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code devk8s init [NAME] [--grpc]}: adds an app to {@code devk8s.yaml} (a new file, or one more entry in an
 * existing one, whose other lines stay as they are) and copies the default templates of its kind into the project
 * ({@code deployment/<name>/*.yaml}, listed under {@code manifests:}) for the user to own. Everything is checked
 * before the first write: the name, the file, that the app does not exist, that no template file would be
 * overwritten (unless {@code --force}); then the templates and the project file (last) are written atomically.
 */
public final class InitService {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** The header of every copied template. */
    static final String COPIED = "# Copied from devk8s's default templates (kind: %s) by `devk8s init`: yours to change; "
            + "devk8s no longer updates it.%n";

    /**
     * What {@code devk8s init} was asked to do.
     *
     * @param file  {@code -f PATH}: the project file (or a folder holding one); empty: devk8s.yaml in the app folder
     * @param name  the app's name; empty: the app folder's name made a DNS label
     * @param force overwrite template files that exist
     */
    public record Request(Path appDir, Optional<String> file, Optional<String> name, AppKind kind, boolean force,
            boolean dryRun) {}

    /** What init writes: each file's path and full new content, the project file last. */
    public record Plan(Path projectFile, boolean newProjectFile, String appName, Map<Path, String> files) {}

    private final Console console;
    private final TemplateSource templates;

    public InitService(Console console, TemplateSource templates) {
        this.console = console;
        this.templates = templates;
    }

    public int init(Request request) {
        Plan plan = plan(request);
        Path base = request.appDir();
        if (request.dryRun()) {
            console.info("dry run: nothing is written");
            for (Map.Entry<Path, String> f : plan.files().entrySet()) {
                boolean exists = Files.exists(f.getKey(), LinkOption.NOFOLLOW_LINKS);
                console.data("# " + (exists ? "overwrite " : "write ") + relative(base, f.getKey()));
                console.data(f.getValue().stripTrailing());
            }
            return ExitCode.OK;
        }
        try {
            for (Path f : plan.files().keySet()) {
                Files.createDirectories(f.getParent());
            }
            AtomicWriter.write(plan.files());
        } catch (IOException e) {
            throw Devk8sException.failure("could not write " + plan.projectFile().getParent() + " (" + e.getMessage()
                    + "); check the folder's permissions and free space", e);
        }
        for (Path f : plan.files().keySet()) {
            console.success("wrote " + relative(base, f) + (f.equals(plan.projectFile())
                    ? (plan.newProjectFile() ? " (new, app " : " (added app ") + plan.appName() + ")" : ""));
        }
        Path dockerfile = request.appDir().resolve("Dockerfile");
        if (!Files.isRegularFile(dockerfile)) {
            console.warn("no Dockerfile in " + request.appDir() + ": write one there (the image devk8s deploy builds), "
                    + "or set dockerfile: in " + relative(base, plan.projectFile()));
        }
        console.info("next: devk8s deploy " + plan.appName() + " --dry-run, then devk8s deploy " + plan.appName());
        return ExitCode.OK;
    }

    /** Everything init would write, checked; writes nothing. */
    public Plan plan(Request request) {
        Path appDir = request.appDir().toAbsolutePath().normalize();
        String name = request.name().map(n -> checkName(n, "NAME " + n)).orElseGet(() -> defaultName(appDir));
        Path file = projectFile(appDir, request.file());
        Path projectDir = file.getParent();
        boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        if (exists && !Files.isRegularFile(file)) {
            throw Devk8sException.usage(file + " is not a regular file; devk8s init only adds to a devk8s.yaml file");
        }

        // the copied templates and the app's entry
        String manifestsDir = "deployment/" + name;
        Map<Path, String> files = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : AppTemplates.defaults(templates, request.kind()).entrySet()) {
            files.put(projectDir.resolve(manifestsDir).resolve(t.getKey()),
                    String.format(COPIED, request.kind().yamlName()) + t.getValue());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("kind", request.kind().yamlName());
        fields.put("port", "8080");
        String context = projectDir.relativize(appDir).toString().replace('\\', '/');
        if (!context.isEmpty()) {
            fields.put("context", ProjectFileEditor.scalar(context));
        }
        fields.put("manifests", "[" + ProjectFileEditor.scalar(manifestsDir + "/*.yaml") + "]"
                + "   # copied by devk8s init: yours to edit");

        String text;
        if (exists) {
            String old;
            try {
                old = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw Devk8sException.usage("cannot read " + file + ": " + e.getMessage());
            }
            text = ProjectFileEditor.addApp(file, old, name, fields);
        } else {
            if (!Files.isDirectory(projectDir)) {
                throw Devk8sException.usage(projectDir + " is not a folder; point -f at a devk8s.yaml in an existing "
                        + "folder");
            }
            text = ProjectFileEditor.newFile(projectName(projectDir), name, fields);
        }

        // never replace what the user owns, unless asked to
        Path folder = projectDir.resolve(manifestsDir);
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(folder)) {
            throw Devk8sException.usage(folder + " exists and is not a folder; remove it or choose another NAME");
        }
        for (Path f : files.keySet()) {
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(f)) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    throw Devk8sException.usage(f + " exists and is not a regular file; devk8s init never replaces "
                            + "it: remove it or choose another NAME");
                }
                if (!request.force()) {
                    throw Devk8sException.usage(f + " exists; devk8s init does not overwrite files: remove it, choose "
                            + "another NAME, or pass --force");
                }
            }
        }
        files.put(file, text);
        return new Plan(file, !exists, name, files);
    }

    private static Path projectFile(Path appDir, Optional<String> explicit) {
        if (explicit.isEmpty() || explicit.get().isBlank()) {
            return appDir.resolve(ProjectFile.FILE_NAME);
        }
        Path p = appDir.resolve(explicit.get()).toAbsolutePath().normalize();
        return Files.isDirectory(p) ? p.resolve(ProjectFile.FILE_NAME) : p;
    }

    static String checkName(String name, String what) {
        if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
            throw Devk8sException.usage(what + ": an app name must be a DNS label: lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 63 (e.g. " + sanitize(name).orElse("myapp")
                    + ")");
        }
        return name;
    }

    /** The folder's name as a DNS label: lower case, other characters as '-', at most 63. */
    static Optional<String> sanitize(String folder) {
        String s = folder.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 63) {
            s = s.substring(0, 63).replaceAll("-+$", "");
        }
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static String defaultName(Path appDir) {
        String folder = appDir.getFileName() == null ? "" : appDir.getFileName().toString();
        return sanitize(folder).orElseThrow(() -> Devk8sException.usage("cannot make an app name from the folder name '"
                + folder + "'; give one: devk8s init NAME"));
    }

    private static String projectName(Path projectDir) {
        return projectDir.getFileName() == null ? "myproject"
                : sanitize(projectDir.getFileName().toString()).orElse("myproject");
    }

    private static String relative(Path base, Path file) {
        Path rel = base.toAbsolutePath().normalize().relativize(file);
        return rel.toString().isEmpty() ? file.toString() : rel.toString();
    }
}
