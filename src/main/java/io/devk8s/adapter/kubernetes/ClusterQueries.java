package io.devk8s.adapter.kubernetes;

import io.devk8s.Devk8sException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Read-only questions to the API server: which objects of a kind carry a label selector, whether objects exist,
 * Deployments' state, Ingress hosts, a Service's nodePort, a Namespace's annotations, and what in a namespace
 * devk8s did not create. Kinds are {@link ApiResource}s (built-in or from discovery), read through fabric8's
 * generic resources, so any kind the server serves (CronJob, NetworkPolicy, custom resources) can be asked about.
 *
 * <p>A selector is sent to the API server as given and also applied locally ({@link LabelSelector#matches}), which
 * agrees with the server: a server (or mock) that ignores part of it ({@code notin}) changes nothing.
 */
final class ClusterQueries {
    private final KubeConnection connection;
    private final ApiDiscovery discovery;

    ClusterQueries(KubeConnection connection, ApiDiscovery discovery) {
        this.connection = connection;
        this.discovery = discovery;
    }

    /**
     * The live objects of {@code kind} carrying {@code selector}: in {@code namespace} (all namespaces when null)
     * for a namespaced kind, cluster-wide otherwise. A kind whose group the server does not serve (404), or that
     * it cannot list right now (an aggregated API that is down: 503, for a kind that is not built in), has no
     * objects.
     */
    List<GenericKubernetesResource> list(ApiResource kind, String namespace, LabelSelector selector) {
        try {
            var operation = connection.client().genericKubernetesResources(ApiDiscovery.context(kind));
            var listable = !kind.namespaced() ? operation
                    : namespace == null ? operation.inAnyNamespace() : operation.inNamespace(namespace);
            var items = selector.isEverything() ? listable.list().getItems()
                    : listable.withLabelSelector(selector.toString()).list().getItems();
            return items.stream().filter(o -> selector.matches(o.getMetadata().getLabels())).toList();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 405
                    || e.getCode() == 503 && ResourceKind.forKind(kind.kind()).isEmpty()) {
                return List.of();
            }
            throw ApiErrors.translate(null, e, connection);
        }
    }

    /** {@link #list} of each kind, listed at the same time; the lists in the kinds' order. */
    List<List<GenericKubernetesResource>> lists(Collection<ApiResource> kinds, String namespace,
            LabelSelector selector) {
        if (kinds.size() > 1) {
            connection.client(); // built once, here, before the calls share it
        }
        return ParallelCalls.each(List.copyOf(kinds), kind -> list(kind, namespace, selector));
    }

    /** The refs of {@link #list}, over several kinds, in the kinds' order. */
    List<ObjectRef> refs(String namespace, LabelSelector selector, Collection<ApiResource> kinds) {
        List<ObjectRef> refs = new ArrayList<>();
        List<ApiResource> ordered = List.copyOf(kinds);
        List<List<GenericKubernetesResource>> lists = lists(ordered, namespace, selector);
        for (int i = 0; i < ordered.size(); i++) {
            for (HasMetadata live : lists.get(i)) {
                refs.add(refOf(ordered.get(i), live));
            }
        }
        return refs;
    }

    static ObjectRef refOf(ApiResource kind, HasMetadata live) {
        return new ObjectRef(kind.kind(), kind.namespaced() ? live.getMetadata().getNamespace() : null,
                live.getMetadata().getName());
    }

    /** The kind of a ref: built-in, else from discovery; a kind the server does not serve is a usage error. */
    ApiResource kindOf(ObjectRef ref) {
        return discovery.forKind(ref.kind()).orElseThrow(() -> Devk8sException.usage(ref + ": the API server of"
                + " context '" + connection.context() + "' serves no kind " + ref.kind()
                + " (kinds are case-sensitive, e.g. Deployment, CronJob)"));
    }

    boolean exists(ObjectRef ref) {
        return labels(ref).isPresent();
    }

    /** The object's labels (empty map when it has none), or empty when it does not exist. */
    Optional<Map<String, String>> labels(ObjectRef ref) {
        return read(kindOf(ref), ref).map(live -> {
            Map<String, String> labels = live.getMetadata() == null ? null : live.getMetadata().getLabels();
            return labels == null ? Map.of() : labels;
        });
    }

    /** The object as it is now, or empty when it does not exist. */
    Optional<HasMetadata> read(ApiResource kind, ObjectRef ref) {
        try {
            var operation = connection.client().genericKubernetesResources(ApiDiscovery.context(kind));
            var resource = ref.namespace() == null || !kind.namespaced() ? operation.withName(ref.name())
                    : operation.inNamespace(ref.namespace()).withName(ref.name());
            return Optional.ofNullable(resource.get());
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ref, e, connection);
        }
    }

    Map<ObjectRef, Boolean> exist(Collection<ObjectRef> refs) {
        Map<ObjectRef, Boolean> result = new LinkedHashMap<>();
        for (ObjectRef ref : new LinkedHashSet<>(refs)) {
            result.put(ref, exists(ref));
        }
        return result;
    }

    Optional<DeploymentState> deployment(String namespace, String name) {
        try {
            Deployment d = connection.client().apps().deployments().inNamespace(namespace).withName(name).get();
            return Optional.ofNullable(d).map(Workloads::state);
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.namespaced("Deployment", namespace, name), e, connection);
        }
    }

    List<DeploymentState> deployments(String namespace, LabelSelector selector) {
        return typed(ResourceKind.DEPLOYMENT, Deployment.class, namespace, selector).stream()
                .map(Workloads::state)
                .sorted(Comparator.comparing(DeploymentState::name))
                .toList();
    }

    List<IngressHost> ingressHosts(String namespace, LabelSelector selector) {
        List<IngressHost> hosts = new ArrayList<>();
        List<Ingress> ingresses = typed(ResourceKind.INGRESS, Ingress.class, namespace, selector).stream()
                .sorted(Comparator.comparing(i -> i.getMetadata().getName()))
                .toList();
        for (Ingress ingress : ingresses) {
            var meta = ingress.getMetadata();
            String component = Applier.label(ingress, "app.kubernetes.io/name").orElse(null);
            String urlPath = Applier.annotation(ingress, IngressHost.URL_PATH_ANNOTATION);
            if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
                continue;
            }
            for (var rule : ingress.getSpec().getRules()) {
                if (rule.getHost() != null && !rule.getHost().isBlank()) {
                    hosts.add(new IngressHost(meta.getNamespace(), meta.getName(), component, rule.getHost(), urlPath));
                }
            }
        }
        return hosts;
    }

    private <T extends HasMetadata> List<T> typed(ResourceKind kind, Class<T> type, String namespace,
            LabelSelector selector) {
        try {
            var operation = connection.client().resources(type);
            var listable = namespace == null ? operation.inAnyNamespace() : operation.inNamespace(namespace);
            List<T> items = selector.isEverything() ? listable.list().getItems()
                    : listable.withLabelSelector(selector.toString()).list().getItems();
            return items.stream().filter(o -> selector.matches(o.getMetadata().getLabels())).toList();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw ApiErrors.translate(null, e, connection);
        }
    }

    Optional<Integer> nodePort(String namespace, String service, String portName) {
        Service live;
        try {
            live = connection.client().services().inNamespace(namespace).withName(service).get();
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.namespaced("Service", namespace, service), e, connection);
        }
        if (live == null || live.getSpec() == null || live.getSpec().getPorts() == null) {
            return Optional.empty();
        }
        return live.getSpec().getPorts().stream()
                .filter(p -> portName == null ? p.getNodePort() != null : portName.equals(p.getName()))
                .map(ServicePort::getNodePort)
                .filter(Objects::nonNull)
                .findFirst();
    }

    /** An annotation of a Namespace; empty when the namespace or the annotation does not exist. */
    Optional<String> namespaceAnnotation(String namespace, String key) {
        try {
            var ns = connection.client().namespaces().withName(namespace).get();
            return ns == null ? Optional.empty() : Optional.ofNullable(Applier.annotation(ns, key));
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.clusterScoped("Namespace", namespace), e, connection);
        }
    }

    /**
     * The objects of the given kinds in {@code namespace} that do not carry {@code selector}: what someone else
     * put there. Left out: objects a controller owns (their owner is judged instead), Events, and what Kubernetes
     * creates in every namespace (ServiceAccount {@code default}, ConfigMap {@code kube-root-ca.crt},
     * service-account token Secrets).
     */
    List<ObjectRef> unmanaged(String namespace, LabelSelector selector, Collection<ApiResource> kinds) {
        List<ObjectRef> foreign = new ArrayList<>();
        for (ApiResource kind : kinds) {
            if (!kind.namespaced() || !kind.can("list") || kind.kind().equals("Event")) {
                continue;
            }
            for (GenericKubernetesResource live : list(kind, namespace, LabelSelector.everything())) {
                var meta = live.getMetadata();
                boolean owned = meta.getOwnerReferences() != null && !meta.getOwnerReferences().isEmpty();
                if (!selector.matches(meta.getLabels()) && !owned && !createdByKubernetes(kind, live)) {
                    foreign.add(refOf(kind, live));
                }
            }
        }
        return foreign;
    }

    /** {@link #unmanaged} over every namespaced kind API discovery lists with the {@code list} verb. */
    List<ObjectRef> unmanaged(String namespace, LabelSelector selector) {
        return unmanaged(namespace, selector, discovery.all());
    }

    private static boolean createdByKubernetes(ApiResource kind, GenericKubernetesResource object) {
        String name = object.getMetadata().getName();
        boolean core = kind.group().isEmpty();
        return core && kind.kind().equals("ServiceAccount") && name.equals("default")
                || core && kind.kind().equals("ConfigMap") && name.equals("kube-root-ca.crt")
                || core && kind.kind().equals("Secret")
                        && "kubernetes.io/service-account-token".equals(object.getAdditionalProperties().get("type"))
                // Endpoints and EndpointSlices mirror a Service; Leases and Events are written by controllers
                || core && kind.kind().equals("Endpoints")
                || kind.group().equals("discovery.k8s.io") || kind.group().equals("events.k8s.io")
                || kind.group().equals("coordination.k8s.io");
    }
}
