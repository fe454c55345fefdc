package io.devk8s.config;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.util.List;

/**
 * Everything wrong with a devk8s.yaml, one line per problem, each starting with {@code file:line:column:}.
 * The message is the first problem (and how many more there are); {@link #problems()} has them all.
 */
public final class ProjectFileException extends Devk8sException {
    private final List<String> problems;

    public ProjectFileException(List<String> problems) {
        super(ExitCode.USAGE, problems.get(0) + (problems.size() > 1
                ? " (and " + (problems.size() - 1) + " more problem" + (problems.size() > 2 ? "s" : "") + " in the file)"
                : ""));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
