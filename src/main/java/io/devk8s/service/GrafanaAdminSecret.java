package io.devk8s.service;

import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.kubernetes.SecretSpec;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret holding the Grafana admin account of the stack ({@code grafana.adminSecret}, keys {@code admin-user}
 * and {@code admin-password}). The templates only reference it; {@code devk8s up} creates it with a random
 * password when it does not exist, and never changes an existing one (a Secret the user created is theirs).
 *
 * <p>Grafana stores the admin password in its database on the volume {@code grafana-data} the first time it starts;
 * later changes of the Secret are not applied. So the Secret lives exactly as long as that volume: it is owned by
 * the PersistentVolumeClaim (an ownerReference), which keeps it out of {@code up}'s pruning and out of
 * {@code down --keep-data}, while the garbage collector deletes it together with the volume. It carries no
 * {@code managed-by} label for the same reason.
 */
public final class GrafanaAdminSecret {
    public static final String USER_KEY = "admin-user";
    public static final String PASSWORD_KEY = "admin-password";
    /** The admin login name devk8s puts into a Secret it creates. */
    public static final String USER = "admin";
    /** The PersistentVolumeClaim of Grafana's database (templates/stack/grafana/storage.yaml). */
    public static final String DATA_CLAIM = "grafana-data";

    /** The admin login. */
    public record Credentials(String user, String password) {}

    private final SecureRandom random;

    public GrafanaAdminSecret() {
        this(new SecureRandom());
    }

    GrafanaAdminSecret(SecureRandom random) {
        this.random = random;
    }

    /** 24 URL-safe characters from 18 random bytes (144 bits), no padding and nothing a shell would expand. */
    String newPassword() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The Secret devk8s would create: random password, owned by {@code ownerUid} (the data claim) when known. */
    SecretSpec build(String namespace, String name, Optional<String> ownerUid) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(USER_KEY, USER);
        data.put(PASSWORD_KEY, newPassword());
        return new SecretSpec(namespace, name,
                Map.of("app.kubernetes.io/name", "grafana", "app.kubernetes.io/instance", namespace,
                        "app.kubernetes.io/part-of", "devk8s"),
                Map.of("devk8s.io/purpose", "Grafana admin login, created by devk8s up; "
                        + "`devk8s status --show-credentials` prints it"),
                data,
                ownerUid.map(uid -> new SecretSpec.Owner("v1", "PersistentVolumeClaim", DATA_CLAIM, uid)));
    }

    /**
     * Creates the Secret with a random password unless it exists. Returns whether it was created. Call it after
     * the stack is applied, so the namespace and the data claim exist; the Grafana pod waits for the Secret.
     */
    public boolean ensure(KubernetesCluster cluster, String namespace, String name) {
        // the data claim is read only when the Secret is missing: a re-apply reads the Secret alone
        return cluster.createSecretIfAbsent(namespace, name, () -> build(namespace, name,
                cluster.uid(ObjectRef.namespaced("PersistentVolumeClaim", namespace, DATA_CLAIM))));
    }

    /** The login stored in the Secret; empty when the Secret does not exist or lacks one of the two keys. */
    public static Optional<Credentials> read(KubernetesCluster cluster, String namespace, String name) {
        return cluster.secretData(namespace, name)
                .filter(d -> d.containsKey(USER_KEY) && d.containsKey(PASSWORD_KEY))
                .map(d -> new Credentials(d.get(USER_KEY), d.get(PASSWORD_KEY)));
    }

}
