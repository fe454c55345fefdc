package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules for Docker clients kept between commands; clients here are stand-ins that only record close(). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KeptClientsTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong();
    private final KeptClients kept = new KeptClients(now::get);
    private final List<DockerClient> closed = new ArrayList<>();

    private DockerClient client() {
        DockerClient[] self = new DockerClient[1];
        self[0] = (DockerClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DockerClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closed.add(self[0]);
                        return null;
                    }
                    if (method.getName().equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (method.getName().equals("equals")) {
                        return proxy == args[0];
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return self[0];
    }

    private static KeptClients.Key key(String host) {
        return new KeptClients.Key(new DockerEngine.Settings(host, false, Optional.empty(),
                DockerEngine.Source.ENVIRONMENT), Path.of("/nowhere"), "files");
    }

    @Test
    void should_hand_the_same_client_to_the_next_user_of_the_same_engine_and_a_new_one_to_another_engine() {
        KeptClients.Lease first = kept.acquire(key("tcp://a:1"), this::client);
        assertFalse(first.reused());
        kept.release(first.entry());
        KeptClients.Lease second = kept.acquire(key("tcp://a:1"), this::client);
        assertTrue(second.reused());
        assertSame(first.client(), second.client());
        KeptClients.Lease other = kept.acquire(key("tcp://b:1"), this::client);
        assertFalse(other.reused());
        assertNotEquals(first.client(), other.client());
        assertTrue(closed.isEmpty());
    }

    @Test
    void should_close_a_client_nobody_used_for_ten_minutes_but_never_one_in_use() {
        KeptClients.Lease idle = kept.acquire(key("tcp://idle:1"), this::client);
        kept.release(idle.entry());
        KeptClients.Lease busy = kept.acquire(key("tcp://busy:1"), this::client); // a long build: never released
        now.addAndGet(KeptClients.KEPT_FOR.toNanos() + 1);
        kept.acquire(key("tcp://third:1"), this::client);
        assertEquals(List.of(idle.client()), closed);
        KeptClients.Lease again = kept.acquire(key("tcp://busy:1"), this::client);
        assertTrue(again.reused());
        assertSame(busy.client(), again.client());
        KeptClients.Lease fresh = kept.acquire(key("tcp://idle:1"), this::client);
        assertFalse(fresh.reused());
    }

    @Test
    void should_keep_at_most_four_and_let_a_fifth_engine_use_its_own_client_when_all_are_in_use() {
        for (int i = 0; i < KeptClients.MAX; i++) {
            assertNotNull(kept.acquire(key("tcp://h" + i + ":1"), this::client));
        }
        assertNull(kept.acquire(key("tcp://h9:1"), this::client));
        assertEquals(KeptClients.MAX, kept.size());
        assertTrue(closed.isEmpty());
    }

    @Test
    void should_make_room_by_closing_the_least_recently_used_idle_client() {
        List<KeptClients.Lease> leases = new ArrayList<>();
        for (int i = 0; i < KeptClients.MAX; i++) {
            leases.add(kept.acquire(key("tcp://h" + i + ":1"), this::client));
            now.incrementAndGet();
        }
        kept.release(leases.get(2).entry());
        kept.release(leases.get(1).entry());
        assertNotNull(kept.acquire(key("tcp://h9:1"), this::client));
        assertEquals(List.of(leases.get(1).client()), closed);
        assertEquals(KeptClients.MAX, kept.size());
    }

    @Test
    void should_never_hand_out_a_dropped_client_and_close_it_when_its_last_user_is_done() {
        KeptClients.Lease a = kept.acquire(key("tcp://a:1"), this::client);
        KeptClients.Lease b = kept.acquire(key("tcp://a:1"), this::client);
        kept.drop(a.entry());
        kept.release(a.entry());
        assertTrue(closed.isEmpty(), "b still uses it");
        KeptClients.Lease c = kept.acquire(key("tcp://a:1"), this::client);
        assertFalse(c.reused());
        kept.release(b.entry());
        assertEquals(List.of(a.client()), closed);
    }

    @Test
    void should_key_on_the_contents_of_the_certificates_and_the_docker_config() throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Path config = Files.createDirectories(dir.resolve("docker"));
        for (String f : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
            Files.writeString(certs.resolve(f), f);
        }
        DockerEngine.Settings tls = new DockerEngine.Settings("tcp://127.0.0.1:2376", true, Optional.of(certs),
                DockerEngine.Source.MINIKUBE);
        KeptClients.Key before = KeptClients.key(tls, config);
        assertEquals(before, KeptClients.key(tls, config));
        Files.writeString(certs.resolve("cert.pem"), "renewed");
        KeptClients.Key renewed = KeptClients.key(tls, config);
        assertNotEquals(before, renewed);
        Files.writeString(config.resolve("config.json"), "{\"auths\":{}}");
        assertNotEquals(renewed, KeptClients.key(tls, config));
    }
}
