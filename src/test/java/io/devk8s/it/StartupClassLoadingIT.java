package io.devk8s.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Start-up cost: commands that do not talk to a cluster or a Docker engine must not load the fabric8 or
 * docker-java classes (about 5,000 classes and a second of start-up). Runs the packaged jar with class-load
 * logging and looks at what was loaded.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StartupClassLoadingIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"--help", "--version", "help", "help hosts", "up --help", "doctor --help", "hosts apply --help",
        "render stack --help", "render stack"})
    void should_not_load_kubernetes_or_docker_classes_for(String args) throws Exception {
        Path log = tmp.resolve("classes.log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log,
                "-jar", System.getProperty("devk8s.jar")));
        cmd.addAll(List.of(args.split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "devk8s " + args + " did not finish");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("out.txt")));
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" io.devk8s.Devk8s ")),
                "class-load log does not show devk8s's main class: wrong jar?");
        if (args.equals("--version")) { // printed before picocli starts
            assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" picocli.") || l.contains(" io.devk8s.cli.Devk8sCommand"))
                    .limit(5).toList(), "devk8s --version built the command line");
        }
        if (args.equals("--help") || args.equals("help")) { // laid out from generated texts (RootHelp)
            assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" picocli.CommandLine$Model$CommandSpec ")
                    || l.contains(" io.devk8s.cli.UpCommand ") || l.contains(" io.devk8s.cli.Devk8sCommand$$"))
                    .limit(5).toList(), "devk8s " + args + " built the command line");
        }
        if (args.equals("--help") || args.equals("help") || args.equals("--version")) {
            // help wraps at spaces itself (WordWrapHelp): no BreakIterator and its locale data; no Groovy probe
            // and no reflective converters (java.sql) either
            assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" java.text.BreakIterator ")
                    || l.contains(" java.sql.")).limit(5).toList(), "devk8s " + args);
        }
        boolean renders = args.equals("render stack"); // needs Jinjava, nothing else heavy
        List<String> heavy = loaded.stream()
                .filter(l -> l.contains(" io.fabric8.") || l.contains(" org.jline.") || l.contains(" com.github.dockerjava.")
                        || l.contains(" tools.jackson.") || (!renders && l.contains(" com.hubspot.jinjava.")))
                .toList();
        assertTrue(heavy.isEmpty(), "devk8s " + args + " loaded " + heavy.size() + " heavy classes, e.g. "
                + heavy.stream().limit(5).toList());
    }
}
