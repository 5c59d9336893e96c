package dev.delegator.client.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a channel writes remote output into: passes every chunk on at once (live output, nothing
 * held back), counts the bytes, and never closes the stream it wraps. MINA closes the streams a
 * channel was given when the channel closes; without this, the first run would close System.out.
 */
public final class RelayStream extends FilterOutputStream {
    private final AtomicLong count = new AtomicLong();

    public RelayStream(OutputStream target) {
        super(target);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        out.flush();
        count.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        out.flush();
        count.addAndGet(len);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }

    public long count() {
        return count.get();
    }
}
