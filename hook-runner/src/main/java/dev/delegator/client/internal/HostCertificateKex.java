package dev.delegator.client.internal;

import java.util.Optional;
import java.util.function.Function;
import org.apache.sshd.client.kex.DHGClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyExchange;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.session.Session;

/**
 * MINA's key exchange with its host-certificate check replaced by ours. MINA 2.20 checks a few
 * things of a host certificate during the key exchange (type, validity, principals, signature) but
 * not whether known_hosts trusts its CA for the host (SSHD-1167), and fails with its own wording
 * before the host-key verifier runs. Here the whole judgement is {@link PinnedHostKeys#refusal}, the
 * same one the verifier applies afterwards, so a refused certificate ends the connection at this
 * point with delegator's one-line reason kept for the error message.
 */
final class HostCertificateKex {
    private HostCertificateKex() {}

    /** In place of {@code ClientBuilder.DH2KEX}. */
    static final Function<DHFactory, KeyExchangeFactory> DH2KEX = HostCertificateKex::factory;

    static KeyExchangeFactory factory(DHFactory dh) {
        return new KeyExchangeFactory() {
            @Override
            public String getName() {
                return dh.getName();
            }

            @Override
            public KeyExchange createKeyExchange(Session session) {
                return new Checked(dh, session);
            }

            @Override
            public String toString() {
                return getName();
            }
        };
    }

    private static final class Checked extends DHGClient {
        Checked(DHFactory factory, Session session) {
            super(factory, session);
        }

        @Override
        protected void verifyCertificate(Session session, OpenSshCertificate cert) throws Exception {
            if (!(session instanceof ClientSession cs)) {
                throw new SshException(SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE, "not a client session");
            }
            Optional<SessionSetup> setup = SessionSetup.of(cs);
            if (setup.isEmpty()) {
                throw new SshException(SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE, "a session we did not set up");
            }
            Optional<String> refusal = setup.get().pinned.refusal(cs, cert, setup.get().advice);
            if (refusal.isPresent()) {
                setup.get().rejection.set(refusal.get());
                throw new SshException(SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE, refusal.get());
            }
        }
    }
}
