package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Secrets devk8s creates and reads itself, and the uid an owner reference needs. */
final class Secrets {
    private final KubeConnection connection;

    Secrets(KubeConnection connection) {
        this.connection = connection;
    }

    /** The uid of a built-in kind's object; empty when it does not exist. */
    Optional<String> uid(ObjectRef ref) {
        ResourceKind kind = ResourceKind.forKind(ref.kind())
                .orElseThrow(() -> io.devk8s.Devk8sException.usage("unsupported kind " + ref.kind()));
        try {
            var resource = ref.namespace() == null || !kind.namespaced()
                    ? connection.client().resources(kind.type()).withName(ref.name())
                    : connection.client().resources(kind.type()).inNamespace(ref.namespace()).withName(ref.name());
            HasMetadata live = resource.get();
            return live == null ? Optional.empty() : Optional.ofNullable(live.getMetadata().getUid());
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ref, e, connection);
        }
    }

    /** The data of a Secret, each value decoded from base64 as UTF-8; empty when the Secret does not exist. */
    Optional<Map<String, String>> data(String namespace, String name) {
        try {
            Secret secret = connection.client().secrets().inNamespace(namespace).withName(name).get();
            if (secret == null) {
                return Optional.empty();
            }
            Map<String, String> data = new LinkedHashMap<>();
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) -> data.put(k,
                        new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            return Optional.of(data);
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ObjectRef.namespaced("Secret", namespace, name), e, connection);
        }
    }

    /**
     * Creates the Secret unless one of its name exists in its namespace (a plain create, never an update, so an
     * existing Secret keeps its data). Returns whether it was created.
     */
    boolean createIfAbsent(String namespace, String name, Supplier<SecretSpec> specOf) {
        ObjectRef ref = ObjectRef.namespaced("Secret", namespace, name);
        var secrets = connection.client().secrets().inNamespace(namespace);
        try {
            if (secrets.withName(name).get() != null) {
                return false;
            }
        } catch (KubernetesClientException e) {
            throw ApiErrors.translate(ref, e, connection);
        }
        SecretSpec spec = specOf.get();
        if (!spec.namespace().equals(namespace) || !spec.name().equals(name)) {
            throw new IllegalArgumentException("a spec for " + ref + " expected, got " + spec.namespace() + "/"
                    + spec.name());
        }
        Map<String, String> encoded = new LinkedHashMap<>();
        spec.data().forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        SecretBuilder builder = new SecretBuilder()
                .withNewMetadata()
                    .withName(spec.name())
                    .withNamespace(spec.namespace())
                    .withLabels(new LinkedHashMap<>(spec.labels()))
                    .withAnnotations(new LinkedHashMap<>(spec.annotations()))
                .endMetadata()
                .withType("Opaque")
                .withData(encoded);
        spec.owner().ifPresent(o -> builder.editMetadata().addToOwnerReferences(new OwnerReferenceBuilder()
                .withApiVersion(o.apiVersion()).withKind(o.kind()).withName(o.name()).withUid(o.uid()).build())
                .endMetadata());
        try {
            secrets.resource(builder.build()).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false; // created by someone else in between: theirs is kept
            }
            throw ApiErrors.translate(ref, e, connection);
        }
    }
}
