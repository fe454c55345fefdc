package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A kubeconfig that is not UTF-8 text is named in one line by both readers, not reported as "Input length = 1". */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KubeconfigTextTest {
    @TempDir
    Path dir;

    private Path file(String hex) throws Exception {
        byte[] bytes = java.util.HexFormat.of().parseHex(hex);
        return Files.write(dir.resolve("config"), bytes);
    }

    private String expected(Path file) {
        return "kubeconfig " + file + " is not UTF-8 YAML text (a binary file?): point KUBECONFIG at your kubeconfig "
                + "files only, or remove " + file + " from it";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "ff",                               // not UTF-8 at all
        "7f454c4602010100000000",           // the start of an ELF executable
        "6170694e657273696f6e3a2076310a00", // "apiVersion: v1\n" then NUL
        "636c7573746572733a20e92c0a",       // Latin-1 "é" in otherwise plain YAML
    })
    void should_name_a_file_that_is_not_utf8_yaml(String hex) throws Exception {
        Path config = file(hex);
        Devk8sException guard = assertThrows(Devk8sException.class, () -> KubeConfig.load(List.of(config)));
        assertEquals(ExitCode.PRECONDITION, guard.exitCode());
        assertEquals(expected(config), guard.getMessage());
        Devk8sException client = assertThrows(Devk8sException.class, () -> KubeconfigLoader.load("minikube", "minikube",
                List.of(config)));
        assertEquals(expected(config), client.getMessage());
    }
}
