package io.devk8s.adapter.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import io.devk8s.adapter.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The push credentials the docker CLI would use for a registry, read from {@code $DOCKER_CONFIG/config.json}
 * (default {@code ~/.docker/config.json}): a credential helper named for the registry in {@code credHelpers}, else
 * the {@code credsStore} helper, else the registry's entry under {@code auths} (base64 {@code user:password}, or an
 * {@code identitytoken}). A helper is run as {@code docker-credential-NAME get} with the registry host on stdin and
 * answers {@code {"ServerURL","Username","Secret"}}; docker-java does not do this itself.
 */
public final class RegistryCredentials {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Environment environment;
    private final ProcessRunner processes;

    public RegistryCredentials(Environment environment, ProcessRunner processes) {
        this.environment = environment;
        this.processes = processes;
    }

    /** The config file: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    public Path configFile() {
        return environment.get("DOCKER_CONFIG").filter(s -> !s.isBlank()).map(environment::resolve)
                .orElseGet(() -> environment.home().resolve(".docker")).resolve("config.json");
    }

    /** Where the credentials for a registry come from, for messages: a helper's name or the config file. */
    public record Found(DockerDaemon.RegistryAuth auth, String source) {
    }

    /**
     * The credentials for {@code registry} ({@code host[:port]}); anonymous when the file, the entry or the helper's
     * entry is missing. A file that is not JSON, or a helper that is missing or fails, stops here in one line.
     */
    public Found lookup(String registry) {
        Path file = configFile();
        if (!Files.isRegularFile(file)) {
            return new Found(new DockerDaemon.RegistryAuth(registry, null, null, null), "no " + file);
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw Devk8sException.usage(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "); fix it or point DOCKER_CONFIG at another folder");
        }
        if (root == null || !root.isObject()) {
            throw Devk8sException.usage(file + ": expected a JSON object; fix it or point DOCKER_CONFIG elsewhere");
        }
        JsonNode helpers = root.path("credHelpers");
        for (String key : keys(registry)) {
            if (helpers.path(key).isTextual() && !helpers.path(key).asText().isBlank()) {
                return fromHelper(registry, helpers.path(key).asText(), file);
            }
        }
        if (root.path("credsStore").isTextual() && !root.path("credsStore").asText().isBlank()) {
            return fromHelper(registry, root.path("credsStore").asText(), file);
        }
        JsonNode auths = root.path("auths");
        for (String key : keys(registry)) {
            JsonNode entry = auths.path(key);
            if (!entry.isObject()) {
                continue;
            }
            if (entry.path("identitytoken").isTextual() && !entry.path("identitytoken").asText().isEmpty()) {
                return new Found(new DockerDaemon.RegistryAuth(registry, null, null,
                        entry.path("identitytoken").asText()), file + " (auths)");
            }
            if (entry.path("auth").isTextual() && !entry.path("auth").asText().isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(entry.path("auth").asText().strip()),
                            StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw Devk8sException.usage(file + ": auths.\"" + key + "\".auth is not base64; run `docker login "
                            + registry + "` again");
                }
                int colon = decoded.indexOf(':');
                if (colon <= 0) {
                    throw Devk8sException.usage(file + ": auths.\"" + key + "\".auth is not user:password in base64; "
                            + "run `docker login " + registry + "` again");
                }
                return new Found(new DockerDaemon.RegistryAuth(registry, decoded.substring(0, colon),
                        decoded.substring(colon + 1), null), file + " (auths)");
            }
        }
        return new Found(new DockerDaemon.RegistryAuth(registry, null, null, null), file + " (no entry)");
    }

    private Found fromHelper(String registry, String helper, Path file) {
        String exe = "docker-credential-" + helper;
        Path binary = processes.which(exe).orElseThrow(() -> Devk8sException.precondition(file + " names the "
                + "credential helper " + exe + " for " + registry + ", which is not on PATH; install it, or remove it "
                + "from the file and run `docker login " + registry + "`"));
        ProcessRunner.Result r = processes.run(ProcessRunner.Invocation.of(binary, "get")
                .withTimeout(Duration.ofSeconds(30)), registry + "\n");
        if (!r.ok()) {
            String out = r.output().strip();
            if (out.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
                return new Found(new DockerDaemon.RegistryAuth(registry, null, null, null), exe + " (no entry)");
            }
            throw Devk8sException.failure(exe + " get failed for " + registry + " (exit code " + r.exitCode() + ")"
                    + (out.isEmpty() ? "" : ": " + out.lines().findFirst().orElse("")) + "; run `docker login "
                    + registry + "` again");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw Devk8sException.failure(exe + " get answered something that is not JSON for " + registry
                    + "; check the helper with `echo " + registry + " | " + exe + " get`");
        }
        String user = answer == null ? "" : answer.path("Username").asText("");
        String secret = answer == null ? "" : answer.path("Secret").asText("");
        if (secret.isEmpty()) {
            return new Found(new DockerDaemon.RegistryAuth(registry, null, null, null), exe + " (no secret)");
        }
        if ("<token>".equals(user)) {
            return new Found(new DockerDaemon.RegistryAuth(registry, null, null, secret), exe);
        }
        return new Found(new DockerDaemon.RegistryAuth(registry, user, secret, null), exe);
    }

    /** The spellings of a registry a config file may use as key. */
    static List<String> keys(String registry) {
        if (registry.equals("docker.io") || registry.equals("index.docker.io")) {
            return List.of("https://index.docker.io/v1/", "index.docker.io", "docker.io");
        }
        return List.of(registry, "https://" + registry, "http://" + registry, "https://" + registry + "/",
                "http://" + registry + "/");
    }

    /** The registry host of an image reference ({@code docker.io} when it names none). */
    public static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return "docker.io";
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
    }

}
