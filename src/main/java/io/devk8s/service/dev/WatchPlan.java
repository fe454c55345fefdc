package io.devk8s.service.dev;

import io.devk8s.adapter.docker.DockerIgnore;
import io.devk8s.config.AppConfig;
import io.devk8s.config.BuildCommand;
import io.devk8s.config.ProjectFile;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code devk8s dev} watches and which app a changed file belongs to. An app's inputs are its manifests (the
 * files its {@code manifests:} globs match, new ones included), its build command's {@code inputs} (below the
 * command's {@code dir}), its Dockerfile and ignore file, and every file of its build context that the ignore file
 * ({@code <Dockerfile>.dockerignore}, else {@code .dockerignore}) does not exclude. Anything below a {@code .git}
 * folder and files the ignore file excludes trigger nothing, unless they are manifests or build inputs.
 * {@code devk8s.yaml} itself is reported apart: a change reloads it.
 */
public final class WatchPlan {
    /** How a changed file concerns an app. */
    public enum Trigger {
        /** A manifest, a build-command input, the Dockerfile or the ignore file: always redeploys. */
        INPUT,
        /**
         * Another file of the build context. With a build command it may be the command's own output (written during
         * the app's last round), which redeploys only when it differs from what that round left.
         */
        CONTEXT
    }

    private record AppWatch(AppConfig app, Path context, Set<Path> fixed, DockerIgnore rules,
            Optional<Path> buildDir, List<PathMatcher> inputs, Set<Path> manifests, List<PathMatcher> manifestGlobs) {
    }

    private final Path projectFile;
    private final List<AppWatch> apps;
    private final List<Path> roots;

    private WatchPlan(Path projectFile, List<AppWatch> apps, List<Path> roots) {
        this.projectFile = projectFile;
        this.apps = apps;
        this.roots = roots;
    }

    /** The plan for {@code apps} of {@code project}; the ignore files are read now. */
    public static WatchPlan of(ProjectFile project, List<AppConfig> apps) {
        Path dir = normal(project.dir());
        List<AppWatch> watches = new ArrayList<>();
        Set<Path> folders = new LinkedHashSet<>();
        folders.add(dir);
        for (AppConfig app : apps) {
            Path context = normal(app.context());
            String df = app.dockerfile().replace('\\', '/');
            Path dockerfile = context.resolve(df).normalize();
            Path specific = context.resolve(df + DockerIgnore.FILE_NAME).normalize();
            Path common = context.resolve(DockerIgnore.FILE_NAME);
            Path ignoreFile = Files.isRegularFile(specific) ? specific : common;
            DockerIgnore rules;
            try {
                rules = DockerIgnore.read(ignoreFile, ignoreFile.toString());
            } catch (RuntimeException e) {
                rules = DockerIgnore.empty(); // the round's deploy names the broken file
            }
            Set<Path> fixed = new LinkedHashSet<>(List.of(dockerfile, specific, common));
            Optional<Path> buildDir = app.build().map(BuildCommand::dir).map(WatchPlan::normal);
            List<PathMatcher> inputs = new ArrayList<>();
            app.build().ifPresent(b -> b.inputs().forEach(glob -> {
                inputs.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
                if (glob.startsWith("**/")) {
                    inputs.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
                }
            }));
            Set<Path> manifests = new LinkedHashSet<>();
            app.manifests().forEach(m -> manifests.add(normal(m)));
            List<PathMatcher> globs = new ArrayList<>();
            for (String glob : app.manifestGlobs()) {
                String p = glob.replace('\\', '/');
                if (!p.contains("*") && !p.contains("?") && !p.contains("[")) {
                    manifests.add(dir.resolve(p).normalize());
                } else {
                    String rel = p.startsWith("./") ? p.substring(2) : p;
                    globs.add(FileSystems.getDefault().getPathMatcher("glob:"
                            + dir.toString().replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1") + "/" + rel));
                }
            }
            watches.add(new AppWatch(app, context, fixed, rules, buildDir, inputs, manifests, globs));
            folders.add(context);
            buildDir.ifPresent(folders::add);
            manifests.forEach(m -> folders.add(m.getParent()));
        }
        // the fewest folders: one below another is covered by it; folders that do not exist cannot be watched
        List<Path> roots = new ArrayList<>();
        for (Path f : folders) {
            if (Files.isDirectory(f) && folders.stream().noneMatch(o -> !o.equals(f) && f.startsWith(o)
                    && Files.isDirectory(o))) {
                roots.add(f);
            }
        }
        return new WatchPlan(normal(project.file()), List.copyOf(watches), List.copyOf(roots));
    }

    /** The folders to watch (recursively). */
    public List<Path> roots() {
        return roots;
    }

    public Path projectFile() {
        return projectFile;
    }

    /** Whether {@code path} is the project file. */
    public boolean isProjectFile(Path path) {
        return normal(path).equals(projectFile);
    }

    /** The names of the apps of this plan, in order. */
    public List<String> appNames() {
        return apps.stream().map(a -> a.app().name()).toList();
    }

    /** Whether the app has a build command (whose outputs may land in its context). */
    public boolean hasBuildCommand(String app) {
        return apps.stream().anyMatch(a -> a.app().name().equals(app) && a.buildDir().isPresent());
    }

    /** The apps {@code path} is an input of, and how; empty when it triggers nothing. */
    public Map<String, Trigger> triggers(Path path) {
        Path p = normal(path);
        Map<String, Trigger> out = new LinkedHashMap<>();
        for (AppWatch w : apps) {
            trigger(w, p).ifPresent(t -> out.put(w.app().name(), t));
        }
        return out;
    }

    private static Optional<Trigger> trigger(AppWatch w, Path p) {
        if (w.manifests().contains(p) || w.manifestGlobs().stream().anyMatch(m -> m.matches(p))) {
            return Optional.of(Trigger.INPUT);
        }
        if (w.buildDir().isPresent() && p.startsWith(w.buildDir().get())) {
            Path rel = w.buildDir().get().relativize(p);
            if (!inGit(rel) && w.inputs().stream().anyMatch(m -> m.matches(rel))) {
                return Optional.of(Trigger.INPUT);
            }
        }
        if (!p.startsWith(w.context()) || p.equals(w.context())) {
            return Optional.empty();
        }
        Path rel = w.context().relativize(p);
        if (inGit(rel)) {
            return Optional.empty();
        }
        if (w.fixed().contains(p)) {
            return Optional.of(Trigger.INPUT);
        }
        if (w.rules().excludes(rel.toString().replace('\\', '/'))) {
            return Optional.empty();
        }
        return Optional.of(Trigger.CONTEXT);
    }

    /** The files of the app's build context that are {@link Trigger#CONTEXT} files (not below excluded folders). */
    public List<Path> contextFiles(String app) {
        AppWatch w = apps.stream().filter(a -> a.app().name().equals(app)).findFirst().orElseThrow();
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(w.context(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(w.context())) {
                        return FileVisitResult.CONTINUE;
                    }
                    String rel = w.context().relativize(dir).toString().replace('\\', '/');
                    boolean skip = dir.getFileName().toString().equals(".git")
                            || (w.rules().excludes(rel) && !w.rules().reincludesBelow(rel));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (trigger(w, file).orElse(null) == Trigger.CONTEXT) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // what could be listed is enough: a file missing here counts as changed later
        }
        return files;
    }

    private static boolean inGit(Path rel) {
        for (Path part : rel) {
            if (part.toString().equals(".git")) {
                return true;
            }
        }
        return false;
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
