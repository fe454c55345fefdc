package io.devk8s.adapter.kubernetes;

/** Small rendered manifests shaped like the devk8s stack, for the mock API tests. */
final class StackManifests {
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
