package dev.delegator.client.internal;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Optional;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/**
 * Accepts a server only when its host key is pinned for it, or is a host certificate that a
 * {@code @cert-authority} for it vouches for ({@link PinnedHostKeys#refusal}); unknown and changed
 * keys and bad certificates are refused and the reason is kept for the error message. MINA's default verifier accepts every key, which is
 * why this one is always set explicitly.
 */
public final class PinnedHostKeyVerifier implements ServerKeyVerifier {
    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        Optional<SessionSetup> setup = SessionSetup.of(session);
        if (setup.isEmpty()) {
            return false; // a session we did not set up: never trust it
        }
        Optional<String> rejection = setup.get().pinned.refusal(session, serverKey, setup.get().advice);
        rejection.ifPresent(setup.get().rejection::set);
        return rejection.isEmpty();
    }
}
