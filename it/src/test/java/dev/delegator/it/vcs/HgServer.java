package dev.delegator.it.vcs;

import dev.delegator.it.local.LocalHost;
import dev.delegator.it.local.RunAs;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A Mercurial repository owned by a service account (the seed's {@code hg} user) and served by
 * {@code hg serve} running as that account on 127.0.0.1, with push allowed over plain HTTP. Its
 * hooks therefore run as the service account, as on a real hg server, and their output reaches
 * the pushing client as {@code remote:} lines.
 *
 * <p>hg serve reads the repository's hgrc once: configure hooks (by hand or with
 * {@code delegator hook install}) before {@link #start()}, or {@link #stop()} and start again.
 */
public final class HgServer implements AutoCloseable {
    /** hg reads no system or user config: only the repository's own hgrc counts. */
    static final Map<String, String> ENV = Map.of("HGRCPATH", "", "HGPLAIN", "1");

    private final TestUser owner;
    private final Path repository;
    private ServerProcess server;

    private HgServer(TestUser owner, Path repository) {
        this.owner = owner;
        this.repository = repository;
    }

    /** {@code hg init <root>/srv/hg/<name>} as {@code owner}; the repository's hgrc allows push over HTTP. */
    public static HgServer create(Path root, TestUser owner, String name) {
        Path parent = LocalHost.rootOwnedDir(root.resolve("srv/hg"));
        Path repo = parent.resolve(name);
        ExternalCommand.check("install", "-d", "-m", "0755", "-o", owner.name(), "-g", owner.name(), repo.toString());
        CommandResult init = RunAs.run(owner, ENV, List.of("hg", "init", repo.toString()));
        if (init.exitCode() != 0) {
            throw new AssertionError("hg init " + repo + " failed: " + init);
        }
        HgServer server = new HgServer(owner, repo);
        server.appendHgrc("[web]\npush_ssl = false\nallow_push = *\n");
        return server;
    }

    public Path repository() {
        return repository;
    }

    public Path hgrc() {
        return repository.resolve(".hg/hgrc");
    }

    public TestUser owner() {
        return owner;
    }

    /** Appends to the repository's hgrc (as its owner, so hg trusts it). */
    public void appendHgrc(String text) {
        try {
            Files.writeString(hgrc(), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExternalCommand.check("chown", owner.name() + ":" + owner.name(), hgrc().toString());
    }

    /** Serves the repository as its owner; waits until the port accepts. */
    public HgServer start() {
        if (server != null) {
            throw new IllegalStateException("already serving " + repository);
        }
        Path log = repository.resolveSibling(repository.getFileName() + ".serve.log");
        server = ServerProcess.start(owner, ENV, repository, log, port -> List.of("hg", "serve",
                "-R", repository.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port)));
        return this;
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public String url() {
        if (server == null) {
            throw new IllegalStateException("not serving; call start()");
        }
        return "http://127.0.0.1:" + server.port() + "/";
    }

    /** What hg serve printed (its access log and errors). */
    public String logText() {
        return server == null ? "" : server.logText();
    }

    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
