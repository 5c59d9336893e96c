package dev.delegator.client;

import dev.delegator.certificates.UserCertificate;
import dev.delegator.client.internal.CertificateIdentity;
import dev.delegator.client.internal.ExitSignals;
import dev.delegator.client.internal.OncePerMaterial;
import dev.delegator.client.internal.PinnedHostKeys;
import dev.delegator.client.internal.PrivateKeys;
import dev.delegator.client.internal.RelayStream;
import dev.delegator.client.internal.RestrictedClient;
import dev.delegator.client.internal.SessionSetup;
import dev.delegator.knownhosts.KnownHosts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;

/**
 * Runs delegation requests over SSH with Apache MINA SSHD and relays their output and exit
 * status. One runner holds one SSH client (threads, configuration) and may run several targets at
 * once (fan-out); close it when done.
 *
 * <p>The rules it keeps (see SECURITY.md, "Apache MINA SSHD client traps"): only the pinned host
 * keys are trusted; only the target's one key is offered; remote stdout/stderr are relayed live,
 * chunk by chunk, never held; stdin is forwarded and EOF is sent when it ends; the run ends on the
 * channel's CLOSED event (never on the exit status alone, which loses the tail of the output), and a
 * CLOSED with neither status nor signal is a lost connection.
 */
public final class DelegationRunner implements AutoCloseable {
    private final RunOptions options;
    private final SshClient client;
    /** Where connections come from and go back to between runs, or null for a connection per run. */
    private final ConnectionPool pool;
    private final Set<ChannelExec> active = ConcurrentHashMap.newKeySet();
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    /** A fan-out uses one key and one known_hosts for every host: decode and parse each once. */
    private final OncePerMaterial<KeyPair, PrivateKeys.KeyRefusedException> keys =
            new OncePerMaterial<>(PrivateKeys.KeyRefusedException.class);
    private final OncePerMaterial<KnownHosts, IOException> knownHosts = new OncePerMaterial<>(IOException.class);
    private volatile Integer cancelledWith;

    /** A runner with a client of its own, built now. */
    public DelegationRunner(RunOptions options) {
        this(options, ClientPreparation.none());
    }

    /** A runner that takes the client {@code preparation} started, if no runner took it yet. */
    public DelegationRunner(RunOptions options, ClientPreparation preparation) {
        this.options = options;
        this.client = preparation.take();
        this.pool = null;
        RestrictedClient.configure(client, options);
    }

    /**
     * A runner that reuses {@code pool}'s connections (README "Connection reuse"); closing the
     * runner closes only the connections it is using, not the pool. The pool's client keeps the
     * connection settings it was made with; {@code options}' timeouts still bound each wait.
     */
    public DelegationRunner(RunOptions options, ConnectionPool pool) {
        this.options = options;
        this.client = pool.client();
        this.pool = pool;
    }

    public RunOptions options() {
        return options;
    }

    /**
     * Runs {@code request} on {@code target}.
     *
     * @param in forwarded to the remote command's stdin; EOF is sent when it ends (pass an empty
     *     stream when there is nothing to send, so a command reading stdin does not wait forever)
     * @param out receives remote stdout; flushed after every chunk, never closed
     * @param err receives remote stderr; flushed after every chunk, never closed
     * @return how it ended; never throws for remote or network trouble
     */
    public RunResult run(DelegationTarget target, RunRequest request, InputStream in, OutputStream out,
            OutputStream err) {
        long start = System.nanoTime();
        if (pool != null) {
            return runPooled(target, request, in, out, err, start);
        }
        Connection c = open(target, start, null);
        if (c.failure() != null) {
            return c.failure();
        }
        try {
            return exec(c.session(), target, request, in, out, err, start);
        } finally {
            release(c.session());
        }
    }

    /**
     * A run on a pooled connection. A kept connection the server dropped meanwhile (sshd restarted,
     * the host rebooted) fails before the command starts: it is closed and one new connection is
     * opened, through {@link #open}, with every check. Once the command started nothing is retried.
     */
    private RunResult runPooled(DelegationTarget target, RunRequest request, InputStream in, OutputStream out,
            OutputStream err, long start) {
        ClientSession kept = pool.take(target);
        if (kept != null) {
            sessions.add(kept);
            boolean[] started = new boolean[1];
            RunResult r = exec(kept, target, request, in, out, err, start, started);
            if (started[0]) {
                settle(target, kept, r);
                return r;
            }
            release(kept);
        }
        Connection c = open(target, start, null);
        if (c.failure() != null) {
            return c.failure();
        }
        RunResult r = exec(c.session(), target, request, in, out, err, start);
        settle(target, c.session(), r);
        return r;
    }

