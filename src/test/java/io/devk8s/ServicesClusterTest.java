package io.devk8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.devk8s.adapter.kubernetes.PinnedContext;
import io.devk8s.console.Console;
import io.devk8s.service.ClusterSelection;
import io.devk8s.support.Kubeconfig;
import io.devk8s.support.MinikubeFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServicesClusterTest {
    @TempDir
    Path dir;

    private static String kubeconfig(String context, String server) {
        return Kubeconfig.with(context, server).namespace("team").yaml();
    }

    @Test
    void should_pin_the_context_once_per_command_even_if_the_kubeconfig_changes_later() throws IOException {
        Path bin = MinikubeFixture.install(dir);
        Path kc = Files.writeString(dir.resolve("kc"), kubeconfig("laptop", "https://192.168.49.2:8443"));
        Path log = dir.resolve("log");
        Environment env = new Environment(Map.of("PATH", MinikubeFixture.pathWith(bin), "HOME", dir.toString(),
                "KUBECONFIG", kc.toString(), "FIXTURE_MINIKUBE_LOG", log.toString()), dir);
        try (Services services = new Services(env, Console.plain(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())))) {
            ClusterSelection selection = ClusterSelection.defaults(env);
            PinnedContext pinned = services.kubeAccess().pin(selection);
            assertEquals("laptop", pinned.contextName());
            assertEquals(PinnedContext.Reason.NODE_ENDPOINT, pinned.reason());
            assertEquals("team", pinned.namespace());
            assertEquals(List.of("profile list -o json --light -p minikube"), MinikubeFixture.calls(log));

            Files.writeString(kc, kubeconfig("prod", "https://35.1.2.3"));
            assertSame(pinned, services.kubeAccess().pin(selection), "a later switch must not redirect this command");
            assertEquals(1, MinikubeFixture.calls(log).size());
        }
        try (Services fresh = new Services(env, Console.plain(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())))) {
            var ex = assertThrows(Devk8sException.class, () -> fresh.kubeAccess().pin(ClusterSelection.defaults(env)));
            assertEquals(ExitCode.PRECONDITION, ex.exitCode());
        }
    }
}
