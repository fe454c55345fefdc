package io.devk8s.service;

import java.util.List;
import java.util.Optional;

/**
 * What the bundled stack is made of, defined once: its components in stack order, the host and UI path of each,
 * the Service it is reached through, the labels and annotations devk8s puts on what it creates, and the
 * cluster-scoped objects a stack owns. The templates under {@code templates/stack} follow these names.
 */
public final class StackCatalog {
    private StackCatalog() {}

    /** One component of the stack: its Deployment name, the first label of its host and its UI path. */
    public record Component(String name, String hostLabel, String uiPath) {
        /** {@code hostLabel.domain}, e.g. {@code traefik-ui.minikube}. */
        public String host(String domain) {
            return hostLabel + "." + domain;
        }
    }

    public static final Component TRAEFIK = new Component("traefik", "traefik-ui", "/dashboard/");
    public static final Component PROMETHEUS = new Component("prometheus", "prometheus", "/");
    public static final Component GRAFANA = new Component("grafana", "grafana", "/");
    public static final Component JAEGER = new Component("jaeger", "jaeger", "/");

    /** The components, in stack order (the order of the URLs, the status table and the hosts block). */
    public static final List<Component> COMPONENTS = List.of(TRAEFIK, PROMETHEUS, GRAFANA, JAEGER);

    /** The component names, in stack order. */
    public static final List<String> COMPONENT_NAMES = COMPONENTS.stream().map(Component::name).toList();

    /** The first labels of the stack's hosts, in stack order. */
    public static final List<String> HOST_LABELS = COMPONENTS.stream().map(Component::hostLabel).toList();

    /** The Service and port the stack is reached through; a nodePort other than 80 goes into every URL. */
    public static final String TRAEFIK_SERVICE = "traefik";
    public static final String TRAEFIK_PORT = "web";

    /** The labels on everything devk8s creates; {@link #INSTANCE_LABEL} holds the stack's namespace. */
    public static final String PART_OF_LABEL = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    public static final String DEVK8S = "devk8s";
    public static final List<String> LABELS = List.of(NAME_LABEL, INSTANCE_LABEL, PART_OF_LABEL, MANAGED_BY_LABEL);

    /** On the stack's Namespace: the components {@code devk8s up} deployed (see templates/stack/namespace.yaml). */
    public static final String COMPONENTS_ANNOTATION = "devk8s.io/components";

    /** The selector of every stack's objects. */
    public static final String STACK_SELECTOR = PART_OF_LABEL + "=" + DEVK8S + "," + MANAGED_BY_LABEL + "=" + DEVK8S;

    /** The selector of one stack's objects: the stack in {@code namespace}. */
    public static String stackSelector(String namespace) {
        return STACK_SELECTOR + "," + INSTANCE_LABEL + "=" + namespace;
    }

    /** The component by name, if it is one of the stack's. */
    public static Optional<Component> component(String name) {
        return COMPONENTS.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The UI path of a component's host: its own, or {@code /} for anything else. */
    public static String uiPath(String component) {
        return component(component).map(Component::uiPath).orElse("/");
    }

    /** Index in stack order; {@link Integer#MAX_VALUE} for anything that is not a stack component. */
    public static int order(String component) {
        int i = COMPONENT_NAMES.indexOf(component);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    /** The IngressClass the stack's Ingresses name: one per cluster, shared by every stack. */
    public static final String INGRESS_CLASS = "traefik";

    /**
     * The names of a component's ClusterRoles (each with a ClusterRoleBinding of the same name): the namespace
     * is part of the name, so two stacks never share one (see templates/stack/traefik/rbac.yaml).
     */
    public static List<String> clusterRoles(String component, String namespace) {
        return component.equals(TRAEFIK.name()) || component.equals(PROMETHEUS.name())
                ? List.of(namespace + "-" + component) : List.of();
    }
}