    /** Back to the pool when the command ended by itself; closed otherwise (that ends the remote work). */
    private void settle(DelegationTarget target, ClientSession session, RunResult r) {
        sessions.remove(session);
        boolean clean = r.outcome() == RunResult.Outcome.EXITED || r.outcome() == RunResult.Outcome.SIGNALLED;
        if (clean && cancelledWith == null && session.isOpen()) {
            pool.give(target, session);
        } else {
            session.close(true);
        }
    }

    /**
     * An authenticated session, or (session null) the result that says why there is none;
     * {@code authenticationRefused} when sshd took the connection and refused the key.
     */
    record Connection(ClientSession session, RunResult failure, boolean authenticationRefused) {
        Connection(ClientSession session, RunResult failure) {
            this(session, failure, false);
        }
    }

    /**
     * Reads the key and the pinned host keys, connects (with the retries of the options) and
     * authenticates, exactly as {@link #run} does; {@code delegator verify} probes through the same
     * door. Give the session back with {@link #release}.
     *
     * @param localAddress the local address to connect from, or null for the system's choice
     */
    Connection open(DelegationTarget target, long start, java.net.SocketAddress localAddress) {
        byte[] keyBytes;
        PinnedHostKeys pinned;
        UserCertificate certificate = null;
        try {
            if (target.certificate().isPresent()) {
                // before connecting: an expired or foreign certificate fails here, and nothing is sent
                certificate = CertificateIdentity.check(target, target.certificate().get(), java.time.Instant.now());
            }
            keyBytes = PrivateKeys.read(target.identity());
            KnownHosts entries = knownHosts.get(target.knownHosts(), () -> PinnedHostKeys.parse(target.knownHosts()));
            pinned = PinnedHostKeys.select(entries, target.knownHosts().origin(), target.host(), target.port());
        } catch (PrivateKeys.KeyRefusedException | IOException e) {
            return new Connection(null, failed(RunResult.Outcome.CONNECTION_FAILED, e.getMessage(), start, 0, 0));
        }
        PinAdvice advice = target.pinAdvice();
        KeyPair[] key = new KeyPair[1];
        for (int attempt = 0; ; attempt++) {
            if (cancelledWith != null) {
                return new Connection(null, failed(RunResult.Outcome.CANCELLED, "cancelled before connecting", start, 0, 0,
                        cancelledWith));
            }
            SessionSetup setup = new SessionSetup(pinned, advice);
            try {
                return new Connection(connect(target, key, keyBytes, certificate, setup, localAddress), null);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // MINA reports some connection states unchecked (a session closed under it, a bad address)
                return new Connection(null, failed(RunResult.Outcome.CONNECTION_FAILED, "connection to " + target.user() + "@"
                        + target.label() + " failed: " + describe(e), start, 0, 0));
            } catch (ConnectFailure f) {
                if (!f.retryable || attempt >= options.retries()) {
                    String tries = attempt > 0 ? " (after " + (attempt + 1) + " attempts)" : "";
                    return new Connection(null, failed(RunResult.Outcome.CONNECTION_FAILED, f.getMessage() + tries, start, 0, 0),
                            f.authenticationRefused);
                }
                sleep(options.retryDelay().multipliedBy(1L << Math.min(attempt, 6)));
            }
        }
    }

    /** Closes a session {@link #open} returned. */
    void release(ClientSession session) {
        sessions.remove(session);
        session.close(true);
    }

