package dev.delegator.client;

import dev.delegator.client.internal.RestrictedClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;

/**
 * Authenticated connections kept open between runs (README "Connection reuse"): what the caller's
 * agent holds. A runner built on a pool ({@link DelegationRunner#DelegationRunner(RunOptions, ConnectionPool)})
 * takes an idle connection to the same account, host, key, certificate and known_hosts if there is
 * one, opens one exec channel on it, and gives it back when the command ended by itself. Every
 * connection in the pool was opened and verified by the runner's one connection path (pinned host
 * keys, one identity), so reuse never skips a check; a connection whose run was cancelled or timed
 * out is closed instead, as without a pool, because closing it is how the remote work is ended.
 *
 * <p>One request at a time per connection: concurrent runs to the same target each get their own.
 */
public final class ConnectionPool implements AutoCloseable {
    private final SshClient client;
    private final Map<Key, Deque<ClientSession>> idle = new HashMap<>();
    private boolean closed;

    /** A pool with a client of its own, configured with {@code options}' connection settings. */
    public ConnectionPool(RunOptions options) {
        this.client = ClientPreparation.none().take();
        RestrictedClient.configure(client, options);
    }

    SshClient client() {
        return client;
    }

    /** What a pooled connection was opened for: the same account, host and material. */
    record Key(String user, String host, int port, String identity, String knownHosts, String certificate) {
        static Key of(DelegationTarget t) {
            return new Key(t.user(), t.host(), t.port(), t.identity().origin(), t.knownHosts().origin(),
                    t.certificate().map(Material::origin).orElse(""));
        }
    }

    /** An idle, still open connection for {@code target}, or null. */
    synchronized ClientSession take(DelegationTarget target) {
        Deque<ClientSession> q = idle.get(Key.of(target));
        while (q != null && !q.isEmpty()) {
            ClientSession s = q.pollFirst();
            if (s.isOpen() && s.isAuthenticated()) {
                return s;
            }
            s.close(true);
        }
        return null;
    }

    /** Keeps {@code session} for the next run to {@code target}; closes it when the pool is closed. */
    synchronized void give(DelegationTarget target, ClientSession session) {
        if (closed || !session.isOpen()) {
            session.close(true);
            return;
        }
        idle.computeIfAbsent(Key.of(target), k -> new ArrayDeque<>()).addFirst(session);
    }

    /** The idle connections, one {@code user@host:port} each, for {@code delegator agent status}. */
    public synchronized List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Key, Deque<ClientSession>> e : idle.entrySet()) {
            for (ClientSession s : e.getValue()) {
                if (s.isOpen()) {
                    Key k = e.getKey();
                    out.add(k.user() + "@" + new dev.delegator.knownhosts.HostPort(k.host(), k.port()).display());
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Closes every idle connection and the client (runs in progress lose theirs). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Deque<ClientSession> q : idle.values()) {
                for (ClientSession s : q) {
                    s.close(true);
                }
            }
            idle.clear();
        }
        client.stop();
    }
}
