package io.devk8s.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Each rule of the validator, proven on a small valid set that one edit breaks. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ManifestValidatorTest {
    private static final String LABELS = """
                app.kubernetes.io/name: web
                app.kubernetes.io/part-of: devk8s
                app.kubernetes.io/managed-by: devk8s
            """;

    /** A small stack that passes every rule; each test breaks exactly one thing. */
    private static final String VALID = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: demo
              labels:
            %1$s---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: web
              namespace: demo
              labels:
            %1$s---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: demo-web
              labels:
            %1$srules:
              - apiGroups: [""]
                resources: ["pods"]
                verbs: ["get", "list"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: demo-web
              labels:
            %1$sroleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: demo-web
            subjects:
              - kind: ServiceAccount
                name: web
                namespace: demo
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web-config
              namespace: demo
              labels:
            %1$sdata:
              app.yaml: "a: 1"
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: web-data
              namespace: demo
              labels:
            %1$sspec:
              accessModes: ["ReadWriteOnce"]
              resources:
                requests:
                  storage: 1Gi
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: demo
              labels:
            %1$sspec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: web
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: web
                spec:
                  serviceAccountName: web
                  containers:
                    - name: web
                      image: example/web:1.0
                      ports:
                        - name: http
                          containerPort: 8080
                        - name: admin
                          containerPort: 9000
                      env:
                        - name: MODE
                          value: "dev"
                        - name: TOKEN
                          valueFrom:
                            secretKeyRef:
                              name: web-token
                              key: token
                              optional: true
                      livenessProbe:
                        httpGet:
                          path: /health
                          port: http
                      volumeMounts:
                        - name: config
                          mountPath: /config
                        - name: data
                          mountPath: /data
                  volumes:
                    - name: config
                      configMap:
                        name: web-config
                    - name: data
                      persistentVolumeClaim:
                        claimName: web-data
                    - name: tls
                      secret:
                        secretName: web-tls
                        optional: true
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: demo
              labels:
            %1$sspec:
              selector:
                app.kubernetes.io/name: web
              ports:
                - name: http
                  port: 80
                  targetPort: http
                - name: admin
                  port: 9000
                  targetPort: 9000
            ---
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: traefik
              labels:
            %1$sspec:
              controller: traefik.io/ingress-controller
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: demo
              labels:
            %1$sspec:
              ingressClassName: traefik
              rules:
                - host: web.minikube
                  http:
                    paths:
                      - path: /
                        pathType: Prefix
                        backend:
                          service:
                            name: web
                            port:
                              name: http
                      - path: /admin
                        pathType: Prefix
                        backend:
                          service:
                            name: web
                            port:
                              number: 9000
            """.formatted(LABELS);

    /** VALID with one snippet replaced; fails if the snippet is not there, so no test can pass vacuously. */
    private static String breaking(String snippet, String replacement) {
        assertTrue(VALID.contains(snippet), "snippet not in the valid set: " + snippet);
        return VALID.replaceFirst(java.util.regex.Pattern.quote(snippet), java.util.regex.Matcher.quoteReplacement(replacement));
    }

    private static void assertProblem(String yaml, String expected) {
        List<String> problems = ManifestValidator.check(yaml);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing \"" + expected + "\", got " + problems);
    }

    @Test
    void should_accept_the_valid_set() {
        assertEquals(List.of(), ManifestValidator.check(VALID));
        assertEquals(List.of(), new ManifestValidator("demo").problems(VALID));
    }

    @Test
    void should_report_an_unknown_field_with_its_path() {
        assertProblem(breaking("livenessProbe:", "livenessprobe:"),
                "Deployment demo/web: spec.template.spec.containers[0].livenessprobe: unknown field");
    }

    @Test
    void should_report_an_unknown_field_deep_in_a_list() {
        assertProblem(breaking("                  number: 9000", "                  numbr: 9000"),
                "Ingress demo/web: spec.rules[0].http.paths[1].backend.service.port.numbr: unknown field");
    }

    @Test
    void should_report_a_number_where_the_api_wants_a_string() {
        assertProblem(breaking("value: \"dev\"", "value: 8080"),
                "spec.template.spec.containers[0].env[0].value: must be a string");
    }

    @Test
    void should_report_a_string_where_the_api_wants_a_number() {
        assertProblem(breaking("containerPort: 8080", "containerPort: \"8080\""),
                "spec.template.spec.containers[0].ports[0].containerPort: must be a number");
    }

    @Test
    void should_report_an_unquoted_boolean_label_value() {
        assertProblem(breaking("        app.kubernetes.io/name: web\n    spec:",
                        "        app.kubernetes.io/name: web\n        canary: true\n    spec:"),
                "spec.template.metadata.labels.canary: must be a string");
    }

    @Test
    void should_reject_an_ingress_of_an_api_version_kubernetes_no_longer_serves() {
        assertProblem(breaking("apiVersion: networking.k8s.io/v1\nkind: Ingress\n", "apiVersion: extensions/v1beta1\nkind: Ingress\n"),
                "Ingress demo/web: apiVersion extensions/v1beta1 is not served by current Kubernetes (use networking.k8s.io/v1)");
    }

    @Test
    void should_reject_a_kind_its_api_version_does_not_have() {
        assertProblem(breaking("apiVersion: apps/v1\nkind: Deployment", "apiVersion: v1\nkind: Deployment"),
                "kind Deployment does not exist in apiVersion v1 (use apps/v1)");
    }

    @Test
    void should_reject_a_service_selector_matching_no_pods() {
        assertProblem(breaking("  selector:\n    app.kubernetes.io/name: web\n  ports:",
                        "  selector:\n    app.kubernetes.io/name: wbe\n  ports:"),
                "Service demo/web: spec.selector {app.kubernetes.io/name=wbe} matches the pod template labels of no workload");
    }

    @Test
    void should_reject_a_deployment_selector_that_misses_its_own_pods() {
        assertProblem(breaking("    matchLabels:\n      app.kubernetes.io/name: web",
                        "    matchLabels:\n      app.kubernetes.io/name: other"),
                "Deployment demo/web: spec.selector.matchLabels {app.kubernetes.io/name=other} do not match");
    }

    @Test
    void should_reject_a_named_target_port_the_pods_do_not_have() {
        assertProblem(breaking("targetPort: http", "targetPort: htp"),
                "Service demo/web: spec.ports[0].targetPort: no container port named htp in the pods of [Deployment demo/web]");
    }

    @Test
    void should_reject_a_numbered_target_port_the_pods_do_not_have() {
        assertProblem(breaking("targetPort: 9000", "targetPort: 9001"),
                "Service demo/web: spec.ports[1].targetPort: no container port 9001");
    }

    @Test
    void should_reject_a_probe_on_a_port_name_the_container_does_not_have() {
        assertProblem(breaking("port: http\n          volumeMounts", "port: health\n          volumeMounts"),
                "spec.template.spec.containers[0].livenessProbe.httpGet.port: the container has no port named health");
    }

    @Test
    void should_reject_an_ingress_backend_naming_a_missing_service() {
        assertProblem(breaking("    name: web\n                port:\n                  name: http",
                        "    name: webb\n                port:\n                  name: http"),
                "Ingress demo/web: spec.rules[0].http.paths[0].backend.service.name: no Service demo/webb in the set");
    }

    @Test
    void should_reject_an_ingress_backend_naming_a_missing_service_port() {
        assertProblem(breaking("                  name: http\n", "                  name: https\n"),
                "backend.service.port.name: Service web has no port named https");
        assertProblem(breaking("number: 9000", "number: 9090"),
                "backend.service.port.number: Service web has no port 9090");
    }

    @Test
    void should_reject_an_ingress_class_that_does_not_exist() {
        assertProblem(breaking("ingressClassName: traefik", "ingressClassName: nginx"),
                "Ingress demo/web: spec.ingressClassName: no IngressClass nginx in the set");
    }

    @Test
    void should_reject_an_ingress_path_without_path_type() {
        assertProblem(breaking("            pathType: Prefix\n", ""),
                "spec.rules[0].http.paths[0].pathType must be Exact, Prefix or ImplementationSpecific");
    }

    @Test
    void should_reject_a_wildcard_in_a_role() {
        assertProblem(breaking("verbs: [\"get\", \"list\"]", "verbs: [\"*\"]"),
                "ClusterRole demo-web: rules[0].verbs: wildcard");
        assertProblem(breaking("resources: [\"pods\"]", "resources: [\"*\"]"), "rules[0].resources: wildcard");
        assertProblem(breaking("apiGroups: [\"\"]", "apiGroups: [\"*\"]"), "rules[0].apiGroups: wildcard");
    }

    @Test
    void should_reject_a_binding_to_a_missing_role_or_service_account() {
        assertProblem(breaking("  kind: ClusterRole\n  name: demo-web", "  kind: ClusterRole\n  name: demo-webb"),
                "ClusterRoleBinding demo-web: roleRef.name: no ClusterRole demo-webb in the set");
        assertProblem(breaking("    name: web\n    namespace: demo", "    name: web\n    namespace: other"),
                "ClusterRoleBinding demo-web: subjects[0]: no ServiceAccount other/web in the set");
    }

    @Test
    void should_reject_a_missing_service_account_of_a_deployment() {
        assertProblem(breaking("serviceAccountName: web", "serviceAccountName: api"),
                "Deployment demo/web: spec.template.spec.serviceAccountName: no ServiceAccount demo/api in the set");
    }

    @Test
    void should_reject_volumes_naming_missing_config_maps_claims_and_required_secrets() {
        assertProblem(breaking("            name: web-config\n", "            name: web-conf\n"),
                "spec.template.spec.volumes[0].configMap.name: no ConfigMap demo/web-conf in the set");
        assertProblem(breaking("claimName: web-data", "claimName: web-db"),
                "spec.template.spec.volumes[1].persistentVolumeClaim.claimName: no PersistentVolumeClaim demo/web-db");
        assertProblem(breaking("secretName: web-tls\n            optional: true", "secretName: web-tls"),
                "spec.template.spec.volumes[2].secret.secretName: no Secret demo/web-tls in the set");
        assertProblem(breaking("key: token\n                  optional: true", "key: token"),
                "env[1].valueFrom.secretKeyRef.name: no Secret demo/web-token");
    }

    @Test
    void should_reject_a_mount_of_a_volume_the_pod_does_not_have() {
        assertProblem(breaking("- name: config\n              mountPath", "- name: conf\n              mountPath"),
                "spec.template.spec.containers[0].volumeMounts[0].name: no volume conf in the pod");
    }

    @Test
    void should_require_the_three_labels_on_every_object() {
        String yaml = VALID.replaceFirst("    app.kubernetes.io/managed-by: devk8s\n", "");
        assertProblem(yaml, "Namespace demo: metadata.labels: missing label app.kubernetes.io/managed-by");
    }

    @Test
    void should_require_the_stack_namespace_on_namespaced_objects_and_none_on_cluster_scoped_ones() {
        assertProblem(breaking("  name: web-data\n  namespace: demo", "  name: web-data\n  namespace: default"),
                "PersistentVolumeClaim default/web-data: metadata.namespace is default, expected the stack namespace demo");
        assertProblem(breaking("  name: web-config\n  namespace: demo\n", "  name: web-config\n"),
                "ConfigMap web-config: metadata.namespace is missing");
        assertProblem(breaking("kind: ClusterRole\nmetadata:\n  name: demo-web\n", "kind: ClusterRole\nmetadata:\n  name: demo-web\n  namespace: demo\n"),
                "metadata.namespace demo set on a cluster-scoped ClusterRole");
    }

    @Test
    void should_reject_duplicate_keys_and_duplicate_objects() {
        assertProblem(breaking("  accessModes:", "  storageClassName: a\n  storageClassName: b\n  accessModes:"), "not valid YAML");
        assertProblem(VALID + "---\n" + VALID.substring(VALID.indexOf("apiVersion: v1\nkind: ServiceAccount")),
                "ServiceAccount demo/web: defined twice");
    }

    @Test
    void should_reject_invalid_port_names() {
        assertProblem(breaking("- name: admin\n              containerPort", "- name: administration-port\n              containerPort"),
                "ports[1].name: \"administration-port\" is not a valid port name");
    }

    @Test
    void should_throw_with_every_problem_from_validate() {
        String yaml = breaking("verbs: [\"get\", \"list\"]", "verbs: [\"*\"]").replace("targetPort: http", "targetPort: htp");
        AssertionError error = assertThrows(AssertionError.class, () -> new ManifestValidator().validate(yaml));
        assertTrue(error.getMessage().contains("2 problem(s)"), error.getMessage());
        assertTrue(error.getMessage().contains("wildcard") && error.getMessage().contains("htp"), error.getMessage());
    }
}