    /** Connects and authenticates; the key is decoded (once) while TCP connect and key exchange run. */
    private ClientSession connect(DelegationTarget target, KeyPair[] key, byte[] keyBytes, UserCertificate certificate,
            SessionSetup setup, java.net.SocketAddress localAddress) throws ConnectFailure {
        String where = target.user() + "@" + target.label();
        ConnectFuture cf;
        try {
            cf = client.connect(target.user(), target.host(), target.port(), setup.asContext(), localAddress);
        } catch (IOException e) {
            throw new ConnectFailure("cannot connect to " + where + ": " + describe(e), true);
        }
        KeyPair identity;
        try {
            if (key[0] == null) {
                key[0] = keys.get(target.identity(), () -> PrivateKeys.decode(target.identity(), keyBytes));
            }
            // a certificate is offered as KeyPair(certificate, private key), once it is known to certify that key
            identity = certificate == null ? key[0] : CertificateIdentity.pair(certificate, target.certificate().orElseThrow(), key[0]);
        } catch (PrivateKeys.KeyRefusedException e) {
            cf.cancel();
            cf.addListener(f -> {
                if (f.getSession() != null) {
                    f.getSession().close(true);
                }
            });
            throw new ConnectFailure(e.getMessage(), false);
        }
        boolean connected;
        try {
            connected = cf.await(options.connectTimeout());
        } catch (IOException e) {
            throw new ConnectFailure("cannot connect to " + where + ": " + describe(e), false);
        }
        if (!connected) {
            cf.cancel();
            throw new ConnectFailure("cannot connect to " + where + ": timed out after "
                    + seconds(options.connectTimeout()), true);
        }
        if (cf.getException() != null || cf.getSession() == null) {
            Throwable t = cf.getException();
            if (t != null && !retryable(t)) {
                // TCP was up (refused, unreachable and timeouts are the retryable kinds), and the
                // server closed it before MINA had a session for it
                throw droppedBeforeIdentification(where, t);
            }
            throw new ConnectFailure("cannot connect to " + where + ": " + describe(t), retryable(t));
        }
        ClientSession session = cf.getSession();
        sessions.add(session);
        boolean authenticated = false;
        try {
            session.addPublicKeyIdentity(identity);
            AuthFuture af = session.auth();
            boolean done = af.await(options.authTimeout());
            String rejection = setup.rejection.get();
            if (rejection != null) {
                throw new ConnectFailure(rejection, false);
            }
            if (!done) {
                throw new ConnectFailure("no answer from " + where + " within " + seconds(options.authTimeout())
                        + " (key exchange and authentication)", true);
            }
            if (!af.isSuccess()) {
                Throwable t = af.getException();
                if (session.getServerVersion() == null) {
                    throw droppedBeforeIdentification(where, t);
                }
                if (t != null && !session.isAuthenticated() && session.getServerKey() == null) {
                    throw new ConnectFailure("connection to " + where + " failed during key exchange: " + describe(t), false);
                }
                throw new ConnectFailure(true, "authentication as " + where + " refused (publickey, key "
                        + target.identity().origin() + target.certificate().map(c -> ", certificate " + c.origin()).orElse("") + ")");
            }
            authenticated = true;
            return session;
        } catch (IOException e) {
            String rejection = setup.rejection.get();
            if (rejection == null && session.getServerVersion() == null) {
                throw droppedBeforeIdentification(where, e);
            }
            throw new ConnectFailure(rejection != null ? rejection
                    : "connection to " + where + " failed: " + describe(e), false);
        } finally {
            if (!authenticated) {
                sessions.remove(session);
                session.close(true);
            }
        }
    }

    private RunResult exec(ClientSession session, DelegationTarget target, RunRequest request, InputStream in,
            OutputStream out, OutputStream err, long start) {
        return exec(session, target, request, in, out, err, start, new boolean[1]);
    }

