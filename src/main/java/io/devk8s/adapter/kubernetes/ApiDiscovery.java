package io.devk8s.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the API server serves, read through API discovery ({@code /api/v1}, {@code /apis},
 * {@code /apis/<group>/<version>}) and cached for the life of the connection: one request per group version
 * asked about, and for {@link #all()} one per group's preferred version. Subresources ({@code pods/log}) are left
 * out. A group version read by an earlier command of the process in the last {@link #KEPT} is not asked for again
 * (see {@link #EARLIER}).
 */
final class ApiDiscovery {
    /** How long a group version read by an earlier command of this process is used again without asking. */
    static final Duration KEPT = Duration.ofMinutes(10);

    /** A group version's kinds as an earlier command read them, and when (System.nanoTime). */
    private record Earlier(long readAt, List<ApiResource> resources) {
    }

    /**
     * The group versions earlier commands of this process read, by API server URL and group version: in the
     * background process ({@link #keepBetweenCommands}), a command uses them for {@link #KEPT} instead of asking again (kubectl keeps discovery on disk
     * for hours). Only group versions the server served are kept, and a kind not found in a kept one is looked up
     * again before anything says it is not served, so a new CustomResourceDefinition is seen at once; what a kept
     * answer can miss is a kind or version the server stopped serving within that time, which its API calls then
     * report.
     */
    private static final Map<String, Earlier> EARLIER = new ConcurrentHashMap<>();

    private final KubeConnection connection;
    private final LongSupplier nanoClock;
    private final Map<String, Optional<List<ApiResource>>> byGroupVersion = new HashMap<>();
    /** The group versions of {@link #byGroupVersion} taken from {@link #EARLIER}, not read by this command. */
    private final Set<String> fromEarlier = new HashSet<>();
    private List<ApiResource> all;

    /** Whether answers are kept between commands: in the background process only (see {@link #keepBetweenCommands}). */
    private static volatile boolean keeping;

    private final boolean keeps;

    ApiDiscovery(KubeConnection connection) {
        this(connection, System::nanoTime, keeping);
    }

    /** With the clock that ages kept answers (tests move it on), keeping answers between commands or not. */
    ApiDiscovery(KubeConnection connection, LongSupplier nanoClock, boolean keeps) {
        this.connection = connection;
        this.nanoClock = nanoClock;
        this.keeps = keeps;
    }

    /**
     * From now on this process's commands keep their discovery answers for the next ones (the background process;
     * a process that runs one command has no next one).
     */
    static void keepBetweenCommands() {
        keeping = true;
    }

    /**
     * The kind in this apiVersion, or empty when the server does not serve it (unknown group, version or kind). A
     * kind missing from a group version kept from an earlier command is looked up again first.
     */
    Optional<ApiResource> resolve(String apiVersion, String kind) {
        Optional<ApiResource> found = find(apiVersion, kind);
        if (found.isEmpty() && readAgain(apiVersion)) {
            found = find(apiVersion, kind);
        }
        return found;
    }

    private Optional<ApiResource> find(String apiVersion, String kind) {
        return groupVersion(apiVersion).flatMap(list -> list.stream().filter(r -> r.kind().equals(kind)).findFirst());
    }

    /** Drops a group version this command took from an earlier one; whether there was one to drop. */
    private synchronized boolean readAgain(String apiVersion) {
        if (!fromEarlier.remove(apiVersion)) {
            return false;
        }
        byGroupVersion.remove(apiVersion);
        if (keeps) {
            EARLIER.remove(key(apiVersion));
        }
        return true;
    }

    private String key(String apiVersion) {
        return connection.serverUrl() + " " + apiVersion;
    }

    /** The kept answer for this group version, if an earlier command read it less than {@link #KEPT} ago. */
    private Optional<List<ApiResource>> earlier(String apiVersion) {
        if (!keeps) {
            return Optional.empty();
        }
        Earlier kept = EARLIER.get(key(apiVersion));
        if (kept == null || nanoClock.getAsLong() - kept.readAt() > KEPT.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(kept.resources());
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
            // every kind served now: nothing kept from an earlier command
            List<ApiResource> found = new ArrayList<>(readNow("v1").orElse(List.of()));
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
                        found.addAll(readNow(preferred).orElse(List.of()));
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
                    .filter(v -> !byGroupVersion.containsKey(v)).filter(v -> !takeEarlier(v)).toList();
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
        if (!byGroupVersion.containsKey(apiVersion) && !takeEarlier(apiVersion)) {
            byGroupVersion.put(apiVersion, fetch(apiVersion));
        }
        return byGroupVersion.get(apiVersion);
    }

    /** As {@link #groupVersion}, read by this command: an answer kept from an earlier command is not used. */
    private synchronized Optional<List<ApiResource>> readNow(String apiVersion) {
        readAgain(apiVersion);
        if (!byGroupVersion.containsKey(apiVersion)) {
            byGroupVersion.put(apiVersion, fetch(apiVersion));
        }
        return byGroupVersion.get(apiVersion);
    }

    /** Takes this group version from an earlier command's answer when one is kept; whether it did. */
    private synchronized boolean takeEarlier(String apiVersion) {
        Optional<List<ApiResource>> kept = earlier(apiVersion);
        if (kept.isEmpty()) {
            return false;
        }
        byGroupVersion.put(apiVersion, kept);
        fromEarlier.add(apiVersion);
        return true;
    }

    private Optional<List<ApiResource>> fetch(String apiVersion) {
        APIResourceList list;
        try {
            list = connection.client().getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                if (keeps) {
                    EARLIER.remove(key(apiVersion));
                }
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
        List<ApiResource> served = List.copyOf(resources);
        if (keeps) {
            EARLIER.put(key(apiVersion), new Earlier(nanoClock.getAsLong(), served));
        }
        return Optional.of(served);
    }

    /** The fabric8 context for generic requests about this kind. */
    static ResourceDefinitionContext context(ApiResource resource) {
        return new ResourceDefinitionContext.Builder().withGroup(resource.group()).withVersion(resource.version())
                .withKind(resource.kind()).withPlural(resource.plural()).withNamespaced(resource.namespaced()).build();
    }
}
