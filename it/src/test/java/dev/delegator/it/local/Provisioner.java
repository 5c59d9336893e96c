package dev.delegator.it.local;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.layout.Layout;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LocalHost} provisioned the way an admin provisions a machine: a manifest at the rooted
 * layout's {@code etc/delegator/delegations.yaml} and the real {@code delegator apply} (the built
 * jar, a child process) with {@code --root} and {@code --sshd-config} of the host's private sshd.
 * Apply writes the drop-in where that sshd reads it and reloads it; {@link #apply(String)} waits
 * until sshd listens again.
 *
 * <p>Closing removes the host (sshd, accounts made for the test and the delegates apply made,
 * which {@link #delegate(String)} registers, the root) and the {@code delegator} group if apply
 * created it and no account is left in it.
 */
public final class Provisioner implements AutoCloseable {
    private static final String GROUP = "delegator";

    private final LocalHost host;
    private final boolean groupExisted;

    private Provisioner(LocalHost host, boolean groupExisted) {
        this.host = host;
        this.groupExisted = groupExisted;
    }

    /** A new host with Debian's default AuthorizedKeysFile (apply's drop-in adds the central one for delegates). */
    public static Provisioner start(String prefix) {
        boolean existed = ExternalCommand.run("getent", "group", GROUP).exitCode() == 0;
        return new Provisioner(LocalHost.start(prefix, null), existed);
    }

    public LocalHost host() {
        return host;
    }

    public Path root() {
        return host.root();
    }

    /** The rooted layout apply writes (to find keys, lines and configs). */
    public Layout layout() {
        return Layout.under(host.root());
    }

    /** A fresh random suffix (six hex digits) for names in a manifest. */
    public static String random() {
        byte[] b = new byte[3];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Registers a delegate name apply will create, so closing removes the account. Returns the name. */
    public String delegate(String name) {
        host.users().adopt(name);
        return name;
    }

    /** A root-owned 0755 directory under the root (homes, web roots, repositories live below one). */
    public Path dir(String relative) {
        return LocalHost.rootOwnedDir(host.root().resolve(relative));
    }

    /** The options every provisioning command takes here: manifest, layout root, private sshd config. */
    public List<String> options() {
        return List.of("--manifest", layout().manifest().toString(), "--root", host.root().toString(),
                "--sshd-config", host.sshdConfig().toString());
    }

    /** Writes the manifest (root 0644). */
    public void writeManifest(String yaml) {
        try {
            Path file = layout().manifest();
            LocalHost.rootOwnedDir(file.getParent());
            Files.writeString(file, yaml);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the manifest and applies it ({@code extra}: more apply options, e.g. --host-name); fails the test unless apply exits 0; waits for sshd's reload. */
    public CommandResult apply(String yaml, String... extra) {
        writeManifest(yaml);
        return command("apply", extra);
    }

    /** {@code delegator VERB <options> EXTRA...}; fails the test unless it exits 0 (waits for a reload apply sent). */
    public CommandResult command(String verb, String... extra) {
        CommandResult r = run(verb, extra);
        if (r.exitCode() != 0) {
            throw new AssertionError("delegator " + verb + " exited " + r.exitCode() + ": " + r);
        }
        return r;
    }

    /** {@code delegator VERB <options> EXTRA...}, whatever its exit status. */
    public CommandResult run(String verb, String... extra) {
        List<String> args = new ArrayList<>(List.of(verb));
        args.addAll(options());
        args.addAll(List.of(extra));
        int before = host.listeningCount();
        CommandResult r = DelegatorCli.run(args, java.util.Map.of());
        if (r.stdout().contains("sshd (pid ") && r.stdout().contains(") reloaded")) {
            host.awaitListeningAfter(before);
        }
        return r;
    }

    @Override
    public void close() {
        try {
            host.close();
        } finally {
            removeGroupIfOurs();
        }
    }

    /** apply creates the group {@code delegator} when missing; it goes again when it was ours and is empty. */
    private void removeGroupIfOurs() {
        if (groupExisted) {
            return;
        }
        CommandResult g = ExternalCommand.run("getent", "group", GROUP);
        if (g.exitCode() != 0) {
            return;
        }
        String[] f = g.stdout().trim().split(":", -1);
        boolean members = f.length > 3 && !f[3].isEmpty();
        boolean primary = ExternalCommand.run("getent", "passwd").stdout().lines()
                .map(l -> l.split(":", -1)).anyMatch(p -> p.length > 3 && p[3].equals(f[2]));
        if (!members && !primary) {
            ExternalCommand.run("groupdel", GROUP);
        }
    }
}
