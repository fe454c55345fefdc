package io.devk8s.adapter.docker;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Docker clients kept open between the commands of a process that runs one command after another (the background
 * process), so a command reuses the connection an earlier one opened to the same engine instead of a new TLS
 * handshake: about 40 ms of every {@code deploy} against Minikube's engine ({@code shell} and {@code dev} run in a
 * process of their own and keep nothing).
 *
 * <p>A client is reused only for the same address, TLS setting and certificate folder, and the same contents of
 * {@code ca.pem}, {@code cert.pem}, {@code key.pem} and the Docker CLI's {@code config.json} (read again for every
 * command, so new certificates or a {@code docker login} give a new client). A client nobody used for
 * {@link #KEPT_FOR} is closed, at most {@link #MAX} are kept, and one that is in use is never closed. A kept
 * connection that the engine dropped (it restarted) makes the first call fail: {@link DockerDaemon#connect} then
 * forgets the client and connects afresh. A process that never calls {@link #keepBetweenCommands()} keeps nothing.
 */
final class KeptClients {
    static final Duration KEPT_FOR = Duration.ofMinutes(10);
    static final int MAX = 4;

    /** What a client was made from; equal keys give interchangeable clients. */
    record Key(DockerEngine.Settings settings, Path configDir, String files) {}

    /** A kept client and how many engines use it now. */
    static final class Entry {
        final DockerClient client;
        int users;
        long lastUsed;
        boolean dropped;

        Entry(DockerClient client, long now) {
            this.client = client;
            this.lastUsed = now;
        }
    }

    /** An engine's use of a kept entry; {@code reused} when an earlier engine made its client. */
    record Lease(Entry entry, boolean reused) {
        DockerClient client() {
            return entry.client;
        }
    }

    private static volatile boolean keep;
    private static final KeptClients SHARED = new KeptClients(System::nanoTime);

    private final LongSupplier clock;
    private final Map<Key, Entry> entries = new LinkedHashMap<>();

    KeptClients(LongSupplier clock) {
        this.clock = clock;
    }

    /** This process runs command after command: Docker clients are kept between them. */
    static void keepBetweenCommands() {
        keep = true;
    }

    /** Keeps nothing from now on and closes every kept client nobody uses (for tests that turned keeping on). */
    static void stopKeeping() {
        keep = false;
        synchronized (SHARED) {
            for (Iterator<Entry> it = SHARED.entries.values().iterator(); it.hasNext();) {
                Entry e = it.next();
                it.remove();
                e.dropped = true;
                if (e.users == 0) {
                    close(e);
                }
            }
        }
    }

    /** The process's clients when it keeps them, else null (every engine makes and closes its own). */
    static KeptClients shared() {
        return keep ? SHARED : null;
    }

    /**
     * The kept client for {@code key}, or a new one from {@code create}, kept when there is room; the caller
     * {@link #release releases} it when done. Null when there is no room (the caller makes and closes its own).
     */
    synchronized Lease acquire(Key key, Supplier<DockerClient> create) {
        long now = clock.getAsLong();
        sweep(now);
        Entry e = entries.get(key);
        if (e != null) {
            e.users++;
            e.lastUsed = now;
            return new Lease(e, true);
        }
        if (entries.size() >= MAX) {
            return null; // all in use: the caller's client is its own
        }
        e = new Entry(create.get(), now);
        e.users = 1;
        entries.put(key, e);
        return new Lease(e, false);
    }

    /** The caller is done with {@code e}; a dropped entry nobody uses any more is closed. */
    synchronized void release(Entry e) {
        e.users = Math.max(0, e.users - 1);
        e.lastUsed = clock.getAsLong();
        if (e.dropped && e.users == 0) {
            close(e);
        }
    }

    /** Never hands out {@code e} again (its connection failed); closed once its last user releases it. */
    synchronized void drop(Entry e) {
        entries.values().removeIf(x -> x == e);
        e.dropped = true;
    }

    synchronized int size() {
        return entries.size();
    }

    /** Closes the entries nobody used for {@link #KEPT_FOR}, and, beyond {@link #MAX} - 1, the least recent idle ones. */
    private void sweep(long now) {
        List<Entry> closing = new ArrayList<>();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
            Entry e = it.next();
            if (e.users == 0 && now - e.lastUsed > KEPT_FOR.toNanos()) {
                it.remove();
                closing.add(e);
            }
        }
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && entries.size() >= MAX;) {
            Entry e = it.next();
            if (e.users == 0) {
                it.remove();
                closing.add(e);
            }
        }
        closing.forEach(KeptClients::close);
    }

    private static void close(Entry e) {
        try {
            e.client.close();
        } catch (IOException ignored) {
            // closing a connection pool; nothing anyone can act on
        }
    }

    /**
     * The key of an engine: its settings, its config folder, and a SHA-256 over the certificates' and config.json's
     * contents (an absent file counts as absent); null when one of them cannot be read now (nothing is kept then).
     */
    static Key key(DockerEngine.Settings settings, Path configDir) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files = new ArrayList<>();
        settings.certPath().ifPresent(dir -> {
            files.add(dir.resolve("ca.pem"));
            files.add(dir.resolve("cert.pem"));
            files.add(dir.resolve("key.pem"));
        });
        files.add(configDir.resolve("config.json"));
        for (Path f : files) {
            md.update(f.toString().getBytes(StandardCharsets.UTF_8));
            try {
                byte[] content = Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
                md.update((byte) (content == null ? 0 : 1));
                if (content != null) {
                    md.update(content);
                }
            } catch (IOException e) {
                return null;
            }
        }
        return new Key(settings, configDir, HexFormat.of().formatHex(md.digest()));
    }
}
