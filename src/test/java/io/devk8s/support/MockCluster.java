package io.devk8s.support;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test of a cluster command needs, fresh for each test: fabric8's mock API server (see
 * {@link MockKubernetes} for what it stands in for and what it cannot check), the minikube stand-in first on
 * PATH (its calls logged), a kubeconfig whose current context {@code minikube} points at the mock, a temporary
 * hosts file and a {@link CliRunner} with that environment.
 *
 * <pre>{@code
 * @RegisterExtension
 * final MockCluster cluster = new MockCluster().nodePortRange(80, 32767).driver("kvm2");
 * }</pre>
 */
public final class MockCluster implements BeforeEachCallback, AfterEachCallback {
    private int nodePortMin = 30000;
    private int nodePortMax = 32767;
    private String driver;
    private String hostsContent = "127.0.0.1 localhost\n";

    private Path dir;
    private MockKubernetes mock;
    private CliRunner cli;
    private Path hosts;
    private Path minikubeLog;
    private Path kubeconfig;

    /** The node port range the mock API server accepts (default Kubernetes' 30000-32767). */
    public MockCluster nodePortRange(int min, int max) {
        nodePortMin = min;
        nodePortMax = max;
        return this;
    }

    /** The driver the minikube stand-in reports (default: its own, docker). */
    public MockCluster driver(String driver) {
        this.driver = driver;
        return this;
    }

    /** What the hosts file holds at the start of each test. */
    public MockCluster hostsContent(String content) {
        this.hostsContent = content;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("devk8s-test-");
        mock = MockKubernetes.start().nodePortRange(nodePortMin, nodePortMax);
        Path bin = MinikubeFixture.install(dir);
        minikubeLog = dir.resolve("minikube.log");
        hosts = Files.writeString(dir.resolve("hosts"), hostsContent);
        kubeconfig = mock.writeKubeconfig(dir, "minikube");
        cli = new CliRunner()
                .env("PATH", MinikubeFixture.pathWith(bin))
                .env("HOME", Files.createDirectories(dir.resolve("home")).toString())
                .env("KUBECONFIG", kubeconfig.toString())
                .env("FIXTURE_MINIKUBE_LOG", minikubeLog.toString());
        if (driver != null) {
            cli.env("FIXTURE_MINIKUBE_DRIVER", driver);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (mock != null) {
            mock.close();
        }
        if (dir != null) {
            delete(dir);
        }
    }

    /** The test's own folder (removed after the test). */
    public Path dir() {
        return dir;
    }

    public MockKubernetes mock() {
        return mock;
    }

    public CliRunner cli() {
        return cli;
    }

    public Path hosts() {
        return hosts;
    }

    /** The minikube stand-in's call log; see {@link MinikubeFixture#calls}. */
    public Path minikubeLog() {
        return minikubeLog;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

}
