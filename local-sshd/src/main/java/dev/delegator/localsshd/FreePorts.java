package dev.delegator.localsshd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Random free TCP ports on 127.0.0.1, so tests and demo runs side by side never collide on a fixed port. */
public final class FreePorts {
    private FreePorts() {}

    /** A port that was free a moment ago; callers that bind later retry on a race (see {@link LocalSshd}). */
    public static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
