package dev.delegator.demo;

import dev.delegator.authorizedkeys.DelegationLine;
import dev.delegator.dispatchconfig.DispatchConfig;
import dev.delegator.install.Script;
import dev.delegator.install.ScriptSource;
import dev.delegator.localsshd.Command;
import dev.delegator.localsshd.LocalSshd;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.ManifestException;
import dev.delegator.manifest.ManifestLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo without root: sshd runs as the current user from a throwaway directory below the
 * user's home (StrictModes refuses /tmp), with a throwaway key of the user's own whose
 * authorized_keys line carries {@code restrict}, {@code from="127.0.0.1"} and the dispatcher as
 * {@code command=}. The dispatcher reads a config the user owns, which it only accepts with
 * {@code --trust-own-uid} (in a root setup every config is root's). No accounts, no packages.
 */
public final class NoRootDemo {
    public static final int OK = 0;
    public static final int FAILED = 1;
    private static final String NAME = "demo";

    private final Console console;
    private final String user;
    private final Path home;
    private final Timings timings;
    private Path dir;
    private DemoState state;
    private LocalSshd sshd;
    private final Object cleanupLock = new Object();
    private boolean cleaned;

    private NoRootDemo(Console console, String user, Path home) {
        this.console = console;
        this.user = user;
        this.home = home;
        this.timings = new Timings(console);
    }

    /** For the user running this JVM, working below their home directory. */
    public static NoRootDemo forCurrentUser(Console console) {
        return new NoRootDemo(console, System.getProperty("user.name"), Path.of(System.getProperty("user.home")));
    }

    public int run() {
        Thread onInterrupt = new Thread(() -> {
            console.failure("interrupted: cleaning up");
            cleanup();
        }, "delegator-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        boolean ok = false;
        try {
            console.title("delegator demo --no-root: the forced command, the dispatcher and from= with an sshd of your own, as " + user);
            List<Proofs.Proof> proofs = steps();
            ok = proofs.stream().allMatch(Proofs.Proof::held);
            console.line("");
            console.title(ok ? "Summary: the key runs the allowed verb through the dispatcher, and nothing else"
                    : "Summary: " + proofs.stream().filter(p -> !p.held()).count() + " proof(s) failed");
            console.detail("timings:");
            timings.print();
            console.detail("the full demo, as root, adds delegator apply, separate caller and delegate accounts and a "
                    + "Mercurial push-to-deploy: sudo ./delegator demo");
        } catch (RuntimeException e) {
            // the demo is the top of its own run: whatever failed, one line, then the cleanup below
            console.failure("demo failed: " + (e.getMessage() == null ? e.toString() : e.getMessage().replaceAll("\\s+", " ")));
        } finally {
            timings.step("removing everything the demo created", this::cleanup);
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // shutting down: the hook cleans up
            }
        }
        return ok ? OK : FAILED;
    }

    private List<Proofs.Proof> steps() {
        timings.step("checking for sshd and ssh", () -> {
            if (!Files.isExecutable(LocalSshd.binary()) || Command.of("sh", "-c", "command -v ssh").run().status() != 0) {
                throw new DemoFailure("openssh-server and openssh-client are needed; as root: apt-get install openssh-server openssh-client");
            }
        });
        timings.step("preparing a throwaway directory below " + home + " (sshd's StrictModes refuses /tmp)", this::prepare);
        Path key = dir.resolve("id_ed25519");
        timings.step("creating a throwaway key of your own and the dispatcher config", () -> {
            Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "delegator-demo", "-f", key.toString()).check();
            writeScripts();
        });
        sshd = timings.step("starting sshd as " + user + " on 127.0.0.1 (only " + user + " can log in)", () -> {
            LocalSshd s = DemoSshd.builder(dir.resolve("sshd"))
                    .authorizedKeysFile(dir.resolve("authorized_keys").toString())
                    .configLine("AllowUsers " + user)
                    .listener(state.recording("sshd"))
                    .start();
            console.detail("sshd pid " + s.pid() + " listening on 127.0.0.1:" + s.port());
            return s;
        });
        timings.step("authorizing the key: restrict, from=\"127.0.0.1\", command=<the dispatcher>", () -> authorize(key));
        SshClient ssh = new SshClient(Optional.empty(), home, key, dir.resolve("known_hosts"), "127.0.0.1", sshd.port(), user);
        return timings.step("proving what the key can and cannot do", () -> {
            Proofs proofs = new Proofs(ssh, "the key");
            List<Proofs.Proof> out = new ArrayList<>();
            out.add(show(allowed(ssh)));
            out.add(show(proofs.arbitraryCommandRejected()));
            out.add(show(proofs.portForwardRefused(sshd.port())));
            out.add(show(proofs.otherAddressRefused("hello world")));
            return out;
        });
    }

    private void prepare() {
        try {
            dir = Files.createDirectory(home.resolve(".delegator-demo-" + DemoRun.random(DemoRun.DEFAULT_BASE).id()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new DemoFailure("cannot create a directory below " + home + ": " + e.getMessage(), e);
        }
        state = DemoState.create(dir);
        console.detail(dir.toString());
    }

    /** The dispatcher from this build, a tiny verb script and the dispatcher config rendered from a manifest. */
    private void writeScripts() {
        Path lib = Dirs.create(dir.resolve("lib"));
        for (Script s : ScriptSource.bundled().scripts()) {
            if (s.relativePath().equals("dispatch")) {
                Dirs.write(lib.resolve("dispatch"), new String(s.content(), java.nio.charset.StandardCharsets.UTF_8), Dirs.FILE_0755);
            }
        }
        Dirs.write(lib.resolve("hello"), "#!/bin/sh\n# the demo's verb: runs under the dispatcher's sandbox, with checked arguments\n"
                + "echo \"hello $1, from $(id -un) via the dispatcher (verb $DELEGATOR_VERB, client $DELEGATOR_CLIENT)\"\n", Dirs.FILE_0755);
        String manifest = "version: 1\n"
                + "delegations:\n"
                + "  " + NAME + ":\n"
                + "    caller: {user: " + user + "}\n"
                + "    delegate: {user: " + user + ", home: " + home + "}\n"
                + "    hosts: ['localhost']\n"
                + "    from: ['127.0.0.1']\n"
                + "    verbs:\n"
                + "      hello: {run: " + lib.resolve("hello") + ", args: ['[a-z]{1,16}']}\n"
                + "    sandbox: {timeout: 30s, processes: 512, filesize: 1M}\n";
        Delegation d;
        try {
            d = ManifestLoader.parse(manifest, "delegator demo --no-root").delegation(NAME).orElseThrow();
        } catch (ManifestException e) {
            throw new DemoFailure("the demo's own manifest is invalid (a bug): " + e.getMessage(), e);
        }
        Path conf = Dirs.create(dir.resolve("dispatch"));
        Dirs.write(conf.resolve(NAME + ".conf"), DispatchConfig.render(d, "delegator demo --no-root"), Dirs.FILE_0644);
        console.detail("dispatcher config " + conf.resolve(NAME + ".conf") + ": verb hello, argument [a-z]{1,16}");
    }

    private String forcedCommand() {
        return dir.resolve("lib/dispatch") + " --conf-dir " + dir.resolve("dispatch") + " --trust-own-uid " + NAME;
    }

    private void authorize(Path key) {
        try {
            String line = DelegationLine.builder().publicKey(Files.readString(Path.of(key + ".pub")))
                    .from(List.of("127.0.0.1")).command(forcedCommand()).build().render();
            Path ak = dir.resolve("authorized_keys");
            Files.writeString(ak, line + "\n");
            Files.setPosixFilePermissions(ak, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("known_hosts"), sshd.knownHostsLine("127.0.0.1") + "\n");
            console.quoted(line.replaceAll("(AAAA[A-Za-z0-9+/]{8})[A-Za-z0-9+/]+([A-Za-z0-9+/]{6}={0,2})", "$1" + console.ellipsis() + "$2"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Proofs.Proof allowed(SshClient ssh) {
        Command.Result r = ssh.run(List.of(), "hello world");
        boolean held = r.status() == 0 && r.out().contains("hello world");
        List<String> evidence = new ArrayList<>();
        for (String l : (r.out() + r.err()).split("\n")) {
            if (!l.isBlank()) {
                evidence.add(l.strip());
            }
        }
        return new Proofs.Proof(held, "the allowed request 'hello world' runs through the dispatcher"
                + (held ? "" : " (exit " + r.status() + ")"), evidence);
    }

    private Proofs.Proof show(Proofs.Proof proof) {
        if (proof.held()) {
            console.tick(proof.text());
        } else {
            console.cross(proof.text());
        }
        for (String e : proof.evidence()) {
            console.quoted("  " + e);
        }
        return proof;
    }

    private void cleanup() {
        synchronized (cleanupLock) {
            if (cleaned || state == null) {
                return;
            }
            cleaned = true;
            if (sshd != null) {
                sshd.close();
            }
            Command.Result r = Command.of("rm", "-rf", "--one-file-system", "--", dir.toString()).run();
            if (r.status() != 0) {
                console.failure("cleanup: could not remove " + dir + ": " + r.firstErrorLine());
            } else {
                console.detail("removed " + dir);
            }
        }
    }
}
