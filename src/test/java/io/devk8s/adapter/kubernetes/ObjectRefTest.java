package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ObjectRefTest {

    @Test
    void refs_with_the_same_kind_namespace_and_name_are_equal_and_hash_alike() {
        ObjectRef a = ObjectRef.namespaced("Service", "devk8s", "traefik");
        assertEquals(a, new ObjectRef("Service", "devk8s", "traefik"));
        assertEquals(a.hashCode(), new ObjectRef("Service", "devk8s", "traefik").hashCode());
        // an empty namespace is cluster scope
        assertEquals(ObjectRef.clusterScoped("ClusterRole", "traefik"), new ObjectRef("ClusterRole", "", "traefik"));
        Set<ObjectRef> set = new HashSet<>(List.of(a, new ObjectRef("Service", "devk8s", "traefik")));
        assertEquals(1, set.size());
    }

    @Test
    void refs_that_differ_in_kind_namespace_or_name_differ() {
        ObjectRef a = ObjectRef.namespaced("Service", "devk8s", "traefik");
        assertNotEquals(a, ObjectRef.namespaced("Deployment", "devk8s", "traefik"));
        assertNotEquals(a, ObjectRef.namespaced("Service", "other", "traefik"));
        assertNotEquals(a, ObjectRef.clusterScoped("Service", "traefik"));
        assertNotEquals(a, ObjectRef.namespaced("Service", "devk8s", "grafana"));
        assertNotEquals(a, "Service devk8s/traefik");
        assertEquals("Service devk8s/traefik", a.toString());
    }
}
