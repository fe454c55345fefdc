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
 * The kinds devk8s lists, prunes and deletes, spelled out one by one: {@code kubectl get all} misses Ingress,
 * ConfigMap, Secret, RBAC and PVCs, so nothing here relies on it.
 */
public enum ResourceKind {
    NAMESPACE("Namespace", Namespace.class, false),
    DEPLOYMENT("Deployment", Deployment.class, true),
    STATEFUL_SET("StatefulSet", StatefulSet.class, true),
    DAEMON_SET("DaemonSet", DaemonSet.class, true),
    JOB("Job", Job.class, true),
    REPLICA_SET("ReplicaSet", ReplicaSet.class, true),
    POD("Pod", Pod.class, true),
    SERVICE("Service", Service.class, true),
    INGRESS("Ingress", Ingress.class, true),
    CONFIG_MAP("ConfigMap", ConfigMap.class, true),
    SECRET("Secret", Secret.class, true),
    SERVICE_ACCOUNT("ServiceAccount", ServiceAccount.class, true),
    ROLE("Role", Role.class, true),
    ROLE_BINDING("RoleBinding", RoleBinding.class, true),
    PERSISTENT_VOLUME_CLAIM("PersistentVolumeClaim", PersistentVolumeClaim.class, true),
    CLUSTER_ROLE("ClusterRole", ClusterRole.class, false),
    CLUSTER_ROLE_BINDING("ClusterRoleBinding", ClusterRoleBinding.class, false),
    INGRESS_CLASS("IngressClass", IngressClass.class, false);

    /**
     * What {@code up} prunes when the rendered set drops an object. Not Namespace (never pruned), not Pod or
     * ReplicaSet (their controllers own them), not PersistentVolumeClaim (it holds data; {@code teardown} removes it).
     */
    public static final List<ResourceKind> PRUNABLE = List.of(DEPLOYMENT, STATEFUL_SET, DAEMON_SET, JOB, SERVICE,
            INGRESS, CONFIG_MAP, SECRET, SERVICE_ACCOUNT, ROLE, ROLE_BINDING, CLUSTER_ROLE, CLUSTER_ROLE_BINDING,
            INGRESS_CLASS);

    /**
     * What {@code down} deletes by label, in deletion order: workloads first so nothing is recreated, then what
     * they used, then cluster-scoped objects. No Namespace: {@code down} deletes the stack's namespace on its own,
     * last, and keeps it with {@code --keep-data} or when it holds objects devk8s did not create.
     */
    public static final List<ResourceKind> TEARDOWN = List.of(DEPLOYMENT, STATEFUL_SET, DAEMON_SET, JOB, REPLICA_SET,
            POD, SERVICE, INGRESS, CONFIG_MAP, SECRET, SERVICE_ACCOUNT, ROLE, ROLE_BINDING, PERSISTENT_VOLUME_CLAIM,
            CLUSTER_ROLE, CLUSTER_ROLE_BINDING, INGRESS_CLASS);

    private final String kind;
    private final Class<? extends HasMetadata> type;
    private final boolean namespaced;

    ResourceKind(String kind, Class<? extends HasMetadata> type, boolean namespaced) {
        this.kind = kind;
        this.type = type;
        this.namespaced = namespaced;
    }

    /** The Kubernetes kind, e.g. {@code ClusterRoleBinding}. */
    public String kind() {
        return kind;
    }

    public boolean namespaced() {
        return namespaced;
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