    /** @param started set when the channel opened, i.e. the server may have started the command */
    private RunResult exec(ClientSession session, DelegationTarget target, RunRequest request, InputStream in,
            OutputStream out, OutputStream err, long start, boolean[] started) {
        RelayStream relayOut = new RelayStream(out);
        RelayStream relayErr = new RelayStream(err);
        ChannelExec channel;
        try {
            channel = session.createExecChannel(request.command());
            channel.setIn(in == null ? InputStream.nullInputStream() : in);
            channel.setOut(relayOut);
            channel.setErr(relayErr);
            OpenFuture of = channel.open();
            if (!of.await(options.authTimeout()) || !of.isOpened()) {
                channel.close(true);
                String why = of.getException() == null ? "no answer" : describe(of.getException());
                return failed(RunResult.Outcome.CONNECTION_FAILED, "cannot start the request on "
                        + target.label() + ": " + why, start, 0, 0);
            }
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: MINA refuses a channel on a session that is closing (connection lost)
            return failed(RunResult.Outcome.CONNECTION_LOST, "cannot start the request on " + target.label() + ": "
                    + describe(e), start, 0, 0);
        }
        started[0] = true;
        active.add(channel);
        try {
            if (cancelledWith != null) {
                session.close(true);
            }
            long waitMs = options.timeout().map(Duration::toMillis).orElse(0L);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), waitMs);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                // timeout: end the connection; sshd closes the command's stdin and its session process
                // exits, which is how the dispatcher knows its caller is gone and ends the work
                channel.getClientSession().close(true);
                return failed(RunResult.Outcome.TIMED_OUT, "timed out after " + seconds(options.timeout().get())
                        + " on " + target.label() + "; the connection was closed", start, relayOut.count(),
                        relayErr.count(), RunResult.TIMEOUT);
            }
            Integer status = channel.getExitStatus();
            String signal = channel.getExitSignal();
            Integer cancelled = cancelledWith;
            if (status != null) {
                return new RunResult(RunResult.Outcome.EXITED, status & 0xff, Optional.empty(), Optional.empty(),
                        since(start), relayOut.count(), relayErr.count());
            }
            if (signal != null) {
                return new RunResult(RunResult.Outcome.SIGNALLED, ExitSignals.exitStatus(signal), Optional.of(signal),
                        Optional.of("remote command on " + target.label() + " was killed by signal " + signal),
                        since(start), relayOut.count(), relayErr.count());
            }
            if (cancelled != null) {
                return failed(RunResult.Outcome.CANCELLED, "cancelled; the connection to " + target.label() + " was closed",
                        start, relayOut.count(), relayErr.count(), cancelled);
            }
            return failed(RunResult.Outcome.CONNECTION_LOST, "connection to " + target.label()
                    + " lost before the command reported an exit status", start, relayOut.count(), relayErr.count());
        } finally {
            active.remove(channel);
        }
    }

    /**
     * Ends every run in progress by closing its connection. OpenSSH does not forward signals to a
     * forced command; when the connection goes, sshd closes the command's stdin and its session
     * process exits, and the dispatcher ends the work on that (stdin EOF with the caller gone). Runs
     * in progress return {@link RunResult.Outcome#CANCELLED} with {@code exitStatus}. Safe to call
     * from a signal handler's thread.
     */
    public void cancelAll(int exitStatus) {
        cancelledWith = exitStatus;
        for (ChannelExec c : active) {
            c.getClientSession().close(true);
        }
    }

    @Override
    public void close() {
        for (ClientSession s : sessions) {
            s.close(true);
        }
        if (pool == null) {
            client.stop();
        }
    }

    static RunResult failed(RunResult.Outcome outcome, String message, long start, long out, long err) {
        return failed(outcome, message, start, out, err, RunResult.CONNECTION);
    }

    private static RunResult failed(RunResult.Outcome outcome, String message, long start, long out, long err,
            int status) {
        return new RunResult(outcome, status, Optional.empty(), Optional.of(message), since(start), out, err);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * The server ended the connection before its SSH version line: nothing was authenticated or
     * run, so a retry is safe. OpenSSH 9.8 and later do this to every connection from an address
     * they penalize (PerSourcePenalties, on by default: after a few failed logins from it, for 15 s
     * and more), and every release does it past MaxStartups; MINA's own words for it ("Broken
     * pipe", "Connection reset") name neither, so the message does.
     */
    private static ConnectFailure droppedBeforeIdentification(String where, Throwable t) {
        return new ConnectFailure(where + " closed the connection before it identified itself (" + describe(t)
                + "); likely sshd's per-source penalty for failed logins from this address (OpenSSH 9.8 and later,"
                + " PerSourcePenalties: the server logs \"drop connection\" with \"penalty\") or its MaxStartups limit",
                true);
    }

    private static boolean retryable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof NoRouteToHostException
                    || c instanceof SocketTimeoutException || c instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + root.getMessage();
        }
        String m = root.getMessage() != null ? root.getMessage() : t.getMessage();
        return m != null ? m : root.getClass().getSimpleName();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A connection attempt failed; {@code retryable} when it may succeed later (refused, unreachable). */
    private static final class ConnectFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean retryable;
        final boolean authenticationRefused;

        ConnectFailure(String message, boolean retryable) {
            super(message, null, false, false);
            this.retryable = retryable;
            this.authenticationRefused = false;
        }

        /** sshd took the connection and refused the key: never retried. */
        ConnectFailure(boolean authenticationRefused, String message) {
            super(message, null, false, false);
            this.retryable = false;
            this.authenticationRefused = authenticationRefused;
        }
    }
}
