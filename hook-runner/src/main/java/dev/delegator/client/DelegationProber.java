package dev.delegator.client;

import dev.delegator.client.internal.ProbeChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Proves on a live host that a delegation's key can do nothing but its verbs: connects exactly
 * as {@link DelegationRunner#run} does (the delegation's key, the pinned host keys, nothing from
 * ~/.ssh) and tries, at the SSH protocol level, what someone holding a leaked key would try. Every
 * channel request is sent with want-reply, so sshd's own answer is the evidence.
 *
 * <p>It never sends a valid request: the commands it runs are no verb, or a verb with an argument
 * the dispatcher refuses, so the delegation's real work never runs. It writes nothing on the host
 * (a forward or agent socket that was wrongly granted is closed at once).
 */
public final class DelegationProber implements AutoCloseable {
    /** How long each answer may take: sshd answers at once, the dispatcher within milliseconds. */
    static final Duration ANSWER = Duration.ofSeconds(10);
    /** RFC 4254 section 5.1: the open failure reason for "not allowed". */
    static final int ADMINISTRATIVELY_PROHIBITED = 1;
    /** The dispatcher's status for a rejected request. */
    static final int REJECTED = 126;

    private final DelegationRunner runner;

    /** A prober with a client of its own. */
    public DelegationProber(RunOptions options) {
        this(options, ClientPreparation.none());
    }

    public DelegationProber(RunOptions options, ClientPreparation preparation) {
        this.runner = new DelegationRunner(options, preparation);
    }

    /** Tries everything on {@code target}; never throws for remote or network trouble. */
    public ProbeReport probe(DelegationTarget target, ProbePlan plan) {
        DelegationRunner.Connection c = runner.open(target, System.nanoTime(), null);
        if (c.failure() != null) {
            return new ProbeReport(target, Optional.of(c.failure()), List.of());
        }
        ClientSession s = c.session();
        List<ProbeCheck> checks = new ArrayList<>();
        try {
            checks.add(command(s, "shell", "a shell request (ssh with no command)", null));
            checks.add(command(s, "unknown-verb", "a command that is no declared verb ('" + plan.unknownVerb() + "')",
                    plan.unknownVerb()));
            checks.add(plan.badArgument()
                    .map(r -> command(s, "bad-argument", "a declared verb with a bad argument ('" + r + "')", r))
                    .orElse(new ProbeCheck("bad-argument", ProbeCheck.Verdict.NOT_TRIED, "a declared verb with a bad argument",
                            "no verb known (the explicit form: name one with --verb)")));
            checks.add(channelRequest(s, "pty", "a pty request (ssh -t)", "pty-req", b -> {
                b.putString("vt100");
                b.putUInt(80);
                b.putUInt(24);
                b.putUInt(0);
                b.putUInt(0);
                b.putBytes(new byte[] {0}); // encoded terminal modes: TTY_OP_END only
            }));
            checks.add(directTcpip(s, target.port()));
            checks.add(tcpipForward(s));
            checks.add(channelRequest(s, "agent-forwarding", "agent forwarding (ssh -A)", "auth-agent-req@openssh.com", b -> {}));
            checks.add(channelRequest(s, "x11", "X11 forwarding (ssh -X)", "x11-req", b -> {
                b.putBoolean(false);
                b.putString("MIT-MAGIC-COOKIE-1");
                b.putString("00112233445566778899aabbccddeeff");
                b.putUInt(0);
            }));
            checks.add(channelRequest(s, "env", "an env request (LD_PRELOAD=/nonexistent/delegator-verify.so)", "env", b -> {
                b.putString("LD_PRELOAD");
                b.putString("/nonexistent/delegator-verify.so");
            }));
            checks.add(sftp(s));
        } finally {
            runner.release(s);
        }
        return new ProbeReport(target, Optional.empty(), checks);
    }

