package dev.delegator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HeldOpenInputTest {
    @Test
    void aReadWaitsUntilCloseAndThenSeesEof() throws Exception {
        HeldOpenInput in = new HeldOpenInput();
        CountDownLatch reading = new CountDownLatch(1);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            reading.countDown();
            try {
                return in.read(new byte[8], 0, 8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(reading.await(5, TimeUnit.SECONDS));
        Thread.sleep(100);
        assertFalse(read.isDone(), "no data and no EOF while open");
        assertEquals(0, in.available());
        in.close();
        assertEquals(-1, read.get(5, TimeUnit.SECONDS));
        assertEquals(-1, in.read());
    }

    @Test
    void anInterruptedReaderGetsInterruptedIoException() throws Exception {
        HeldOpenInput in = new HeldOpenInput();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                in.read();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        Thread.sleep(50);
        t.interrupt();
        t.join(5000);
        assertFalse(t.isAlive());
        assertTrue(thrown.get() instanceof InterruptedIOException, String.valueOf(thrown.get()));
    }

    @Test
    void aZeroLengthReadReturnsAtOnce() throws Exception {
        assertEquals(0, new HeldOpenInput().read(new byte[4], 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> new HeldOpenInput().read(new byte[4], 2, 5));
    }
}
