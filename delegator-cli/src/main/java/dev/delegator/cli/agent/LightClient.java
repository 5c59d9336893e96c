package dev.delegator.cli.agent;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-request client of connection reuse: hands {@code run} or a hook to the caller's agent and
 * relays its streams, its exit status and Ctrl-C/SIGTERM. It runs before anything else in
 * {@code main} and loads only JDK classes and this package's light ones: no MINA, no picocli, no
 * YAML (README "Connection reuse"). It sends the arguments, the working directory and
 * {@link Frames#ENVIRONMENT}, never a key: the agent reads the caller's files itself.
 */
public final class LightClient {
    /** No agent answered: run here, and start one if reuse is on. */
    public static final int NO_AGENT = -1;
    /** The agent answered that it does not run this request (reuse is off for it): run here, start nothing. */
    public static final int DECLINED = -2;

    private LightClient() {}

    /** True for the commands an agent may run: {@code run} and {@code hook git|hg}. */
    public static boolean handsOver(String[] args) {
        return args.length > 0 && (args[0].equals("run") || (args[0].equals("hook") && args.length > 1
                && (args[1].equals("hg") || args[1].equals("git"))));
    }

    /**
     * What the command reads from stdin. {@code run} forwards it live once the agent accepted; a git
     * post-receive hook reads the ref list (git closes it after the list), so that is read first and
     * sent with the request; an hg hook never reads stdin (on an ssh push it is hg's wire protocol).
     *
     * @return the bytes to send with the request, or null for {@code run}'s live stdin
     */
    public static byte[] preRead(String[] args, InputStream stdin) throws IOException {
        if (args.length > 1 && args[0].equals("hook") && args[1].equals("git")) {
            return stdin.readAllBytes();
        }
        return args.length > 0 && args[0].equals("run") ? null : new byte[0];
    }

    /**
     * Runs {@code args} through the caller's agent when one is up.
     *
     * @param stdin what {@link #preRead} returned
     * @return the exit status, or {@link #NO_AGENT} / {@link #DECLINED}
     */
    public static int tryAgent(String[] args, Map<String, String> env, byte[] stdin) {
        if (!handsOver(args)) {
            return NO_AGENT;
        }
        Path dir = AgentDirectory.of(env);
        Path socket = dir.resolve(AgentDirectory.SOCKET);
        // an unsafe directory is never used; the full path says why when reuse is asked for
        if (!Files.exists(socket) || AgentDirectory.problem(dir).isPresent()) {
            return NO_AGENT;
        }
        return forward(socket, args, env, stdin);
    }

    /** Sends the request to the agent at {@code socket}; see {@link #tryAgent}. */
    static int forward(Path socket, String[] args, Map<String, String> env, byte[] stdin) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            // a socket left by an agent that is gone: the full path cleans up and starts a new one
            return NO_AGENT;
        }
        try (ch) {
            if (!PeerCheck.sameUid(ch)) {
                System.err.println("delegator: refusing the agent at " + socket + ": it does not run as this caller's uid");
                return NO_AGENT;
            }
            Frames frames = new Frames(ch);
            byte[] request = request(args, env);
            frames.write(Frames.REQUEST, request, 0, request.length);
            if (stdin != null) {
                for (int off = 0; off < stdin.length; off += Frames.CHUNK) {
                    frames.write(Frames.STDIN, stdin, off, Math.min(Frames.CHUNK, stdin.length - off));
                }
                frames.write(Frames.STDIN_EOF);
            }
            return relay(frames, socket, stdin == null);
        } catch (IOException e) {
            System.err.println("delegator: lost the connection agent (" + socket + "): " + e.getMessage());
            return 255;
        }
    }

    static byte[] request(String[] args, Map<String, String> env) {
        List<String> r = new ArrayList<>();
        r.add(Frames.VERSION);
        r.add(Frames.build());
        r.add(Path.of("").toAbsolutePath().toString());
        r.add(Integer.toString(args.length));
        r.addAll(List.of(args));
        for (String name : Frames.ENVIRONMENT) {
            String v = env.get(name);
            if (v != null) {
                r.add(name + "=" + v);
            }
        }
        return Frames.strings(r);
    }

    private static int relay(Frames frames, Path socket, boolean liveStdin) throws IOException {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        StdinPump pump = null;
        while (true) {
            Frames.Frame f = frames.read();
            if (f == null) {
                err.write(("delegator: the connection agent (" + socket + ") ended before the request finished\n")
                        .getBytes(StandardCharsets.UTF_8));
                return 255;
            }
            switch (f.type()) {
                case Frames.STDOUT -> out.write(f.payload());
                case Frames.STDERR -> err.write(f.payload());
                case Frames.ACK -> {
                    if (pump != null) {
                        pump.acknowledged(f.intValue());
                    }
                }
                case Frames.ACCEPT -> {
                    if (liveStdin) {
                        pump = new StdinPump(frames, new FileInputStream(FileDescriptor.in));
                        pump.start();
                    }
                    Cancel.install(frames);
                }
                case Frames.DECLINE -> {
                    return DECLINED;
                }
                case Frames.EXIT -> {
                    return f.intValue();
                }
                default -> throw new IOException("agent protocol: unexpected frame " + f.type());
            }
        }
    }

    /** Forwards this process's stdin, at most {@link Frames#WINDOW} bytes ahead of what the command consumed. */
    private static final class StdinPump extends Thread {
        private final Frames frames;
        private final InputStream in;
        private long unacknowledged;

        StdinPump(Frames frames, InputStream in) {
            super("stdin");
            setDaemon(true);
            this.frames = frames;
            this.in = in;
        }

        synchronized void acknowledged(int n) {
            unacknowledged -= n;
            notifyAll();
        }

        @Override
        public void run() {
            byte[] buf = new byte[Frames.CHUNK];
            try {
                while (true) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        n = -1; // stdin closed or unreadable: the remote command sees EOF, as with MINA's pump
                    }
                    if (n < 0) {
                        frames.write(Frames.STDIN_EOF);
                        return;
                    }
                    synchronized (this) {
                        while (unacknowledged + n > Frames.WINDOW) {
                            wait();
                        }
                        unacknowledged += n;
                    }
                    frames.write(Frames.STDIN, buf, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // the agent went away: the main thread reports it
            }
        }
    }

    /** Ctrl-C and SIGTERM ask the agent to cancel (it closes the connection, ending the remote work): 130, 143. */
    private static final class Cancel {
        static void install(Frames frames) {
            for (String name : List.of("INT", "TERM")) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                        try {
                            frames.writeInt(Frames.CANCEL, 128 + s.getNumber());
                        } catch (IOException e) {
                            // the agent is gone; its end ended the remote work
                        }
                    });
                } catch (IllegalArgumentException e) {
                    // the JVM runs with -Xrs: default handling stays
                }
            }
        }
    }
}
