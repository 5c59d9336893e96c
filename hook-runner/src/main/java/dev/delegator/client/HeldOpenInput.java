package dev.delegator.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * The remote stdin of a request that has nothing to send (a hook; one host of a fan-out): it
 * stays open, sending no data and no EOF, until the channel closes. The dispatcher takes EOF on
 * its stdin as "the caller went away" and ends the work (OpenSSH forwards no signals to a forced
 * command), so an empty stream, whose EOF is sent at once, would cancel every deploy that takes
 * longer than the EOF's round trip. The work itself always gets /dev/null as stdin, so holding
 * the channel's stdin open cannot make it wait for input. Reads end with EOF on {@link #close()}
 * and with {@link InterruptedIOException} when the reading thread is interrupted (MINA cancels
 * its stdin pumper that way when the channel closes).
 */
public final class HeldOpenInput extends InputStream {
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public int read() throws IOException {
        awaitClose();
        return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        awaitClose();
        return -1;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public void close() {
        closed.countDown();
    }

    private void awaitClose() throws InterruptedIOException {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stdin held open until the channel closed");
        }
    }
}
