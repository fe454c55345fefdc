package io.devk8s.service.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.config.ProjectFile;
import io.devk8s.config.ProjectFileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WatchPlanTest {
    @TempDir
    Path tmp;

    private Path write(String rel, String text) throws Exception {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void should_watch_the_fewest_folders_including_contexts_and_build_dirs_outside_the_project() throws Exception {
        write("proj/devk8s.yaml", """
                project: p
                apps:
                  - name: web
                    image: web
                    context: ../web
                    dockerfile: docker/Dockerfile
                    build: {command: make, dir: ../tools, inputs: ["*.mk"]}
                    manifests: [k8s/web.yaml]
                """);
        write("web/docker/Dockerfile", "FROM scratch\n");
        write("web/docker/Dockerfile.dockerignore", "**/*.tmp\n");
        write("web/.dockerignore", "*\n");
        write("tools/rules.mk", "all:\n");
        write("proj/k8s/web.yaml", "kind: Deployment\n");
        ProjectFile project = new ProjectFileLoader().load(tmp.resolve("proj/devk8s.yaml"));
        WatchPlan plan = WatchPlan.of(project, project.apps());

        assertEquals(List.of(tmp.resolve("proj"), tmp.resolve("web"), tmp.resolve("tools")), plan.roots());
        assertTrue(plan.isProjectFile(tmp.resolve("proj/devk8s.yaml")));
        // the Dockerfile's own ignore file is the one in force (.dockerignore's "*" is not)
        assertEquals(Map.of("web", WatchPlan.Trigger.CONTEXT), plan.triggers(tmp.resolve("web/src/a.js")));
        assertEquals(Map.of(), plan.triggers(tmp.resolve("web/src/a.tmp")));
        assertEquals(Map.of("web", WatchPlan.Trigger.INPUT), plan.triggers(tmp.resolve("web/docker/Dockerfile")));
        assertEquals(Map.of("web", WatchPlan.Trigger.INPUT),
                plan.triggers(tmp.resolve("web/docker/Dockerfile.dockerignore")));
        assertEquals(Map.of("web", WatchPlan.Trigger.INPUT), plan.triggers(tmp.resolve("tools/rules.mk")));
        assertEquals(Map.of(), plan.triggers(tmp.resolve("tools/README")));
        assertEquals(Map.of("web", WatchPlan.Trigger.INPUT), plan.triggers(tmp.resolve("proj/k8s/web.yaml")));
        assertEquals(Map.of(), plan.triggers(tmp.resolve("proj/k8s/other.yaml")));
        assertEquals(Map.of(), plan.triggers(tmp.resolve("web/.git/objects/ab/cdef")));
        // what a round's snapshot covers: the context files that are not inputs, not excluded, not below .git
        write("web/src/a.js", "x");
        write("web/src/a.tmp", "x");
        write("web/.git/HEAD", "x");
        assertEquals(List.of(tmp.resolve("web/src/a.js")), plan.contextFiles("web"));
    }
}
