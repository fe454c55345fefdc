package io.devk8s.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes kubeconfig files for tests: one cluster and one user per context (each named like the context), a
 * token user, and optionally a namespace, a CA file or TLS verification switched off.
 *
 * <pre>{@code Kubeconfig.with("minikube", mock.url()).insecure().write(dir.resolve("kubeconfig"))}</pre>
 */
public final class Kubeconfig {
    private record Context(String name, String server, String namespace, String caFile, boolean insecure,
                           String cluster, String caData) {
        Context(String name, String server, String namespace, String caFile, boolean insecure) {
            this(name, server, namespace, caFile, insecure, name, null);
        }

        Context with(String newCluster, String newCaData) {
            return new Context(name, server, namespace, caFile, insecure, newCluster, newCaData);
        }
    }

    private final List<Context> contexts = new ArrayList<>();
    private String current;

    private Kubeconfig() {}

    /** A kubeconfig without contexts yet. */
    public static Kubeconfig create() {
        return new Kubeconfig();
    }

    /** A kubeconfig whose current context is {@code context}, on {@code server}. */
    public static Kubeconfig with(String context, String server) {
        return new Kubeconfig().context(context, server);
    }

    /** Adds a context (the first one added is the current one unless {@link #current} says otherwise). */
    public Kubeconfig context(String name, String server) {
        contexts.add(new Context(name, server, null, null, false));
        if (current == null) {
            current = name;
        }
        return this;
    }

    public Kubeconfig current(String name) {
        current = name;
        return this;
    }

    /** The last added context's default namespace. */
    public Kubeconfig namespace(String namespace) {
        return replaceLast(c -> new Context(c.name(), c.server(), namespace, c.caFile(), c.insecure(), c.cluster(),
                c.caData()));
    }

    /** The last added context's cluster CA file. */
    public Kubeconfig caFile(String path) {
        return replaceLast(c -> new Context(c.name(), c.server(), c.namespace(), path, c.insecure(), c.cluster(),
                c.caData()));
    }

    /** The last added context's cluster entry is named {@code cluster} (default: the context's name). */
    public Kubeconfig clusterName(String cluster) {
        return replaceLast(c -> c.with(cluster, c.caData()));
    }

    /** The last added context's cluster carries {@code certificate-authority-data}. */
    public Kubeconfig caData(String base64) {
        return replaceLast(c -> c.with(c.cluster(), base64));
    }

    /** The last added context skips TLS verification (the mock API server's self-signed certificate). */
    public Kubeconfig insecure() {
        return replaceLast(c -> new Context(c.name(), c.server(), c.namespace(), c.caFile(), true, c.cluster(),
                c.caData()));
    }

    /** Every context skips TLS verification. */
    public Kubeconfig allInsecure() {
        contexts.replaceAll(c -> new Context(c.name(), c.server(), c.namespace(), c.caFile(), true, c.cluster(),
                c.caData()));
        return this;
    }

    public String yaml() {
        StringBuilder y = new StringBuilder("apiVersion: v1\nkind: Config\n");
        y.append("current-context: ").append(current).append('\n');
        y.append("clusters:\n");
        for (Context c : contexts) {
            y.append("- name: ").append(c.cluster()).append("\n  cluster:\n    server: \"").append(c.server()).append("\"\n");
            if (c.insecure()) {
                y.append("    insecure-skip-tls-verify: true\n");
            }
            if (c.caFile() != null) {
                y.append("    certificate-authority: \"").append(c.caFile()).append("\"\n");
            }
            if (c.caData() != null) {
                y.append("    certificate-authority-data: ").append(c.caData()).append('\n');
            }
        }
        y.append("contexts:\n");
        for (Context c : contexts) {
            y.append("- name: ").append(c.name()).append("\n  context:\n    cluster: ").append(c.cluster())
                    .append("\n    user: ").append(c.name()).append('\n');
            if (c.namespace() != null) {
                y.append("    namespace: ").append(c.namespace()).append('\n');
            }
        }
        y.append("users:\n");
        for (Context c : contexts) {
            y.append("- name: ").append(c.name()).append("\n  user:\n    token: mock-token-").append(c.name()).append('\n');
        }
        return y.toString();
    }

    /** Writes the file (creating its folder) and returns it. */
    public Path write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, yaml());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Kubeconfig replaceLast(java.util.function.UnaryOperator<Context> change) {
        contexts.set(contexts.size() - 1, change.apply(contexts.get(contexts.size() - 1)));
        return this;
    }
}
