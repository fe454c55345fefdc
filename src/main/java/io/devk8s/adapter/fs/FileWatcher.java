package io.devk8s.adapter.fs;

import io.devk8s.Devk8sException;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.helpers.NOPLogger;

/**
 * Calls back with the path of every file created, changed or deleted below some folders, until closed. Either
 * native ({@code io.methvin:directory-watcher}: FSEvents on macOS, a watch per folder elsewhere) or polling (the
 * folders walked every interval, files compared by size and modification time). Only files are reported, not
 * folders (a folder's files are reported one by one). Folders named {@code .git} are not
 * entered by the poller; the native watcher reports them and the caller drops them. When events were lost (the
 * kernel's queue overflowed), the watched root itself is reported.
 */
public abstract class FileWatcher implements AutoCloseable {

    /** A native watcher over {@code roots}; a one-line failure when the system refuses (e.g. inotify limits). */
    public static FileWatcher nativeWatcher(List<Path> roots, Consumer<Path> onChange) {
        return new Native(roots, onChange);
    }

    /** A watcher that walks {@code roots} every {@code interval}; works on every file system. */
    public static FileWatcher polling(List<Path> roots, Duration interval, Consumer<Path> onChange) {
        return new Polling(roots, interval, onChange);
    }

    @Override
    public abstract void close();

    private static final class Native extends FileWatcher {
        private final DirectoryWatcher watcher;

        Native(List<Path> roots, Consumer<Path> onChange) {
            try {
                watcher = DirectoryWatcher.builder().paths(roots).fileHashing(false)
                        .logger(NOPLogger.NOP_LOGGER)
                        .listener(event -> {
                            if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
                                onChange.accept(event.rootPath());
                            } else if (!event.isDirectory() && event.path() != null) {
                                onChange.accept(event.path());
                            }
                        })
                        .build();
            } catch (IOException | UncheckedIOException e) {
                throw Devk8sException.precondition("cannot watch " + roots + " for changes: " + e.getMessage()
                        + "; raise fs.inotify.max_user_watches or use --poll");
            }
            watcher.watchAsync(runnable -> {
                Thread t = new Thread(runnable, "devk8s file watch");
                t.setDaemon(true);
                t.start();
            });
        }

        @Override
        public void close() {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing: nothing left to do
            }
        }
    }

    private static final class Polling extends FileWatcher {
        private record Stamp(long size, long modified) {
        }

        private final List<Path> roots;
        private final Consumer<Path> onChange;
        private final Thread thread;
        private volatile boolean closed;

        Polling(List<Path> roots, Duration interval, Consumer<Path> onChange) {
            this.roots = List.copyOf(roots);
            this.onChange = onChange;
            Map<Path, Stamp> first = scan();
            thread = new Thread(() -> loop(first, interval), "devk8s file poll");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop(Map<Path, Stamp> previous, Duration interval) {
            Map<Path, Stamp> before = previous;
            try {
                while (!closed) {
                    Thread.sleep(Math.max(1, interval.toMillis()));
                    Map<Path, Stamp> now = scan();
                    Set<Path> changed = new HashSet<>();
                    for (Map.Entry<Path, Stamp> e : now.entrySet()) {
                        if (!e.getValue().equals(before.get(e.getKey()))) {
                            changed.add(e.getKey());
                        }
                    }
                    for (Path p : before.keySet()) {
                        if (!now.containsKey(p)) {
                            changed.add(p);
                        }
                    }
                    if (!closed) {
                        changed.stream().sorted().forEach(onChange);
                    }
                    before = now;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Map<Path, Stamp> scan() {
            Map<Path, Stamp> files = new HashMap<>();
            for (Path root : roots) {
                try {
                    Files.walkFileTree(root, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            return dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                                    ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            files.put(file, new Stamp(attrs.size(), attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
                } catch (NoSuchFileException e) {
                    // a root that is gone has no files
                } catch (IOException e) {
                    // unreadable now: the next scan tries again
                }
            }
            return files;
        }

        @Override
        public void close() {
            closed = true;
            thread.interrupt();
        }
    }
}
