package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API server serves, read through API discovery ({@code /api/v1}, {@code /apis},
 * {@code /apis/<group>/<version>}) and cached for the life of the connection: one request per group version
 * asked about, and for {@link #all()} one per group's preferred version. Subresources ({@code pods/log}) are left
 * out.
 */
final class ApiDiscovery {
    private final KubeConnection connection;
    private final Map<String, Optional<List<ApiResource>>> byGroupVersion = new HashMap<>();
    private List<ApiResource> all;

    ApiDiscovery(KubeConnection connection) {
        this.connection = connection;
    }

    /** The kind in this apiVersion, or empty when the server does not serve it (unknown group, version or kind). */
    Optional<ApiResource> resolve(String apiVersion, String kind) {
        return groupVersion(apiVersion).flatMap(list -> list.stream().filter(r -> r.kind().equals(kind)).findFirst());
    }

    /** Whether the server serves this group version at all. */
    boolean serves(String apiVersion) {
        return groupVersion(apiVersion).isPresent();
    }

    /**
     * The kind by name alone: the built-in table of {@link ResourceKind} first (no request), else the first kind of
     * that name among the preferred versions of every group, core group first.
     */
    Optional<ApiResource> forKind(String kind) {
        Optional<ResourceKind> known = ResourceKind.forKind(kind);
        if (known.isPresent()) {
            return Optional.of(known.get().resource());
        }
        return all().stream().filter(r -> r.kind().equals(kind)).findFirst();
    }

    /** Every kind the server serves, in the preferred version of its group, core group first. */
    synchronized List<ApiResource> all() {
        if (all == null) {
            List<ApiResource> found = new ArrayList<>(groupVersion("v1").orElse(List.of()));
            APIGroupList groups;
            try {
                groups = connection.client().getApiGroups();
            } catch (KubernetesClientException e) {
                throw ApiErrors.translate(null, e, connection);
            }
            if (groups != null && groups.getGroups() != null) {
                for (APIGroup group : groups.getGroups()) {
                    String preferred = group.getPreferredVersion() != null
                            ? group.getPreferredVersion().getGroupVersion()
                            : group.getVersions() == null || group.getVersions().isEmpty() ? null
                            : group.getVersions().get(0).getGroupVersion();
                    if (preferred != null) {
                        found.addAll(groupVersion(preferred).orElse(List.of()));
                    }
                }
            }
            all = List.copyOf(found);
        }
        return all;
    }

    /**
     * Reads the group versions not read yet at the same time (one round trip instead of one each); the first
     * failure in their order is thrown, as asking them one by one would.
     */
    void prefetch(Collection<String> apiVersions) {
        List<String> missing;
        synchronized (this) {
            missing = apiVersions.stream().filter(java.util.Objects::nonNull).distinct()
                    .filter(v -> !byGroupVersion.containsKey(v)).toList();
        }
        if (missing.size() < 2) {
            return;
        }
        connection.client(); // built once, here, before the calls share it
        List<Optional<List<ApiResource>>> fetched = ParallelCalls.each(missing, this::fetch);
        synchronized (this) {
            for (int i = 0; i < missing.size(); i++) {
                byGroupVersion.putIfAbsent(missing.get(i), fetched.get(i));
            }
        }
    }

    private synchronized Optional<List<ApiResource>> groupVersion(String apiVersion) {
        return byGroupVersion.computeIfAbsent(apiVersion, this::fetch);
    }

    private Optional<List<ApiResource>> fetch(String apiVersion) {
        APIResourceList list;
        try {
            list = connection.client().getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw ApiErrors.translate(null, e, connection);
        }
        if (list == null) {
            return Optional.empty();
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        List<ApiResource> resources = new ArrayList<>();
        for (APIResource r : list.getResources() == null ? List.<APIResource>of() : list.getResources()) {
            if (r.getName() == null || r.getName().contains("/") || r.getKind() == null) {
                continue;
            }
            resources.add(new ApiResource(r.getGroup() != null && !r.getGroup().isEmpty() ? r.getGroup() : group,
                    r.getVersion() != null && !r.getVersion().isEmpty() ? r.getVersion() : version, r.getKind(),
                    r.getName(), Boolean.TRUE.equals(r.getNamespaced()),
                    r.getVerbs() == null ? List.of() : r.getVerbs()));
        }
        return Optional.of(List.copyOf(resources));
    }

    /** The fabric8 context for generic requests about this kind. */
    static ResourceDefinitionContext context(ApiResource resource) {
        return new ResourceDefinitionContext.Builder().withGroup(resource.group()).withVersion(resource.version())
                .withKind(resource.kind()).withPlural(resource.plural()).withNamespaced(resource.namespaced()).build();
    }
}
