package io.devk8s.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code build:} of an app: a shell command run on the host before the image build.
 *
 * @param command the command line, {@code ${VAR}} not yet substituted
 * @param dir     where it runs (absolute)
 * @param env     extra variables, values not yet substituted
 * @param inputs  globs relative to {@code dir}; when the files they match are unchanged the command is skipped
 */
public record BuildCommand(String command, Path dir, Map<String, String> env, List<String> inputs) {
    public BuildCommand {
        env = Map.copyOf(env);
        inputs = List.copyOf(inputs);
    }
}
