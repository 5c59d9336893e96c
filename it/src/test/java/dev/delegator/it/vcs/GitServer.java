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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A bare git repository owned by a service account and served by {@code git daemon} running as
 * that account on 127.0.0.1 with receive-pack enabled, so a push runs the repository's hooks
 * (post-receive) as the service account, and their output reaches the client as {@code remote:}
 * lines. Hooks are files read at each push: they can be installed before or after {@link #start()}.
 */
public final class GitServer implements AutoCloseable {
    /** git reads no system or global config. */
    static final Map<String, String> ENV = Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null");

    private final TestUser owner;
    private final Path base;
    private final Path repository;
    private ServerProcess server;

    private GitServer(TestUser owner, Path base, Path repository) {
        this.owner = owner;
        this.base = base;
        this.repository = repository;
    }

    /** {@code git init --bare <root>/srv/git/<name>.git} as {@code owner}. */
    public static GitServer create(Path root, TestUser owner, String name) {
        Path base = LocalHost.rootOwnedDir(root.resolve("srv/git"));
        Path repo = base.resolve(name + ".git");
        ExternalCommand.check("install", "-d", "-m", "0755", "-o", owner.name(), "-g", owner.name(), repo.toString());
        CommandResult init = RunAs.run(owner, ENV, List.of("git", "init", "-q", "--bare", "--initial-branch=main", repo.toString()));
        if (init.exitCode() != 0) {
            throw new AssertionError("git init --bare " + repo + " failed: " + init);
        }
        return new GitServer(owner, base, repo);
    }

    public Path repository() {
        return repository;
    }

    public TestUser owner() {
        return owner;
    }

    /** Writes {@code hooks/<name>} (owner's, 0755). */
    public Path writeHook(String name, String script) {
        Path hook = repository.resolve("hooks").resolve(name);
        try {
            Files.writeString(hook, script);
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExternalCommand.check("chown", owner.name() + ":" + owner.name(), hook.toString());
        return hook;
    }

    /** Serves every repository under {@code <root>/srv/git} as the owner; waits until the port accepts. */
    public GitServer start() {
        if (server != null) {
            throw new IllegalStateException("already serving " + repository);
        }
        Path log = base.resolve(repository.getFileName() + ".daemon.log");
        server = ServerProcess.start(owner, ENV, base, log, port -> List.of("git", "daemon", "--reuseaddr",
                "--listen=127.0.0.1", "--port=" + port, "--base-path=" + base, "--export-all",
                "--enable=receive-pack", "--informative-errors", "--verbose", base.toString()));
        return this;
    }

    /** {@code git://127.0.0.1:<port>/<name>.git}. */
    public String url() {
        if (server == null) {
            throw new IllegalStateException("not serving; call start()");
        }
        return "git://127.0.0.1:" + server.port() + "/" + repository.getFileName();
    }

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
