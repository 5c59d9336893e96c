package dev.delegator.cli.agent;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** {@code delegator agent status|stop}: asks the caller's agent, if one answers. */
public final class AgentControl {
    private AgentControl() {}

    /** The agent's directory for this environment. */
    public static Path directory(Map<String, String> env) {
        return AgentDirectory.of(env);
    }

    /** The agent's status text, or empty when none answers in {@code dir}. */
    public static Optional<String> status(Path dir) throws IOException {
        return ask(dir, Frames.STATUS);
    }

    /** Stops the agent (its connections close, requests running on them end with 255); its answer, or empty when none answered. */
    public static Optional<String> stop(Path dir) throws IOException {
        return ask(dir, Frames.STOP);
    }

    private static Optional<String> ask(Path dir, byte type) throws IOException {
        Optional<String> problem = AgentDirectory.problem(dir);
        Path socket = dir.resolve(AgentDirectory.SOCKET);
        if (!Files.exists(dir) || !Files.exists(socket)) {
            return Optional.empty();
        }
        if (problem.isPresent()) {
            throw new IOException("not using the agent directory: " + problem.get());
        }
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return Optional.empty();
        }
        try (ch) {
            if (!PeerCheck.sameUid(ch)) {
                throw new IOException("the agent at " + socket + " does not run as this caller's uid");
            }
            Frames frames = new Frames(ch);
            frames.write(type);
            Frames.Frame f = frames.read();
            return f == null ? Optional.empty() : Optional.of(new String(f.payload(), StandardCharsets.UTF_8));
        }
    }
}
