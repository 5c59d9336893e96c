package dev.delegator.cli.agent;

import dev.delegator.client.DelegationRunner;
import dev.delegator.invocation.Invocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.nio.file.Path;

/**
 * One request inside the agent: the client's stdin as an input stream (fed by STDIN frames,
 * acknowledged as the command consumes it), stdout and stderr as frame streams, and the client's
 * CANCEL, or its going away, turned into cancelling the run, which closes its connection as a
 * signal does without an agent.
 */
final class AgentCall {
    private final Frames frames;
    private final AgentServer server;
    private final Stdin stdin = new Stdin();
    private DelegationRunner runner;
    private Integer cancelled;
    private boolean accepted;
    private boolean declined;

    AgentCall(Frames frames, AgentServer server) {
        this.frames = frames;
        this.server = server;
    }

    InputStream in() {
        return stdin;
    }

    OutputStream out() {
        return frames.stream(Frames.STDOUT);
    }

    OutputStream err() {
        return frames.stream(Frames.STDERR);
    }

    AgentServer server() {
        return server;
    }

    /** The agent runs it: the client starts forwarding stdin and signals; the idle period is {@code reuse} from now on. */
    void accept(Duration reuse) throws IOException {
        server.reuse(reuse);
        accepted = true;
        frames.write(Frames.ACCEPT);
    }

    /** The client runs it itself; nothing more is sent. */
    void decline() throws IOException {
        declined = true;
        frames.write(Frames.DECLINE);
    }

    boolean declined() {
        return declined;
    }

    /** See {@link FileFingerprints#changed}. */
    Optional<Path> changed(List<Path> files) {
        return server.fingerprints().changed(files);
    }

    /** Reads the client's frames until it ends: stdin, cancel, and its end (a cancel too, when not finished). */
    void startReading() {
        Thread t = new Thread(() -> {
            try {
                Frames.Frame f;
                while ((f = frames.read()) != null) {
                    switch (f.type()) {
                        case Frames.STDIN -> stdin.add(f.payload());
                        case Frames.STDIN_EOF -> stdin.end();
                        case Frames.CANCEL -> cancel(f.intValue());
                        default -> throw new IOException("agent protocol: unexpected frame " + f.type());
                    }
                }
            } catch (java.nio.channels.ClosedChannelException e) {
                // the request finished and its connection was closed under this read
            } catch (IOException e) {
                server.log("request connection: " + e);
            }
            stdin.end();
            // the client is gone (killed, or its connection broke): end the remote work as it would have
            cancel(255);
        }, "agent-request-reader");
        t.setDaemon(true);
        t.start();
    }

    private void cancel(int status) {
        DelegationRunner r;
        synchronized (this) {
            if (cancelled != null) {
                return;
            }
            cancelled = status;
            r = runner;
        }
        if (r != null) {
            r.cancelAll(status);
        }
    }

    /** How the invocation learns of a cancel: from the client's frames, never from the agent's own signals. */
    Invocation.Cancellation cancellation() {
        return r -> {
            Integer already;
            synchronized (this) {
                runner = r;
                already = cancelled;
            }
            if (already != null) {
                r.cancelAll(already);
            }
            return () -> {
                synchronized (this) {
                    runner = null;
                }
            };
        };
    }

    boolean accepted() {
        return accepted;
    }

    /** The client's stdin: what STDIN frames brought, EOF after STDIN_EOF; each read acknowledged. */
    private final class Stdin extends InputStream {
        private final Deque<byte[]> chunks = new ArrayDeque<>();
        private int offset;
        private boolean ended;

        synchronized void add(byte[] b) {
            if (b.length > 0) {
                chunks.addLast(b);
                notifyAll();
            }
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n;
            synchronized (this) {
                while (chunks.isEmpty() && !ended) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("stdin read interrupted");
                    }
                }
                if (chunks.isEmpty()) {
                    return -1;
                }
                byte[] head = chunks.peekFirst();
                n = Math.min(len, head.length - offset);
                System.arraycopy(head, offset, b, off, n);
                offset += n;
                if (offset == head.length) {
                    chunks.pollFirst();
                    offset = 0;
                }
            }
            try {
                frames.writeInt(Frames.ACK, n);
            } catch (IOException e) {
                // the client is gone; the reader cancels the run
            }
            return n;
        }

        @Override
        public synchronized int available() {
            return chunks.isEmpty() ? 0 : chunks.peekFirst().length - offset;
        }
    }
}
