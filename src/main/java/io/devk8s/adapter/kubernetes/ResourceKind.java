package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Optional;

/**
 * The built-in kinds devk8s knows without asking the API server: their group, version, plural and scope (so a
 * delete or list of them needs no discovery request). Every other kind (CronJob, NetworkPolicy, custom resources)
 * is resolved through API discovery ({@link ApiResource}); {@code kubectl get all} misses Ingress, ConfigMap,
 * Secret, RBAC and PVCs, so nothing here relies on it.
 */
public enum ResourceKind {
    NAMESPACE("Namespace", "", "v1", "namespaces", Namespace.class, false),
    DEPLOYMENT("Deployment", "apps", "v1", "deployments", Deployment.class, true),
    STATEFUL_SET("StatefulSet", "apps", "v1", "statefulsets", StatefulSet.class, true),
    DAEMON_SET("DaemonSet", "apps", "v1", "daemonsets", DaemonSet.class, true),
    JOB("Job", "batch", "v1", "jobs", Job.class, true),
    REPLICA_SET("ReplicaSet", "apps", "v1", "replicasets", ReplicaSet.class, true),
    POD("Pod", "", "v1", "pods", Pod.class, true),
    SERVICE("Service", "", "v1", "services", Service.class, true),
    INGRESS("Ingress", "networking.k8s.io", "v1", "ingresses", Ingress.class, true),
    CONFIG_MAP("ConfigMap", "", "v1", "configmaps", ConfigMap.class, true),
    SECRET("Secret", "", "v1", "secrets", Secret.class, true),
    SERVICE_ACCOUNT("ServiceAccount", "", "v1", "serviceaccounts", ServiceAccount.class, true),
    ROLE("Role", "rbac.authorization.k8s.io", "v1", "roles", Role.class, true),
    ROLE_BINDING("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings", RoleBinding.class, true),
    PERSISTENT_VOLUME_CLAIM("PersistentVolumeClaim", "", "v1", "persistentvolumeclaims", PersistentVolumeClaim.class, true),
    CLUSTER_ROLE("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", ClusterRole.class, false),
    CLUSTER_ROLE_BINDING("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", ClusterRoleBinding.class, false),
    INGRESS_CLASS("IngressClass", "networking.k8s.io", "v1", "ingressclasses", IngressClass.class, false);

    /**
     * The kinds {@code up} prunes. Stack policy, which lives in the service layer now; kept here only while
     * callers move.
     */
    @Deprecated(forRemoval = true)
    public static final List<ResourceKind> PRUNABLE = List.of(DEPLOYMENT, STATEFUL_SET, DAEMON_SET, JOB, SERVICE,
            INGRESS, CONFIG_MAP, SECRET, SERVICE_ACCOUNT, ROLE, ROLE_BINDING, CLUSTER_ROLE, CLUSTER_ROLE_BINDING,
            INGRESS_CLASS);

    /**
     * The built-in kinds {@code down} deletes, in its order. Stack policy, which lives in the service layer now;
     * kept here only while callers move.
     */
    @Deprecated(forRemoval = true)
    public static final List<ResourceKind> TEARDOWN = List.of(DEPLOYMENT, STATEFUL_SET, DAEMON_SET, JOB, REPLICA_SET,
            POD, SERVICE, INGRESS, CONFIG_MAP, SECRET, SERVICE_ACCOUNT, ROLE, ROLE_BINDING, PERSISTENT_VOLUME_CLAIM,
            CLUSTER_ROLE, CLUSTER_ROLE_BINDING, INGRESS_CLASS);

    private final String kind;
    private final Class<? extends HasMetadata> type;
    private final ApiResource resource;

    ResourceKind(String kind, String group, String version, String plural, Class<? extends HasMetadata> type,
            boolean namespaced) {
        this.kind = kind;
        this.type = type;
        this.resource = new ApiResource(group, version, kind, plural, namespaced,
                List.of("create", "delete", "get", "list", "patch", "update", "watch"));
    }

    /** The kind as discovery would list it (group, version, plural, scope). */
    public ApiResource resource() {
        return resource;
    }

    /** The Kubernetes kind, e.g. {@code ClusterRoleBinding}. */
    public String kind() {
        return kind;
    }

    public boolean namespaced() {
        return resource.namespaced();
    }

    Class<? extends HasMetadata> type() {
        return type;
    }

    public static Optional<ResourceKind> forKind(String kind) {
        for (ResourceKind k : values()) {
            if (k.kind.equals(kind)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
