package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * An Opaque Secret to create, in the project's own terms, so that services need no Kubernetes model class.
 *
 * @param data the keys and their base64-encoded values
 * @param owner the object that owns the Secret (the garbage collector deletes it with its owner), if any
 */
public record SecretSpec(String namespace, String name, Map<String, String> labels, Map<String, String> annotations,
        Map<String, String> data, Optional<Owner> owner) {

    /** An owner reference: the owner's apiVersion, kind, name and uid. */
    public record Owner(String apiVersion, String kind, String name, String uid) {}

    /** The Kubernetes Secret this describes. */
    public Secret toSecret() {
        SecretBuilder secret = new SecretBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .withLabels(labels)
                    .withAnnotations(annotations)
                .endMetadata()
                .withType("Opaque")
                .withData(data);
        owner.ifPresent(o -> secret.editMetadata().addToOwnerReferences(new OwnerReferenceBuilder()
                .withApiVersion(o.apiVersion()).withKind(o.kind()).withName(o.name()).withUid(o.uid()).build())
                .endMetadata());
        return secret.build();
    }
}