    /**
     * The same key from another local address: must be refused at authentication by the line's
     * {@code from=}. Meant for a delegate on this very host, tried from a loopback alias such as
     * 127.0.0.2 (Linux routes all of 127.0.0.0/8 to lo); a remote host sees the caller's address,
     * which this cannot change. Nothing runs: the session, if wrongly granted, is closed at once.
     */
    public ProbeCheck fromAddress(DelegationTarget target, String localAddress) {
        String id = "from-address";
        String tried = "a login from " + localAddress + " (from=)";
        DelegationRunner.Connection c = runner.open(target, System.nanoTime(), new java.net.InetSocketAddress(localAddress, 0));
        if (c.session() != null) {
            runner.release(c.session());
            return ProbeCheck.granted(id, tried, "authenticated");
        }
        String why = c.failure().message().orElse("connection failed");
        return c.authenticationRefused()
                ? ProbeCheck.refused(id, tried, "refused by sshd: " + why)
                : ProbeCheck.granted(id, tried, "no proof it is refused: " + why);
    }

    /** An exec request ({@code request} non-null) or a shell request: only the dispatcher's 126 is a refusal. */
    private static ProbeCheck command(ClientSession s, String id, String tried, String request) {
        return onChannel(s, id, tried, ch -> {
            ProbeChannel.Reply reply = request == null
                    ? ch.request("shell", b -> {}, ANSWER)
                    : ch.request("exec", b -> b.putString(request), ANSWER);
            if (reply != ProbeChannel.Reply.SUCCESS) {
                return answer(id, tried, reply);
            }
            ch.endInput();
            return ranForcedCommand(id, tried, ch);
        });
    }

    /** A request whose success alone grants something (pty, agent, X11, env). */
    private static ProbeCheck channelRequest(ClientSession s, String id, String tried, String type, Consumer<Buffer> payload) {
        return onChannel(s, id, tried, ch -> answer(id, tried, ch.request(type, payload, ANSWER)));
    }

    /** The sftp subsystem: with a forced command sshd accepts it and runs the dispatcher instead, which must reject it. */
    private static ProbeCheck sftp(ClientSession s) {
        String id = "sftp";
        String tried = "the sftp subsystem";
        return onChannel(s, id, tried, ch -> {
            ProbeChannel.Reply reply = ch.request("subsystem", b -> b.putString("sftp"), ANSWER);
            if (reply != ProbeChannel.Reply.SUCCESS) {
                return answer(id, tried, reply);
            }
            // SSH_FXP_INIT, version 3: an sftp server answers SSH_FXP_VERSION (type 2)
            ch.send(new byte[] {0, 0, 0, 5, 1, 0, 0, 0, 3});
            // no EOF: sftp-server exits on EOF before writing its answer
            if (!ch.awaitOutputOrClosed(5, ANSWER)) {
                return ProbeCheck.granted(id, tried, "accepted, and no answer and no exit within " + DelegationRunner.seconds(ANSWER));
            }
            byte[] out = ch.stdout();
            if (out.length >= 5 && out[4] == 2) {
                return ProbeCheck.granted(id, tried, "an sftp server answered (SSH_FXP_VERSION)");
            }
            return ranForcedCommand(id, tried, ch);
        });
    }

    private static ProbeCheck ranForcedCommand(String id, String tried, ProbeChannel ch) {
        if (!ch.awaitClosed(ANSWER)) {
            return ProbeCheck.granted(id, tried, "accepted, and still running after " + DelegationRunner.seconds(ANSWER)
                    + " (closed by verify)");
        }
        byte[] out = ch.stdout();
        Integer status = ch.getExitStatus();
        String evidence = firstLine(ch.stderr()).or(() -> firstLine(out)).map(l -> ": " + l).orElse("");
        if (status != null && status == REJECTED) {
            return ProbeCheck.refused(id, tried, "sshd ran the forced command, which rejected it (exit 126" + evidence + ")");
        }
        return ProbeCheck.granted(id, tried, "it ran: " + (status == null ? "no exit status" : "exit " + status)
                + ", want the dispatcher's 126" + evidence);
    }

