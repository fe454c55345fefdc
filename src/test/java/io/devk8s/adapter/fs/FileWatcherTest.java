package io.devk8s.adapter.fs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both watchers on a real folder: what they report for a change, a new folder's file and a deletion. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FileWatcherTest {
    @TempDir
    Path dir;

    @Test
    void should_report_changed_created_and_deleted_files_with_the_native_watcher() throws Exception {
        check(FileWatcher::nativeWatcher);
    }

    @Test
    void should_report_changed_created_and_deleted_files_when_polling() throws Exception {
        check((roots, sink) -> FileWatcher.polling(roots, Duration.ofMillis(50), sink));
    }

    @Test
    void should_not_enter_git_folders_when_polling() throws Exception {
        Files.createDirectories(dir.resolve(".git"));
        Set<Path> seen = ConcurrentHashMap.newKeySet();
        try (FileWatcher w = FileWatcher.polling(List.of(dir), Duration.ofMillis(50), seen::add)) {
            Files.writeString(dir.resolve(".git/index"), "x");
            Files.writeString(dir.resolve("a.txt"), "x");
            await(seen, dir.resolve("a.txt"));
            Thread.sleep(200);
        }
        assertFalse(seen.contains(dir.resolve(".git/index")), seen.toString());
    }

    private void check(BiFunction<List<Path>, Consumer<Path>, FileWatcher> start) throws Exception {
        Path existing = Files.writeString(dir.resolve("a.txt"), "1");
        Set<Path> seen = ConcurrentHashMap.newKeySet();
        try (FileWatcher w = start.apply(List.of(dir), seen::add)) {
            Files.writeString(existing, "22");
            await(seen, existing);

            Path nested = dir.resolve("sub/deeper/b.txt");
            Files.createDirectories(nested.getParent());
            Thread.sleep(100); // a new folder is registered when its creation is seen
            Files.writeString(nested, "x");
            await(seen, nested);

            seen.clear();
            Files.delete(existing);
            await(seen, existing);
        }
    }

    private static void await(Set<Path> seen, Path expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!seen.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(seen.contains(expected), expected + " not reported; got " + seen);
    }
}
