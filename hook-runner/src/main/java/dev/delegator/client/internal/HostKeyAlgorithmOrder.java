package dev.delegator.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.signature.Signature;

/**
 * Puts the host-key algorithms of the key types pinned for a host first in the session's KEX
 * proposal. MINA proposes ECDSA before ed25519 whatever known_hosts holds, so against a server with
 * both, an ed25519-only known_hosts would look "changed". The others stay, after them (reorder,
 * do not filter: a host whose pinned type is gone then gets a clear "changed" message). For a
 * host under a trusted host CA, the certificate algorithms come before all of them.
 */
public final class HostKeyAlgorithmOrder implements SessionListener {
    @Override
    public void sessionCreated(Session session) {
        if (!(session instanceof ClientSession cs)) {
            return;
        }
        SessionSetup.of(cs).ifPresent(setup -> cs.setSignatureFactories(
                withCertificates(reorder(cs.getSignatureFactories(), setup.pinned.keyTypes()), setup.pinned.hasAuthorities())));
    }

    /** Host certificate algorithms first when a host CA is trusted for the host (sshd then presents its certificate). */
    static List<NamedFactory<Signature>> withCertificates(List<NamedFactory<Signature>> factories, boolean authorities) {
        if (!authorities) {
            return factories;
        }
        List<NamedFactory<Signature>> out = new ArrayList<>(RestrictedClient.HOST_CERTIFICATE_ALGORITHMS);
        factories.stream().filter(f -> !out.contains(f)).forEach(out::add);
        return out;
    }

    static List<NamedFactory<Signature>> reorder(List<NamedFactory<Signature>> factories, Set<String> keyTypes) {
        List<NamedFactory<Signature>> first = new ArrayList<>();
        List<NamedFactory<Signature>> rest = new ArrayList<>();
        for (String type : keyTypes) {
            for (NamedFactory<Signature> f : factories) {
                if (algorithmsFor(type).contains(f.getName()) && !first.contains(f)) {
                    first.add(f);
                }
            }
        }
        for (NamedFactory<Signature> f : factories) {
            if (!first.contains(f)) {
                rest.add(f);
            }
        }
        first.addAll(rest);
        return first;
    }

    /** Host-key algorithm names that prove possession of a key of this known_hosts type. */
    static List<String> algorithmsFor(String keyType) {
        return switch (keyType) {
            case "ssh-rsa" -> List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");
            default -> List.of(keyType);
        };
    }
}
