package io.devk8s.adapter.kubernetes;

/** Small rendered manifests shaped like the devk8s stack, for the mock API tests. */
final class StackManifests {
    /** The built-in kinds {@code up} prunes (the stack policy's list, repeated here: tests of the adapter alone). */
    static final java.util.List<ResourceKind> PRUNABLE = java.util.List.of(ResourceKind.DEPLOYMENT,
            ResourceKind.STATEFUL_SET, ResourceKind.DAEMON_SET, ResourceKind.JOB, ResourceKind.SERVICE,
            ResourceKind.INGRESS, ResourceKind.CONFIG_MAP, ResourceKind.SECRET, ResourceKind.SERVICE_ACCOUNT,
            ResourceKind.ROLE, ResourceKind.ROLE_BINDING, ResourceKind.CLUSTER_ROLE, ResourceKind.CLUSTER_ROLE_BINDING,
            ResourceKind.INGRESS_CLASS);
    /** The built-in kinds {@code down} deletes, in its order. */
    static final java.util.List<ResourceKind> TEARDOWN = java.util.List.of(ResourceKind.DEPLOYMENT,
            ResourceKind.STATEFUL_SET, ResourceKind.DAEMON_SET, ResourceKind.JOB, ResourceKind.REPLICA_SET,
            ResourceKind.POD, ResourceKind.SERVICE, ResourceKind.INGRESS, ResourceKind.CONFIG_MAP, ResourceKind.SECRET,
            ResourceKind.SERVICE_ACCOUNT, ResourceKind.ROLE, ResourceKind.ROLE_BINDING,
            ResourceKind.PERSISTENT_VOLUME_CLAIM, ResourceKind.CLUSTER_ROLE, ResourceKind.CLUSTER_ROLE_BINDING,
            ResourceKind.INGRESS_CLASS);

    /** The kinds as discovery would list them, without PersistentVolumeClaims when {@code keepPvcs}. */
    static java.util.List<ApiResource> resources(java.util.List<ResourceKind> kinds, boolean keepPvcs) {
        return kinds.stream().filter(k -> !(keepPvcs && k == ResourceKind.PERSISTENT_VOLUME_CLAIM))
                .map(ResourceKind::resource).toList();
    }
    private StackManifests() {
    }

    static final String LABELS = """
              labels:
                app.kubernetes.io/part-of: devk8s
                app.kubernetes.io/managed-by: devk8s
            """;

    static String namespace() {
        return """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: devk8s
                """ + LABELS;
    }

    static String configMap(String name, String value) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: devk8s
                %sdata:
                  setting: "%s"
                """.formatted(name, LABELS, value);
    }

    static String deployment(String name, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  namespace: devk8s
                %3$sspec:
                  replicas: 1
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: %1$s
                  template:
                    metadata:
                      labels:
                        app.kubernetes.io/name: %1$s
                        app.kubernetes.io/part-of: devk8s
                        app.kubernetes.io/managed-by: devk8s
                    spec:
                      containers:
                      - name: %1$s
                        image: %2$s
                """.formatted(name, image, LABELS);
    }

    static String nodePortService(String name, int nodePort) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s
                  namespace: devk8s
                %3$sspec:
                  type: NodePort
                  selector:
                    app.kubernetes.io/name: %1$s
                  ports:
                  - name: web
                    port: 80
                    targetPort: 8000
                    nodePort: %2$d
                """.formatted(name, nodePort, LABELS);
    }

    static String clusterRole(String name) {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: %s
                %srules:
                - apiGroups: [""]
                  resources: ["services", "endpoints"]
                  verbs: ["get", "list", "watch"]
                """.formatted(name, LABELS);
    }

    static String ingressClass(String name) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: %s
                %sspec:
                  controller: traefik.io/ingress-controller
                """.formatted(name, LABELS);
    }

    static String ingress(String name, String host) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: %1$s
                  namespace: devk8s
                %3$sspec:
                  ingressClassName: traefik
                  rules:
                  - host: %2$s
                    http:
                      paths:
                      - path: /
                        pathType: Prefix
                        backend:
                          service:
                            name: %1$s
                            port:
                              number: 80
                """.formatted(name, host, LABELS);
    }

    static String pvc(String name) {
        return """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: %s
                  namespace: devk8s
                %sspec:
                  accessModes: ["ReadWriteOnce"]
                  resources:
                    requests:
                      storage: 1Gi
                """.formatted(name, LABELS);
    }

    /** The whole small stack as one multi-document YAML, Namespace first. */
    static String stack() {
        return String.join("---\n", namespace(), clusterRole("traefik"), ingressClass("traefik"),
                configMap("grafana-config", "a"), deployment("traefik", "traefik:v3.3"),
                nodePortService("traefik", 30080), deployment("grafana", "grafana/grafana:11.5.0"),
                ingress("grafana", "grafana.devk8s.test"));
    }
}
