package dev.delegator.fanout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes each complete line as {@code prefix + line}, under a lock shared by all hosts of a
 * fan-out, so lines of different hosts never mix. A line is held only until its newline arrives;
 * one longer than {@link #MAX_LINE} bytes is passed on in pieces (each with the prefix and a
 * newline), so memory stays bounded whatever the remote prints. What is left at close gets a newline.
 */
public final class LinePrefixingOutputStream extends OutputStream {
    /** Longest line held back, in bytes. */
    public static final int MAX_LINE = 64 * 1024;

    private final byte[] prefix;
    private final OutputStream sink;
    private final Object lock;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    public LinePrefixingOutputStream(String prefix, OutputStream sink, Object lock) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.sink = sink;
        this.lock = lock;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i + 1 - start);
                emit();
                start = i + 1;
            } else if (line.size() + (i + 1 - start) >= MAX_LINE) {
                line.write(b, start, i + 1 - start);
                line.write('\n');
                emit();
                start = i + 1;
            }
        }
        line.write(b, start, end - start);
    }

    private void emit() throws IOException {
        synchronized (lock) {
            sink.write(prefix);
            line.writeTo(sink);
            sink.flush();
        }
        line.reset();
    }

    @Override
    public void flush() {
        // complete lines are flushed as they are written; a partial line waits for its end
    }

    @Override
    public void close() throws IOException {
        if (line.size() > 0) {
            line.write('\n');
            emit();
        }
    }
}
