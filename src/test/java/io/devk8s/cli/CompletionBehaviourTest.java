package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed completion scripts, run by the real shells: bash (with and without the bash-completion package's
 * word splitting) by calling {@code _devk8s} with {@code COMP_WORDS} as bash fills them, and zsh by typing the line
 * into an interactive zsh under a pseudo-terminal and pressing Tab ({@code completion/zcap.zsh}). The files they read
 * (devk8s.yaml, minikube's profiles folder, kubeconfigs) are real files in a temp folder; {@code java} and
 * {@code devk8s} on the PATH are stand-ins that only leave a mark, to show that completing never starts Java.
 * Needs bash, zsh and bash-completion (scripts/test.sh installs them).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CompletionBehaviourTest {

    private static final Path PROJECT = Path.of(System.getProperty("devk8s.project.dir", ".")).toAbsolutePath();
    private static final Path BASH_SCRIPT = PROJECT.resolve("completions/devk8s.bash");
    private static final Path ZSH_DIR = PROJECT.resolve("completions");
    private static final Path BASH_COMPLETION = Path.of("/usr/share/bash-completion/bash_completion");

    @TempDir
    Path tmp;

    private Path home;
    private Path work;
    private Path marker;
    private final Map<String, String> env = new HashMap<>();

    enum Shell { BASH, BASH_WITH_BASH_COMPLETION, ZSH }

    @BeforeEach
    void files() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        Path project = Files.createDirectories(tmp.resolve("project"));
        work = Files.createDirectories(project.resolve("src/deep"));
        Files.writeString(project.resolve("devk8s.yaml"), """
                project: demo   # the appgroup
                apps:
                  - name: web       # first
                    image: web
                    env:
                      name: not-an-app
                  - image: api
                    name: "api"
                  - {name: worker, port: 9090}
                other:
                  - name: not-an-app-either
                """);
        Files.writeString(Files.createDirectories(tmp.resolve("other")).resolve("devk8s.yaml"),
                "project: other\napps: [{name: billing}, {name: 'search'}]\n");

        // MINIKUBE_HOME not ending in .minikube: minikube appends it
        Path profiles = Files.createDirectories(tmp.resolve("mk/.minikube/profiles"));
        for (String p : List.of("minikube", "dev")) {
            Files.writeString(Files.createDirectories(profiles.resolve(p)).resolve("config.json"), "{}");
        }
        Files.createDirectories(profiles.resolve("half-deleted")); // no config.json: not a profile

        Files.writeString(tmp.resolve("kube-a"), """
                apiVersion: v1
                clusters:
                - cluster:
                    server: https://192.168.49.2:8443
                  name: minikube
                contexts:
                - context:
                    cluster: minikube
                    extensions:
                    - extension:
                        last-update: today
                      name: context_info
                    user: minikube
                  name: minikube
                current-context: minikube
                users:
                - name: minikube
                """);
        Files.writeString(tmp.resolve("kube-b"), """
                contexts:
                  - name: staging
                    context: {cluster: staging, user: staging}
                  - context:
                      cluster: eks
                    name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
                """);

        Path bin = Files.createDirectories(tmp.resolve("bin"));
        marker = tmp.resolve("java-started");
        for (String tool : List.of("java", "devk8s")) {
            Path stub = bin.resolve(tool);
            Files.writeString(stub, "#!/bin/sh\necho \"$0 $*\" >>'" + marker + "'\nexit 1\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        env.put("HOME", home.toString());
        env.put("PATH", bin + File.pathSeparator + "/usr/local/bin:/usr/bin:/bin");
        env.put("MINIKUBE_HOME", tmp.resolve("mk").toString());
        env.put("KUBECONFIG", tmp.resolve("kube-a") + ":" + tmp.resolve("missing") + ":" + tmp.resolve("kube-b"));
        env.put("LANG", "C.UTF-8");
        env.put("TERM", "xterm");
    }

    /** The words bash makes of a line: split at blanks, and at runs of '=' and ':' (in COMP_WORDBREAKS). */
    static List<String> compWords(String line) {
        List<String> words = new ArrayList<>();
        for (String token : line.split(" ", -1)) {
            if (token.isEmpty()) {
                continue;
            }
            Matcher m = Pattern.compile("[=:]+|[^=:]+").matcher(token);
            while (m.find()) {
                words.add(m.group());
            }
        }
        if (line.endsWith(" ")) {
            words.add("");
        }
        return words;
    }

    /** What the shell offers for the last word of {@code line}, typed in {@code dir}. */
    private Set<String> complete(Shell shell, Path dir, String line) throws Exception {
        List<String> command = new ArrayList<>();
        if (shell == Shell.ZSH) {
            assertTrue(onPath("zsh"), "zsh is needed for this test: apt-get install zsh (scripts/test.sh does)");
            command.addAll(List.of("zsh", "-f", PROJECT.resolve("src/test/resources/completion/zcap.zsh").toString(),
                    ZSH_DIR.toString(), line));
        } else {
            String setup = "";
            if (shell == Shell.BASH_WITH_BASH_COMPLETION) {
                assertTrue(Files.isRegularFile(BASH_COMPLETION),
                        "bash-completion is needed for this test: apt-get install bash-completion (scripts/test.sh does)");
                setup = "source " + BASH_COMPLETION + "\n";
            }
            String script = setup + """
                    source "$1"; shift
                    COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; shift
                    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
                    _devk8s
                    printf '%s\\n' "${COMPREPLY[@]}"
                    """;
            command.addAll(List.of("bash", "--norc", "--noprofile", "-c", script, "bash", BASH_SCRIPT.toString(), line));
            command.addAll(compWords(line));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(shell + " did not finish completing: " + line);
        }
        String stderr = Files.readString(err);
        assertEquals(0, p.exitValue(), shell + " " + line + ": " + stderr);
        assertEquals("", stderr, shell + " printed errors completing " + line);
        Set<String> words = new TreeSet<>(Files.readAllLines(out, StandardCharsets.UTF_8));
        words.remove("");
        return words;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private void assertOffers(Set<String> expected, Shell shell, Path dir, String line) throws Exception {
        assertEquals(new TreeSet<>(expected), complete(shell, dir, line), shell + ": " + line);
    }

    @Test
    void commands_options_and_choices_in_every_shell() throws Exception {
        for (Shell shell : Shell.values()) {
            Set<String> commands = complete(shell, work, "devk8s ");
            assertTrue(commands.containsAll(List.of("up", "status", "down", "deploy", "logs", "shell", "teardown",
                    "render", "hosts", "doctor", "completion")), shell + ": " + commands);
            assertFalse(commands.contains("training-run"), "hidden commands are not offered");
            assertOffers(Set.of("--profile"), shell, work, "devk8s up --pro");
            assertOffers(Set.of("show", "apply", "remove"), shell, work, "devk8s hosts ");
            assertOffers(Set.of("text", "json", "yaml"), shell, work, "devk8s status -o ");
            assertOffers(Set.of("bash", "zsh"), shell, work, "devk8s completion ");
            // devk8s shell -- CMD: the programs on the PATH (here the devk8s stand-in)
            assertOffers(Set.of("devk8s"), shell, work, "devk8s shell --image alpine -- devk8");
        }
    }

    @Test
    void apps_come_from_the_nearest_devk8s_yaml_or_the_one_f_names() throws Exception {
        for (Shell shell : Shell.values()) {
            assertOffers(Set.of("web", "api", "worker"), shell, work, "devk8s deploy ");
            assertOffers(Set.of("web", "worker"), shell, work, "devk8s logs -f w");   // -f is --follow in logs
            Path other = tmp.resolve("other");
            assertOffers(Set.of("billing", "search"), shell, work, "devk8s deploy -f " + other + " ");
            assertOffers(Set.of("billing", "search"), shell, work, "devk8s logs --file " + other + "/devk8s.yaml ");
            // no devk8s.yaml here or above: no apps (zsh then lists the options instead)
            Set<String> none = complete(shell, tmp, "devk8s deploy ");
            none.removeIf(w -> w.startsWith("-"));
            assertEquals(Set.of(), none, shell.toString());
        }
        // bash leaves out the apps already named
        assertOffers(Set.of("api", "worker"), Shell.BASH, work, "devk8s deploy web ");
    }

    @Test
    void profiles_come_from_minikube_home_and_contexts_from_the_kubeconfig() throws Exception {
        for (Shell shell : Shell.values()) {
            assertOffers(Set.of("minikube", "dev"), shell, work, "devk8s up --profile ");
            assertOffers(Set.of("dev"), shell, work, "devk8s status -p d");
            assertOffers(Set.of("minikube", "staging", "arn:aws:eks:eu-west-1:123456789012:cluster/prod"),
                    shell, work, "devk8s status --context ");
            assertOffers(Set.of("minikube"), shell, work, "devk8s doctor --kubeconfig " + tmp.resolve("kube-a")
                    + " --allow-context ");
        }
        assertOffers(Set.of("dev"), Shell.BASH, work, "devk8s up --profile=d");
        assertOffers(Set.of("dev"), Shell.ZSH, work, "devk8s up --profile=d");
        // bash splits words at ':' and replaces only what follows the last colon typed; with bash-completion the
        // context is still found from the whole name
        assertOffers(Set.of("aws:eks:eu-west-1:123456789012:cluster/prod"), Shell.BASH_WITH_BASH_COMPLETION, work,
                "devk8s status --context arn:aws");
        // ~/.kube/config when KUBECONFIG is unset
        env.remove("KUBECONFIG");
        Files.copy(tmp.resolve("kube-b"), Files.createDirectories(home.resolve(".kube")).resolve("config"));
        assertOffers(Set.of("staging", "arn:aws:eks:eu-west-1:123456789012:cluster/prod"), Shell.ZSH, work,
                "devk8s up --context ");
        assertOffers(Set.of("staging"), Shell.BASH, work, "devk8s up --context st");
    }

    @Test
    void components_complete_as_a_comma_separated_list() throws Exception {
        for (Shell shell : Shell.values()) {
            Set<String> all = complete(shell, work, "devk8s up --components ");
            assertEquals(Set.of("traefik", "prometheus", "grafana", "jaeger"), all, shell.toString());
        }
        assertOffers(Set.of("traefik,prometheus", "traefik,grafana", "traefik,jaeger"), Shell.BASH, work,
                "devk8s render stack --components traefik,");
        assertOffers(Set.of("prometheus", "grafana", "jaeger"), Shell.ZSH, work,
                "devk8s render stack --components traefik,");
    }

    @Test
    void completing_never_starts_java() throws Exception {
        for (Shell shell : Shell.values()) {
            complete(shell, work, "devk8s deploy ");
            complete(shell, work, "devk8s up --profile ");
            complete(shell, work, "devk8s up --context ");
            complete(shell, work, "devk8s up --components ");
            complete(shell, work, "devk8s up --");
        }
        assertFalse(Files.exists(marker), () -> "completion ran java or devk8s: " + read(marker));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
