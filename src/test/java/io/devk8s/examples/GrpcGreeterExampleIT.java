package io.devk8s.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.devk8s.ExitCode;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.adapter.docker.DockerEngine;
import io.devk8s.config.ProjectFileLoader;
import io.devk8s.service.DeployService;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.Processes;
import io.devk8s.support.TestDockerEngine;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devk8s deploy} of apps without {@code manifests:}, end to end through the real CLI: examples/grpc-greeter
 * ({@code kind: grpc}; its Go gRPC server built offline in GOPATH mode from Debian's golang-google-grpc-dev) and
 * examples/helloworld with its manifests line removed ({@code kind: http}). The build command runs on the host, the
 * image is built in a real Docker engine reached the way Minikube's is (the minikube stand-in's {@code docker-env}),
 * and the default templates are applied to fabric8's mock API server (discovery, server-side dry run and apply, a
 * simulated Deployment controller). The mock cannot run pods: the probes are checked as objects, never executed, and
 * the image is run here with the docker CLI instead. The base image is made from busybox: no registry is reachable.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GrpcGreeterExampleIT {
    private static final Path EXAMPLES = Path.of(System.getProperty("devk8s.project.dir", ".")).resolve("examples")
            .toAbsolutePath().normalize();
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private MockKubernetes mock;
    private String base;
    private final List<String> images = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        if (!Files.isRegularFile(BUSYBOX)) {
            fail(BUSYBOX + " is missing: install busybox-static (scripts/test.sh does)");
        }
        mock = cluster.mock();
        Path home = cluster.dir().resolve("home");
        TestDockerEngine.minikubeCerts(home);
        base = "devk8s-it/busybox-base:" + UUID.randomUUID().toString().substring(0, 8);
        try (DockerDaemon daemon = daemon()) {
            TestDockerEngine.buildBusyboxBase(daemon, cluster.dir().resolve("base"), base);
        }
        images.add(base);
    }

    @AfterEach
    void removeImages() throws Exception {
        mock.stopController();
        List<String> ids = new ArrayList<>(images);
        var listed = docker("images", "-q", "--filter", "label=" + DeployService.BUILD_INPUTS_LABEL);
        ids.addAll(listed.out().lines().filter(l -> !l.isBlank()).toList());
        for (String i : ids) {
            docker("rmi", "-f", i);
        }
    }

    @Test
    void should_build_and_deploy_the_grpc_greeter_with_the_default_grpc_templates() throws Exception {
        Path project = project("grpc-greeter", p -> { });
        assertEquals(List.of(), new ProjectFileLoader().load(project.resolve("devk8s.yaml")).app("greeter")
                .orElseThrow().manifestGlobs(), "the example shows the default templates");
        mock.startController();
        CliRunner.Result r = deploy(project, ExitCode.OK, "greeter");

        // the image: the Go server built for the daemon's platform, in the engine, with the version tag
        String image = "greeter:v0.1.0";
        assertTrue(r.err().contains("building " + image + " "), r.err());
        var run = docker("run", "--rm", "--network", "none", image, "-version");
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.out().strip().startsWith("v0.1.0-"), run.out());

        // the objects of templates/app/grpc on the (mock) API server
        var api = mock.admin();
        Deployment d = api.apps().deployments().inNamespace("default").withName("greeter").get();
        assertNotNull(d, r.out() + r.err());
        Service s = api.services().inNamespace("default").withName("greeter").get();
        Ingress ingress = api.network().v1().ingresses().inNamespace("default").withName("greeter").get();
        ServiceAccount sa = api.serviceAccounts().inNamespace("default").withName("greeter").get();
        Role role = api.rbac().roles().inNamespace("default").withName("greeter-endpoints").get();
        RoleBinding binding = api.rbac().roleBindings().inNamespace("default").withName("greeter-endpoints").get();
        for (HasMetadata o : new HasMetadata[] {d, s, ingress, sa, role, binding}) {
            assertNotNull(o, r.err());
            Map<String, String> l = o.getMetadata().getLabels();
            assertEquals("examples", l.get("appgroup"), o.getKind());
            assertEquals("greeter", l.get("app"), o.getKind());
            assertEquals("devk8s", l.get("app.kubernetes.io/managed-by"), o.getKind());
        }
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(image, c.getImage());
        assertEquals("IfNotPresent", c.getImagePullPolicy());
        assertEquals(8080, c.getReadinessProbe().getGrpc().getPort());
        assertEquals(8080, c.getLivenessProbe().getGrpc().getPort());
        assertNull(c.getReadinessProbe().getHttpGet());
        assertEquals("greeter", d.getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals("9090", d.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/port"));
        assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("OTEL_EXPORTER_OTLP_ENDPOINT")
                && e.getValue().equals("http://jaeger.devk8s.svc:4318")), c.getEnv().toString());
        assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("GREETING") && e.getValue().equals("hello")));

        assertEquals("None", s.getSpec().getClusterIP());
        assertEquals("h2c", s.getMetadata().getAnnotations().get("traefik.ingress.kubernetes.io/service.serversscheme"));
        assertEquals("greeter.minikube", ingress.getSpec().getRules().get(0).getHost());
        assertEquals(List.of("discovery.k8s.io"), role.getRules().get(0).getApiGroups());
        assertEquals(List.of("endpointslices"), role.getRules().get(0).getResources());
        assertEquals(List.of("get", "list", "watch"), role.getRules().get(0).getVerbs());
        assertEquals(List.of("endpoints"), role.getRules().get(1).getResources());
        assertEquals("greeter", binding.getSubjects().get(0).getName());
        assertEquals("greeter-endpoints", binding.getRoleRef().getName());

        // rolled out, URL printed, the host in the hosts block
        assertTrue(r.err().contains("greeter: rolled out"), r.err());
        assertTrue(r.out().contains("http://greeter.minikube/"), r.out());
        assertTrue(Files.readString(cluster.hosts()).contains("greeter.minikube"), Files.readString(cluster.hosts()));

        // nothing changed: nothing built, nothing written
        mock.clearRequests();
        CliRunner.Result again = deploy(project, ExitCode.OK, "greeter");
        assertTrue(again.err().contains("image " + image + " unchanged"), again.err());
        assertEquals(List.of(), mock.writes(), again.err());
    }

    @Test
    void should_deploy_helloworld_without_its_manifests_with_the_default_http_templates() throws Exception {
        Path project = project("helloworld", p -> {
            Path file = p.resolve("devk8s.yaml");
            String text = Files.readString(file);
            assertTrue(text.contains("    manifests: [deployment/*.yaml]\n"), text);
            Files.writeString(file, text.replace("    manifests: [deployment/*.yaml]\n", ""));
        });
        mock.startController();
        CliRunner.Result r = deploy(project, ExitCode.OK, "helloworld");

        Deployment d = mock.admin().apps().deployments().inNamespace("default").withName("helloworld").get();
        assertNotNull(d, r.err());
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("helloworld:v0.1.0", c.getImage());
        assertEquals("IfNotPresent", c.getImagePullPolicy());
        assertEquals("/healthz", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("true", d.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/scrape"));
        Service s = mock.admin().services().inNamespace("default").withName("helloworld").get();
        assertFalse("None".equals(s.getSpec().getClusterIP()), "an http app's Service is not headless");
        Ingress ingress = mock.admin().network().v1().ingresses().inNamespace("default").withName("helloworld").get();
        assertEquals("helloworld.minikube", ingress.getSpec().getRules().get(0).getHost());
        assertNull(mock.admin().serviceAccounts().inNamespace("default").withName("helloworld").get(),
                "no ServiceAccount for kind http");
        assertTrue(r.out().contains("http://helloworld.minikube/"), r.out());

        // the container answers on the port and path the default templates probe (run here: the mock runs no pods)
        String image = "helloworld:v0.1.0";
        var probe = docker("run", "--rm", "--network", "none", "--entrypoint", "/bin/busybox", image, "sh", "-c",
                "/helloworld & for i in 1 2 3 4 5 6 7 8 9 10; do /bin/busybox wget -q -O - http://127.0.0.1:8080/healthz"
                        + " && exit 0; /bin/busybox sleep 0.5; done; exit 1");
        assertEquals(0, probe.exitCode(), probe.describe());
        assertEquals("ok", probe.out().strip());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private CliRunner.Result deploy(Path project, int expected, String... extra) {
        CliRunner cli = cluster.cli().workDir(project)
                .env("FIXTURE_MINIKUBE_DOCKER_PORT", String.valueOf(URI.create(TestDockerEngine.tlsHost()).getPort()))
                .env("GOTOOLCHAIN", "local").env("GOPROXY", "off").env("GOSUMDB", "off").env("GOPATH", null)
                .env("GOFLAGS", null);
        List<String> args = new ArrayList<>(List.of("deploy", "--hosts-file", cluster.hosts().toString(),
                "--timeout", "30s", "--build-arg", "BASE=" + base));
        args.addAll(List.of(extra));
        return cli.runAndExpect(expected, args.toArray(String[]::new));
    }

    private interface Edit {
        void apply(Path project) throws Exception;
    }

    /** The example copied, edited, and committed into a git repository tagged v0.1.0 (so the version is known). */
    private Path project(String example, Edit edit) throws Exception {
        Path project = cluster.dir().resolve(example);
        io.devk8s.support.ExampleCopies.copyTree(EXAMPLES.resolve(example), project);
        edit.apply(project);
        git(project, "init", "-q");
        git(project, "add", "-A");
        git(project, "commit", "-q", "-m", "example");
        git(project, "tag", "v0.1.0");
        return project;
    }

    private DockerDaemon daemon() {
        return DockerDaemon.connect(DockerEngine.fromMinikube(Map.of("DOCKER_TLS_VERIFY", "1",
                "DOCKER_HOST", TestDockerEngine.tlsHost(), "DOCKER_CERT_PATH", TestDockerEngine.certPath().toString()),
                TestDockerEngine.cleanEnvironment(cluster.dir(), Map.of())));
    }

    private void git(Path project, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", project.toString(), "-c", "user.name=t", "-c",
                "user.email=t@example.com", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"));
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", cluster.dir().toString());
        var r = Processes.run(cmd, env, cluster.dir(), "git-" + UUID.randomUUID());
        assertEquals(0, r.exitCode(), r.describe());
    }

    private Processes.Result docker(String... args) {
        return TestDockerEngine.cli("docker", cluster.dir(), cluster.dir().resolve("docker-config"), args);
    }
}
