package io.devk8s.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies of the example projects for tests that build and change them, without what an earlier build left. */
public final class ExampleCopies {
    private ExampleCopies() {
    }

    /** Copies {@code from} into {@code to} (modes kept), leaving out {@code bin}, where the examples' builds write. */
    public static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path rel = from.relativize(p);
                if (rel.toString().startsWith("bin")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
