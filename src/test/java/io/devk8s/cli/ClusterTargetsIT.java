package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.devk8s.ExitCode;
import io.devk8s.adapter.docker.DockerDaemon;
import io.devk8s.support.CliRunner;
import io.devk8s.support.MinikubeFixture;
import io.devk8s.support.MockCluster;
import io.devk8s.support.MockKubernetes;
import io.devk8s.support.Processes;
import io.devk8s.support.TestDockerEngine;
import io.devk8s.support.TestRegistry;
import io.devk8s.support.ToolFixtures;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
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
 * {@code devk8s deploy} on the cluster targets through the real CLI and a real Docker engine (the host's daemon,
 * {@code DOCKER_HOST}): kind and k3d through their stand-ins (fixtures/bin/kind, k3d: they print what the real tools
 * print, check the image in the same engine and log their arguments), and a registry target against a real registry
 * (Debian's docker-registry on localhost, with and without htpasswd auth, credentials from a docker config file and
 * from a credential helper). The Kubernetes API is fabric8's mock server: it stores the Nodes' status.images the test
 * writes and simulates the Deployment rollout; it runs no kubelet, so no image is ever pulled from a node.
 */
@Tag("docker")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusterTargetsIT {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    private MockKubernetes mock;
    private CliRunner cli;
    private Path project;
    private Path bin;
    private String unique;
    private String repository;
    private String base;
    private final List<TestRegistry> registries = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        if (!Files.isRegularFile(BUSYBOX)) {
            fail(BUSYBOX + " is missing: install busybox-static (scripts/test.sh does)");
        }
        mock = cluster.mock();
        bin = cluster.dir().resolve("bin");
        for (String tool : List.of("kind", "k3d", "docker-credential-devk8stest")) {
            ToolFixtures.install(bin, tool);
        }
        unique = UUID.randomUUID().toString().substring(0, 8);
        repository = "devk8s-it/web-" + unique;
        base = "devk8s-it/base-" + unique + ":1";
        try (DockerDaemon daemon = DockerDaemon.ofHost(TestDockerEngine.cleanEnvironment(cluster.dir(),
                Map.of("DOCKER_HOST", TestDockerEngine.unixHost())))) {
            TestDockerEngine.buildBusyboxBase(daemon, cluster.dir().resolve("base"), base);
        }
        project = Files.createDirectories(cluster.dir().resolve("project"));
        Files.writeString(project.resolve("devk8s.yaml"), """
                project: targets
                apps:
                  - name: web
                    image: %s
                    context: .
                    dockerfile: Dockerfile
                    buildArgs: {BASE: "%s"}
                    manifests: [deploy.yaml]
                """.formatted(repository, base));
        Files.writeString(project.resolve("Dockerfile"), "ARG BASE\nFROM ${BASE}\nCOPY hello.txt /hello.txt\n");
        Files.writeString(project.resolve("hello.txt"), "hello\n");
        Files.writeString(project.resolve("deploy.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: ${NAMESPACE}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: ${IMAGE}
                          imagePullPolicy: IfNotPresent
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: web
                  namespace: ${NAMESPACE}
                spec:
                  rules:
                    - host: web.${DOMAIN}
                      http:
                        paths:
                          - path: /
                            pathType: Prefix
                            backend: {service: {name: web, port: {number: 80}}}
                """);
        cli = cluster.cli().workDir(project)
                .env("DOCKER_HOST", TestDockerEngine.unixHost())
                .env("DOCKER_CONFIG", Files.createDirectories(cluster.dir().resolve("docker-config")).toString())
                .env("FIXTURE_KIND_LOG", cluster.dir().resolve("kind.log").toString())
                .env("FIXTURE_K3D_LOG", cluster.dir().resolve("k3d.log").toString())
                .env("FIXTURE_CRED_LOG", cluster.dir().resolve("cred.log").toString());
        mock.startController();
    }

    @AfterEach
    void cleanUp() throws Exception {
        mock.stopController();
        for (TestRegistry r : registries) {
            r.close();
        }
        var listed = docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}");
        for (String line : listed.out().lines().toList()) {
            if (line.contains(unique)) {
                docker("rmi", "-f", line.substring(0, line.indexOf(' ')));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ kind, k3d

    @Test
    void should_build_on_the_host_then_kind_load_and_skip_the_load_while_every_node_lists_the_image()
            throws Exception {
        useContext("kind-dev");
        cli.env("FIXTURE_KIND_CLUSTERS", "dev");
        String image = repository + ":v1";

        CliRunner.Result first = deploy(ExitCode.OK);
        assertTrue(first.err().contains("target: kind cluster dev"), first.err());
        assertEquals(List.of("load docker-image --name dev " + image), calls("kind.log"), first.err());
        assertTrue(first.err().contains("loaded " + image + " into kind cluster dev"), first.err());
        assertEquals(image, deployedImage());
        assertEquals(0, docker("image", "inspect", image).exitCode(), "built in the host's daemon");
        String hosts = Files.readString(cluster.hosts());
        assertTrue(hosts.lines().anyMatch(l -> l.startsWith("127.0.0.1") && l.contains("web.minikube")), hosts);

        // the node now lists it (as containerd names it): unchanged image, no load
        addNode("dev-control-plane", "docker.io/" + image);
        CliRunner.Result second = deploy(ExitCode.OK);
        assertTrue(second.err().contains("image " + image + " unchanged"), second.err());
        assertTrue(second.err().contains("is on every node of kind cluster dev"), second.err());
        assertEquals(1, calls("kind.log").size(), second.err());

        // a second node without it (a new worker): loaded again
        addNode("dev-worker", "docker.io/library/busybox:1.36");
        CliRunner.Result third = deploy(ExitCode.OK);
        assertEquals(2, calls("kind.log").size(), third.err());

        // --no-build: nothing built, but a node that lacks the image (another new worker) still gets it loaded
        addNode("dev-worker2", "docker.io/library/busybox:1.36");
        CliRunner.Result unbuilt = deploy(ExitCode.OK, "--no-build");
        assertFalse(unbuilt.err().contains("building "), unbuilt.err());
        assertEquals(3, calls("kind.log").size(), unbuilt.err());
        assertTrue(unbuilt.err().contains("loaded " + image + " into kind cluster dev"), unbuilt.err());
        assertEquals(image, deployedImage());
    }

    @Test
    void should_load_an_image_archive_when_the_daemon_uses_the_containerd_image_store() throws Exception {
        useContext("kind-dev");
        cli.env("FIXTURE_KIND_CLUSTERS", "dev").env("FIXTURE_KIND_CONTAINERD_STORE", "1");
        CliRunner.Result r = deploy(ExitCode.OK);
        List<String> calls = calls("kind.log");
        assertEquals(3, calls.size(), calls + r.err());
        assertEquals("load docker-image --name dev " + repository + ":v1", calls.get(0));
        assertTrue(calls.get(1).startsWith("load image-archive --name dev /"), calls.toString());
        assertTrue(calls.get(2).contains("manifest.json"), "a docker save archive: " + calls);
        assertTrue(r.err().contains("containerd image store"), r.err());
        String archive = calls.get(1).substring(calls.get(1).lastIndexOf(' ') + 1);
        assertFalse(Files.exists(Path.of(archive)), "the temporary archive is removed");
    }

    @Test
    void should_stop_in_one_line_when_the_kind_cluster_does_not_exist_and_apply_nothing() throws Exception {
        useContext("kind-dev");
        cli.env("FIXTURE_KIND_CLUSTERS", "other");
        CliRunner.Result r = deploy(ExitCode.FAILURE);
        String last = r.errLines().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("kind load docker-image --name dev") && last.contains("no nodes found for cluster"),
                r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(List.of(), mock.writes().stream().filter(w -> !w.isDryRun()).toList());
    }

    @Test
    void should_build_on_the_host_then_k3d_image_import() throws Exception {
        useContext("k3d-dev");
        cli.env("FIXTURE_K3D_CLUSTERS", "dev");
        CliRunner.Result r = deploy(ExitCode.OK);
        assertEquals(List.of("image import -c dev " + repository + ":v1"), calls("k3d.log"), r.err());
        assertTrue(r.err().contains("loaded " + repository + ":v1 into k3d cluster dev"), r.err());
        assertEquals(repository + ":v1", deployedImage());
    }

    // ------------------------------------------------------------------------------------------ registry

    @Test
    void should_push_to_a_registry_and_deploy_by_digest_so_a_repush_of_the_same_tag_rolls_out() throws Exception {
        TestRegistry registry = registry(null, null);
        useContext("shared");
        String image = registry.host() + "/" + repository + ":v1";

        CliRunner.Result first = deploy(ExitCode.OK, "--allow-context", "shared", "--registry", registry.host());
        assertTrue(first.err().contains("context: shared (") && first.err().contains("not a local cluster"),
                first.err());
        assertTrue(first.err().contains("target: registry " + registry.host()), first.err());
        String digest = registry.digest(repository, "v1").orElseThrow(() -> new AssertionError(first.err()));
        assertEquals(registry.host() + "/" + repository + "@" + digest, deployedImage());
        assertTrue(first.err().contains("pushed " + image), first.err());
        assertTrue(first.err().contains("hosts: not written for shared"), first.err());

        // same tag, new content: a new digest, and the Deployment follows it
        Files.writeString(project.resolve("hello.txt"), "hello again\n");
        CliRunner.Result second = deploy(ExitCode.OK, "--allow-context", "shared", "--registry", registry.host());
        String digest2 = registry.digest(repository, "v1").orElseThrow();
        assertFalse(digest.equals(digest2), second.err());
        assertEquals(registry.host() + "/" + repository + "@" + digest2, deployedImage());
    }

    @Test
    void should_take_the_registry_from_the_clusters_local_registry_hosting_config_map() throws Exception {
        TestRegistry registry = registry(null, null);
        useContext("kind-dev");
        mock.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("kube-public")
                .endMetadata().build()).create();
        mock.admin().configMaps().inNamespace("kube-public").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("local-registry-hosting").endMetadata()
                .addToData("localRegistryHosting.v1", "host: \"" + registry.host() + "\"\n"
                        + "hostFromContainerRuntime: \"kind-registry:5000\"\n"
                        + "help: \"https://kind.sigs.k8s.io/docs/user/local-registry/\"\n")
                .build()).create();
        CliRunner.Result r = deploy(ExitCode.OK, "--target", "registry");
        assertTrue(r.err().contains("from ConfigMap kube-public/local-registry-hosting"), r.err());
        String digest = registry.digest(repository, "v1").orElseThrow(() -> new AssertionError(r.err()));
        // pushed from the host to `host`, pulled by the node from `hostFromContainerRuntime`
        assertEquals("kind-registry:5000/" + repository + "@" + digest, deployedImage());
        assertEquals(List.of(), calls("kind.log"));
    }

    @Test
    void should_refuse_a_push_without_credentials_in_one_line_naming_the_registry_and_the_fix() throws Exception {
        TestRegistry registry = registry("dev", "s3cret");
        assertEquals(401, registry.anonymousStatus());
        CliRunner.Result r = deploy(ExitCode.PRECONDITION, "--registry", registry.host());
        String last = r.errLines().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("registry " + registry.host() + " refused the push")
                && last.contains("docker login " + registry.host()), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(List.of(), mock.writes().stream().filter(w -> !w.isDryRun()).toList());
        assertTrue(registry.digest(repository, "v1").isEmpty());
    }

    @Test
    void should_stop_at_a_missing_credential_helper_before_building_or_writing_anything() throws Exception {
        TestRegistry registry = registry("dev", "s3cret");
        Files.writeString(cluster.dir().resolve("docker-config/config.json"),
                "{\"auths\": {}, \"credHelpers\": {\"" + registry.host() + "\": \"nosuchhelper\"}}");
        CliRunner.Result r = deploy(ExitCode.PRECONDITION, "--registry", registry.host());
        assertTrue(r.errLines().contains("docker-credential-nosuchhelper for " + registry.host()
                + ", which is not on PATH"), r.err());
        assertFalse(r.err().contains("building"), "nothing is built first: " + r.err());
        assertEquals(List.of(), mock.writes().stream().filter(w -> !w.isDryRun()).toList());
    }

    @Test
    void should_push_with_the_docker_config_files_auths_entry() throws Exception {
        TestRegistry registry = registry("dev", "s3cret");
        String auth = Base64.getEncoder().encodeToString("dev:s3cret".getBytes(StandardCharsets.UTF_8));
        Files.writeString(cluster.dir().resolve("docker-config/config.json"),
                "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"" + auth + "\"}}}");
        CliRunner.Result r = deploy(ExitCode.OK, "--registry", registry.host());
        String digest = registry.digest(repository, "v1").orElseThrow(() -> new AssertionError(r.err()));
        assertEquals(registry.host() + "/" + repository + "@" + digest, deployedImage());
    }

    @Test
    void should_push_with_credentials_from_a_credential_helper() throws Exception {
        TestRegistry registry = registry("dev", "s3cret");
        Files.writeString(cluster.dir().resolve("docker-config/config.json"),
                "{\"auths\": {}, \"credHelpers\": {\"" + registry.host() + "\": \"devk8stest\"}}");
        cli.env("FIXTURE_CRED_SERVER", registry.host()).env("FIXTURE_CRED_USER", "dev")
                .env("FIXTURE_CRED_SECRET", "s3cret");
        CliRunner.Result r = deploy(ExitCode.OK, "--registry", registry.host());
        assertEquals(List.of("get " + registry.host()), calls("cred.log"), r.err());
        String digest = registry.digest(repository, "v1").orElseThrow(() -> new AssertionError(r.err()));
        assertEquals(registry.host() + "/" + repository + "@" + digest, deployedImage());

        // a wrong secret from the helper: refused, in one line naming the helper's registry and the fix
        cli.env("FIXTURE_CRED_SECRET", "wrong");
        Files.writeString(project.resolve("hello.txt"), "changed\n");
        CliRunner.Result refused = deploy(ExitCode.PRECONDITION, "--registry", registry.host());
        String last = refused.errLines().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("refused the push") && last.contains("docker-credential-devk8stest"), refused.err());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private CliRunner.Result deploy(int expected, String... extra) {
        List<String> args = new ArrayList<>(List.of("deploy", "--hosts-file", cluster.hosts().toString(),
                "--timeout", "30s", "--tag", "v1"));
        args.addAll(List.of(extra));
        return cli.runAndExpect(expected, args.toArray(String[]::new));
    }

    private void useContext(String name) {
        MockKubernetes.writeKubeconfig(cluster.kubeconfig(), name, Map.of(name, mock.url()));
    }

    private TestRegistry registry(String user, String password) throws Exception {
        TestRegistry r = TestRegistry.start(cluster.dir(), user, password);
        registries.add(r);
        return r;
    }

    private void addNode(String name, String... images) {
        Node node = new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withImages(new ContainerImageBuilder().withNames(images).withSizeBytes(1000L).build())
                .endStatus().build();
        mock.admin().nodes().resource(node).create();
    }

    private String deployedImage() {
        Deployment d = mock.admin().apps().deployments().inNamespace("default").withName("web").get();
        assertNotNull(d, "no Deployment web");
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private List<String> calls(String log) {
        return MinikubeFixture.calls(cluster.dir().resolve(log));
    }

    private Processes.Result docker(String... args) {
        return TestDockerEngine.cli("docker", cluster.dir(), cluster.dir().resolve("docker-config-cli"), args);
    }
}
