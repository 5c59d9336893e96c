package dev.delegator.client.internal;

import dev.delegator.client.Material;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OncePerMaterialTest {
    @Test
    void sixteenThreadsAskingAtOnceComputeOnce() throws Exception {
        OncePerMaterial<Object, IOException> once = new OncePerMaterial<>(IOException.class);
        Material key = Material.file(Path.of("/keys/id_ed25519"));
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return once.get(key, () -> {
                        computed.incrementAndGet();
                        LockSupport.parkNanos(50_000_000L); // the others arrive while the first computes
                        return new Object();
                    });
                }));
            }
            start.countDown();
            Object first = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<Object> r : results) {
                assertSame(first, r.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, computed.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailureReachesEveryCallerAsItsOwnType() {
        OncePerMaterial<Object, IOException> once = new OncePerMaterial<>(IOException.class);
        Material hosts = Material.file(Path.of("/missing/known_hosts"));
        IOException first = assertThrows(IOException.class, () -> once.get(hosts, () -> {
            throw new IOException("no such file");
        }));
        IOException later = assertThrows(IOException.class, () -> once.get(hosts, Object::new));
        assertSame(first, later);
    }

    @Test
    void differentMaterialsAreComputedApart() throws IOException {
        OncePerMaterial<String, IOException> once = new OncePerMaterial<>(IOException.class);
        assertEquals("a", once.get(Material.file(Path.of("/a")), () -> "a"));
        assertEquals("b", once.get(Material.env("KEY", "secret"), () -> "b"));
        assertEquals("a", once.get(Material.file(Path.of("/a")), () -> "not again"));
    }
}
