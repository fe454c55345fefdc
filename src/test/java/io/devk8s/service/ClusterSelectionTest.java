package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusterSelectionTest {

    private static ClusterSelection selection(String profile, String context, Set<String> allowed, String binary) {
        return new ClusterSelection(profile, Optional.ofNullable(context), allowed,
                Optional.ofNullable(binary).map(Path::of));
    }

    @Test
    void equal_selections_are_equal_with_equal_hash_codes_as_a_record_s_would_be() {
        ClusterSelection a = selection("minikube", "ctx", Set.of("x", "y"), "/opt/minikube");
        ClusterSelection b = selection("minikube", "ctx", new java.util.LinkedHashSet<>(List.of("y", "x")),
                "/opt/minikube");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(selection("p", null, Set.of(), null), selection("p", null, Set.of(), null));
    }

    @Test
    void selections_that_differ_in_any_part_differ() {
        ClusterSelection a = selection("minikube", "ctx", Set.of("x"), "/opt/minikube");
        assertNotEquals(a, selection("other", "ctx", Set.of("x"), "/opt/minikube"));
        assertNotEquals(a, selection("minikube", null, Set.of("x"), "/opt/minikube"));
        assertNotEquals(a, selection("minikube", "ctx", Set.of(), "/opt/minikube"));
        assertNotEquals(a, selection("minikube", "ctx", Set.of("x"), null));
        assertNotEquals(a, null);
        assertNotEquals(a, "minikube");
    }
}
