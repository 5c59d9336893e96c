package dev.delegator.client.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import jdk.net.ExtendedSocketOptions;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.PropertyResolver;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2CompletionHandler;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.util.Readable;

/**
 * MINA's NIO2 transport, with every received segment acknowledged at once (Linux TCP_QUICKACK).
 *
 * <p>Why: sshd leaves Nagle's algorithm on for sessions without a tty, and it answers some requests
 * with two small packets (NEWKEYS then EXT_INFO/SERVICE_ACCEPT; channel data then exit-status, EOF
 * and CLOSE). Nagle holds the second until the first is acknowledged, and Linux delays that
 * acknowledgement by up to 40 ms when it sees a request/response exchange. A short delegation used to
 * spend about 80 of its 185 ms (OpenSSH's ssh has the same stalls) in these two waits. The kernel
 * leaves quick-ack mode again on its own, so the flag is set again whenever data arrives, before the
 * data is handled: any delayed acknowledgement goes out then. One setsockopt per read; where the
 * option does not exist (not Linux) nothing changes.
 */
public final class QuickAckConnections extends Nio2ServiceFactoryFactory {
    private static final SocketOption<Boolean> QUICKACK = ExtendedSocketOptions.TCP_QUICKACK;

    /** Whether this JDK and OS offer TCP_QUICKACK (Linux does). */
    public static boolean supported() {
        try (AsynchronousSocketChannel probe = AsynchronousSocketChannel.open()) {
            return probe.supportedOptions().contains(QUICKACK);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public IoServiceFactory create(FactoryManager manager) {
        return new Nio2ServiceFactory(manager, newExecutor(), newExecutor()) {
            @Override
            public Nio2Session createSession(Nio2Service service, IoHandler handler, AsynchronousSocketChannel socket,
                    SocketAddress acceptance) throws Throwable {
                return new QuickAckSession(service, getFactoryManager(), handler, socket, acceptance);
            }
        };
    }

    private static final class QuickAckSession extends Nio2Session {
        private final AsynchronousSocketChannel socket;
        private final boolean supported;

        QuickAckSession(Nio2Service service, PropertyResolver properties, IoHandler handler,
                AsynchronousSocketChannel socket, SocketAddress acceptance) throws IOException {
            super(service, properties, handler, socket, acceptance);
            this.socket = socket;
            this.supported = socket.supportedOptions().contains(QUICKACK);
            quickAck();
        }

        @Override
        protected void handleReadCycleCompletion(ByteBuffer buffer, Readable bufReader,
                Nio2CompletionHandler<Integer, Object> completionHandler, Integer result, Object attachment) {
            quickAck();
            super.handleReadCycleCompletion(buffer, bufReader, completionHandler, result, attachment);
        }

        private void quickAck() {
            if (!supported) {
                return;
            }
            try {
                socket.setOption(QUICKACK, true);
            } catch (IOException | RuntimeException e) {
                // a closing socket: the read that follows reports it
            }
        }
    }
}
