package dev.delegator.cli.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent protocol: frames of one type byte, a 4-byte big-endian length and that many bytes,
 * over a Unix socket. Reads and writes go straight to the channel (its streams from
 * {@code Channels} serialize a read and a write on one lock on JDK 17, and both run at once here).
 *
 * <p>Client to agent: {@link #REQUEST} (protocol version, the build's class path fingerprint, the
 * working directory, the arguments, a few named environment variables), then {@link #STDIN} chunks
 * and one {@link #STDIN_EOF}, and {@link #CANCEL} (the exit status a signal asks for); or a lone
 * {@link #STATUS} or {@link #STOP}. Agent to client: {@link #ACCEPT} (the agent runs it) or
 * {@link #DECLINE} (run it yourself), {@link #STDOUT}/{@link #STDERR} bytes as they come,
 * {@link #ACK} for stdin bytes the command consumed (the client keeps at most {@link #WINDOW}
 * unacknowledged, so the agent never holds more), and one {@link #EXIT} with the status.
 */
final class Frames {
    static final String VERSION = "delegator-agent/1";
    static final byte REQUEST = 1, STDIN = 2, STDIN_EOF = 3, CANCEL = 4, STATUS = 5, STOP = 6;
    static final byte ACCEPT = 16, DECLINE = 17, STDOUT = 18, STDERR = 19, EXIT = 20, ACK = 21, TEXT = 22;
    /** Largest frame either side accepts. */
    static final int MAX = 1 << 20;
    /** Unacknowledged stdin bytes in flight. */
    static final int WINDOW = 1 << 20;
    /** The most stdin or output bytes a client or the agent puts in one frame. */
    static final int CHUNK = 64 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(5);

    Frames(SocketChannel channel) {
        this.channel = channel;
    }

    /** One frame read. */
    record Frame(byte type, byte[] payload) {
        int intValue() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    /** Writes one frame; safe from several threads. */
    void write(byte type, byte[] b, int off, int len) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(5).put(type).putInt(len).flip();
        ByteBuffer body = ByteBuffer.wrap(b, off, len);
        synchronized (this) {
            while (h.hasRemaining() || body.hasRemaining()) {
                channel.write(new ByteBuffer[] {h, body});
            }
        }
    }

    void write(byte type) throws IOException {
        write(type, new byte[0], 0, 0);
    }

    void writeInt(byte type, int value) throws IOException {
        write(type, ByteBuffer.allocate(4).putInt(value).array(), 0, 4);
    }

    /** The next frame, or null at the end of the stream; only one thread reads. */
    Frame read() throws IOException {
        header.clear();
        if (!fill(header, true)) {
            return null;
        }
        header.flip();
        byte type = header.get();
        int len = header.getInt();
        if (len < 0 || len > MAX) {
            throw new IOException("agent protocol: frame of " + len + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate(len);
        if (!fill(body, false)) {
            throw new EOFException("agent protocol: stream ended inside a frame");
        }
        return new Frame(type, body.array());
    }

    private boolean fill(ByteBuffer b, boolean endAllowed) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                if (endAllowed && b.position() == 0) {
                    return false;
                }
                throw new EOFException("agent protocol: stream ended inside a frame");
            }
        }
        return true;
    }

    /** An output stream that sends what is written as frames of {@code type}, unbuffered. */
    OutputStream stream(byte type) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, CHUNK);
                    Frames.this.write(type, b, off, n);
                    off += n;
                    len -= n;
                }
            }
        };
    }

    /**
     * The environment variables a request carries: those the commands read besides the arguments
     * (the audit log's place, the hooks' input). Nothing else, so no secret a caller keeps in its
     * environment crosses the socket.
     */
    static final List<String> ENVIRONMENT = List.of("XDG_STATE_HOME", "HG_NODE", "HG_NODE_LAST", "HG_SOURCE", "GIT_DIR");

    /**
     * Which build a process runs: its class path and the size and modification time of each jar on
     * it. An agent from another build (the package was upgraded) declines and ends.
     */
    static String build() {
        String cp = System.getProperty("java.class.path", "");
        StringBuilder b = new StringBuilder(cp);
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            java.io.File f = new java.io.File(entry);
            if (f.isFile()) {
                // whole seconds: what the Perl light client's stat gives
                b.append(' ').append(f.length()).append('@').append(f.lastModified() / 1000);
            }
        }
        return b.toString();
    }

    /** Strings as length-prefixed UTF-8, for the request. */
    static byte[] strings(List<String> values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(values.size());
            for (String v : values) {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    static List<String> strings(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        int n = in.readInt();
        if (n < 0 || n > payload.length) {
            throw new IOException("agent protocol: " + n + " strings");
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = in.readInt();
            if (len < 0 || len > payload.length) {
                throw new IOException("agent protocol: string of " + len + " bytes");
            }
            byte[] b = new byte[len];
            in.readFully(b);
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }
}
