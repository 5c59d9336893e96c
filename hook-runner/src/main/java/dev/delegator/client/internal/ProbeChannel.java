package dev.delegator.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.sshd.client.channel.ChannelSession;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * A session channel that sends one channel request at a time with want-reply set and reports
 * how sshd answered (RFC 4254 section 5.4: SSH_MSG_CHANNEL_SUCCESS or _FAILURE). MINA's own
 * channels send pty-req, env and subsystem without want-reply, so a refusal would go unseen;
 * {@code delegator verify} needs the answer itself. Output is kept (bounded) for the evidence.
 */
public final class ProbeChannel extends ChannelSession {
    /** How sshd answered a request. */
    public enum Reply { SUCCESS, FAILURE, CLOSED, NO_ANSWER }

    /** Output beyond this is dropped: a probe shows evidence, it never relays work. */
    static final int KEEP = 4096;

    private final Bounded stdout = new Bounded();
    private final Bounded stderr = new Bounded();
    private volatile CompletableFuture<Reply> pending;

    private ProbeChannel() {
        setOut(stdout);
        setErr(stderr);
    }

    /** Opens a session channel on {@code session}; null with {@code why[0]} set when sshd refused it or did not answer. */
    public static ProbeChannel open(ClientSession session, Duration timeout, String[] why) throws IOException {
        ProbeChannel c = new ProbeChannel();
        session.getService(ConnectionService.class).registerChannel(c);
        OpenFuture of = c.open();
        if (!of.await(timeout) || !of.isOpened()) {
            why[0] = of.getException() == null ? "no answer" : of.getException().getMessage();
            c.close(true);
            return null;
        }
        return c;
    }

    /** Sends request {@code type} (want-reply) with {@code payload} and waits for the answer. */
    public Reply request(String type, Consumer<Buffer> payload, Duration timeout) throws IOException {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        pending = reply;
        Buffer b = getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 64);
        b.putUInt(getRecipient());
        b.putString(type);
        b.putBoolean(true);
        payload.accept(b);
        writePacket(b);
        addCloseFutureListener(f -> reply.complete(Reply.CLOSED));
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Reply.NO_ANSWER;
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.NO_ANSWER;
        }
    }

    @Override
    public void handleSuccess() throws IOException {
        CompletableFuture<Reply> p = pending;
        if (p != null) {
            p.complete(Reply.SUCCESS);
        }
    }

    @Override
    public void handleFailure() throws IOException {
        CompletableFuture<Reply> p = pending;
        if (p != null) {
            p.complete(Reply.FAILURE);
        }
    }

    /**
     * Writes {@code bytes} (a few, within any window) to the remote side's stdin as one data
     * packet. Written directly, not through MINA's channel stream, so that a following
     * {@link #endInput()} cannot overtake it: the EOF then reaches sshd after the data.
     */
    public void send(byte[] bytes) throws IOException {
        Buffer b = getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_DATA, bytes.length + 16);
        b.putUInt(getRecipient());
        b.putBytes(bytes);
        writePacket(b);
    }

    /** Sends EOF, so a shell or program reading stdin ends instead of waiting. */
    public void endInput() throws IOException {
        sendEof();
    }

    /** Waits until sshd closes the channel; false when it did not within {@code timeout}. */
    public boolean awaitClosed(Duration timeout) {
        Set<ClientChannelEvent> events = waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout.toMillis());
        return events.contains(ClientChannelEvent.CLOSED);
    }

    /**
     * Waits until sshd closes the channel or at least {@code bytes} of stdout arrived; false when
     * neither happened within {@code timeout}. For a program that must not see EOF before it
     * answered (sftp-server exits on EOF without writing what it has queued).
     */
    public boolean awaitOutputOrClosed(int bytes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stdout.size() >= bytes || awaitClosed(Duration.ofMillis(20))) {
                return true;
            }
        }
        return false;
    }

    public byte[] stdout() {
        return stdout.bytes();
    }

    public byte[] stderr() {
        return stderr.bytes();
    }

    /** Keeps the first {@link #KEEP} bytes. */
    private static final class Bounded extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (kept.size() < KEEP) {
                kept.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            kept.write(b, off, Math.max(0, Math.min(len, KEEP - kept.size())));
        }

        synchronized int size() {
            return kept.size();
        }

        synchronized byte[] bytes() {
            return kept.toByteArray();
        }
    }
}
