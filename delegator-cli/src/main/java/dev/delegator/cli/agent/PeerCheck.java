package dev.delegator.cli.agent;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/** The uid at the other end of a Unix socket ({@code SO_PEERCRED}), against this process's. */
final class PeerCheck {
    private PeerCheck() {}

    static boolean sameUid(SocketChannel ch) throws IOException {
        return peer(ch).equals(self());
    }

    static UserPrincipal peer(SocketChannel ch) throws IOException {
        UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return p.user();
    }

    /** This process's user, as the peer credentials name it (equal when the uids are). */
    static UserPrincipal self() throws IOException {
        return Files.getOwner(Path.of("/proc/self"));
    }
}
