package io.devk8s.service;

import io.devk8s.Suggestions;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.config.AppConfig;
import io.devk8s.config.ProjectFile;
import io.devk8s.config.ProjectFileLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where an inner-loop command ({@code deploy}, {@code shell}, {@code logs}, {@code teardown}) acts: the project file
 * ({@code devk8s.yaml}, found from the working folder upwards or named with {@code -f}), the apps it names, the
 * project's label selector and the namespace ({@code -n}, else the file's {@code namespace:}, else the pinned
 * context's namespace). Every inner-loop command resolves these the same way, through this class.
 */
public final class ProjectScope {
    /** The label every object of a project carries, as the Makefile flow did ({@code appgroup=<project>}). */
    public static final String PROJECT_LABEL = "appgroup";
    /** The label naming the app an object belongs to. */
    public static final String APP_LABEL = "app";

    private final Optional<ProjectFile> project;
    private final Optional<String> namespaceFlag;

    private ProjectScope(Optional<ProjectFile> project, Optional<String> namespaceFlag) {
        this.project = project;
        this.namespaceFlag = namespaceFlag.filter(n -> !n.isBlank());
    }

    /**
     * The project of this run: the file {@code -f} names, else {@code devk8s.yaml} in the working folder or its
     * nearest parent. With {@code required}, a missing file is a usage error (exit 2) saying how to fix it; without,
     * the scope simply has no project (commands that can work without one, such as {@code shell --image}).
     */
    public static ProjectScope load(Environment environment, Optional<String> fileFlag, Optional<String> namespaceFlag,
            boolean required) {
        if (fileFlag.isPresent() || required) {
            return new ProjectScope(Optional.of(new ProjectFileLoader().load(
                    ProjectFileLoader.locate(environment.workDir(), fileFlag.orElse(null)))), namespaceFlag);
        }
        try {
            return new ProjectScope(Optional.of(new ProjectFileLoader().load(
                    ProjectFileLoader.locate(environment.workDir(), null))), namespaceFlag);
        } catch (Devk8sException e) {
            if (e.getMessage().startsWith("no " + ProjectFile.FILE_NAME)) {
                return new ProjectScope(Optional.empty(), namespaceFlag);
            }
            throw e;
        }
    }

    /** A scope over an already loaded project (tests, {@code dev}). */
    public static ProjectScope of(Optional<ProjectFile> project, Optional<String> namespaceFlag) {
        return new ProjectScope(project, namespaceFlag);
    }

    public Optional<ProjectFile> project() {
        return project;
    }

    /** The project file; a usage error naming the flag that would make it unnecessary when there is none. */
    public ProjectFile requireProject(String alternative) {
        return project.orElseThrow(() -> Devk8sException.usage("no " + ProjectFile.FILE_NAME
                + " here or in any folder above: run devk8s inside a project, pass -f PATH"
                + (alternative == null ? "" : ", or " + alternative)));
    }

    /** {@code -n}, else the project file's {@code namespace:}, else the pinned context's namespace. */
    public String namespace(PinnedContext pinned) {
        return namespaceFlag.or(() -> project.flatMap(ProjectFile::namespace)).orElse(pinned.namespace());
    }

    /** {@code appgroup=<project>}; empty without a project file. */
    /** The kube contexts the project file lists under {@code allowContexts:} (none without a project file). */
    public java.util.Set<String> allowedContexts() {
        return project().map(p -> java.util.Set.copyOf(p.allowContexts())).orElse(java.util.Set.of());
    }

    public Optional<String> projectSelector() {
        return project.map(p -> PROJECT_LABEL + "=" + p.project());
    }

    /**
     * The apps named on the command line, in the file's order when none is named (all of them). An unknown name is
     * a usage error with the closest known names.
     */
    public List<AppConfig> apps(List<String> names) {
        ProjectFile file = requireProject(null);
        if (names == null || names.isEmpty()) {
            return file.apps();
        }
        List<AppConfig> apps = new ArrayList<>();
        for (String name : names) {
            apps.add(file.app(name).orElseThrow(() -> Devk8sException.usage("no app '" + name + "' in "
                    + file.file() + didYouMean(name, file.apps().stream().map(AppConfig::name).toList()))));
        }
        return apps;
    }

    static String didYouMean(String name, List<String> known) {
        if (known.isEmpty()) {
            return ": it defines no apps";
        }
        String best = known.stream().min(Comparator.comparingInt(k -> Suggestions.distance(k, name))).orElseThrow();
        String hint = Suggestions.distance(best, name) <= Math.max(2, name.length() / 3) ? "; did you mean '" + best + "'?" : "";
        return hint + " (apps: " + String.join(", ", known) + ")";
    }

}
