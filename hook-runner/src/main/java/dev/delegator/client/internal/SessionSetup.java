package dev.delegator.client.internal;

import dev.delegator.client.PinAdvice;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;

/**
 * What one connection needs that differs per target: its pinned host keys and how to advise on
 * a refusal. Travels as the connection context of MINA's connect(), so one SshClient serves many
 * targets (fan-out) and the verifier and the algorithm ordering each see their own host's keys.
 */
public final class SessionSetup {
    static final AttributeRepository.AttributeKey<SessionSetup> KEY = new AttributeRepository.AttributeKey<>();

    final PinnedHostKeys pinned;
    final PinAdvice advice;
    /** The one-line reason the host was refused, for the error message; null while it is not. */
    public final AtomicReference<String> rejection = new AtomicReference<>();

    public SessionSetup(PinnedHostKeys pinned, PinAdvice advice) {
        this.pinned = pinned;
        this.advice = advice;
    }

    public AttributeRepository asContext() {
        return AttributeRepository.ofKeyValuePair(KEY, this);
    }

    static Optional<SessionSetup> of(ClientSession session) {
        AttributeRepository ctx = session.getConnectionContext();
        return Optional.ofNullable(ctx == null ? null : ctx.getAttribute(KEY));
    }
}