    private static ProbeCheck directTcpip(ClientSession s, int sshdPort) {
        String id = "direct-tcpip";
        String tried = "a direct-tcpip channel to 127.0.0.1:" + sshdPort + " (ssh -L, -W)";
        ChannelDirectTcpip ch = null;
        try {
            ch = s.createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress("127.0.0.1", sshdPort));
            OpenFuture of = ch.open();
            if (!of.await(ANSWER)) {
                return ProbeCheck.granted(id, tried, "no answer within " + DelegationRunner.seconds(ANSWER));
            }
            if (of.isOpened()) {
                return ProbeCheck.granted(id, tried, "sshd opened the tunnel");
            }
            Throwable t = of.getException();
            if (t instanceof SshChannelOpenException e && e.getReasonCode() == ADMINISTRATIVELY_PROHIBITED) {
                return ProbeCheck.refused(id, tried, "refused by sshd (administratively prohibited: " + e.getMessage() + ")");
            }
            // any other reason (connect failed) means sshd allowed the forward and tried it
            return ProbeCheck.granted(id, tried, "sshd allowed the forward: " + DelegationRunner.describe(t));
        } catch (IOException | RuntimeException e) {
            return ProbeCheck.granted(id, tried, "no proof it is refused: " + DelegationRunner.describe(e));
        } finally {
            if (ch != null) {
                ch.close(true);
            }
        }
    }

    private static ProbeCheck tcpipForward(ClientSession s) {
        String id = "tcpip-forward";
        String tried = "a tcpip-forward request for 127.0.0.1 (ssh -R)";
        try {
            Buffer b = s.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, 64);
            b.putString("tcpip-forward");
            b.putBoolean(true);
            b.putString("127.0.0.1");
            b.putUInt(0);
            Buffer reply = s.request("tcpip-forward", b, ANSWER);
            if (reply == null) {
                return ProbeCheck.refused(id, tried, "refused by sshd (request failure)");
            }
            long port = reply.available() >= 4 ? reply.getUInt() : 0;
            cancelForward(s, port);
            return ProbeCheck.granted(id, tried, "granted: sshd listened on 127.0.0.1:" + port + " (cancelled by verify)");
        } catch (IOException | RuntimeException e) {
            return ProbeCheck.granted(id, tried, "no proof it is refused: " + DelegationRunner.describe(e));
        }
    }

    private static void cancelForward(ClientSession s, long port) throws IOException {
        Buffer b = s.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, 64);
        b.putString("cancel-tcpip-forward");
        b.putBoolean(true);
        b.putString("127.0.0.1");
        b.putUInt(port);
        s.request("cancel-tcpip-forward", b, ANSWER);
    }

    private static ProbeCheck answer(String id, String tried, ProbeChannel.Reply reply) {
        return switch (reply) {
            case FAILURE -> ProbeCheck.refused(id, tried, "refused by sshd (channel request failure)");
            case CLOSED -> ProbeCheck.refused(id, tried, "sshd closed the channel");
            case SUCCESS -> ProbeCheck.granted(id, tried, "granted by sshd (channel request success)");
            case NO_ANSWER -> ProbeCheck.granted(id, tried, "no answer within " + DelegationRunner.seconds(ANSWER));
        };
    }

    /** What a check does on a fresh session channel, which is always closed after. */
    private interface OnChannel {
        ProbeCheck apply(ProbeChannel ch) throws IOException;
    }

    private static ProbeCheck onChannel(ClientSession s, String id, String tried, OnChannel body) {
        ProbeChannel ch = null;
        try {
            String[] why = new String[1];
            ch = ProbeChannel.open(s, ANSWER, why);
            if (ch == null) {
                return ProbeCheck.refused(id, tried, "sshd refused a session channel (" + why[0] + ")");
            }
            return body.apply(ch);
        } catch (IOException | RuntimeException e) {
            return ProbeCheck.granted(id, tried, "no proof it is refused: " + DelegationRunner.describe(e));
        } finally {
            if (ch != null) {
                ch.close(true);
            }
        }
    }

    private static Optional<String> firstLine(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
    }

    @Override
    public void close() {
        runner.close();
    }
}
