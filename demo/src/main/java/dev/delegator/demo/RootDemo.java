package dev.delegator.demo;

import dev.delegator.accounts.Accounts;
import dev.delegator.localsshd.Command;
import dev.delegator.localsshd.LocalSshd;
import dev.delegator.plan.Applier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The full demo, as root: installs what is missing, starts a private sshd, provisions a
 * delegation with the real apply, pushes to a Mercurial repository whose hook deploys as the
 * delegate, proves the key can do nothing else, prints a summary and removes everything (unless
 * kept). Any failure stops it with a one-line reason, and cleanup still runs, also on Ctrl-C.
 */
public final class RootDemo {
    /** How the run went: 0 every step and proof held, 1 otherwise. */
    public static final int OK = 0;
    public static final int FAILED = 1;

    private final DemoRun run;
    private final Console console;
    private final boolean keep;
    private final Timings timings;
    private final Object cleanupLock = new Object();
    private DemoState state;
    private boolean cleaned;
    private volatile boolean interrupted;
    private LocalSshd sshd;
    private HgServe serve;

    public RootDemo(DemoRun run, Console console, boolean keep) {
        this.run = run;
        this.console = console;
        this.keep = keep;
        this.timings = new Timings(console);
    }

    /** Runs the demo; returns {@link #OK} or {@link #FAILED}. */
    public int run() {
        Thread onInterrupt = new Thread(() -> {
            interrupted = true;
            console.line("");
            console.failure("interrupted: cleaning up");
            cleanup();
        }, "delegator-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        boolean ok = false;
        boolean kept = false;
        try {
            console.title("delegator demo: a push-to-deploy delegation through an OpenSSH forced command, for real (run " + run.id() + ")");
            List<Proofs.Proof> proofs = steps();
            ok = proofs.stream().allMatch(Proofs.Proof::held);
            summary(proofs, ok);
            kept = ok && keep;
        } catch (RuntimeException e) {
            // the demo is the top of its own run: whatever failed, one line, then the cleanup below
            if (!interrupted) {
                console.failure("demo failed: " + oneLine(e.getMessage()));
            }
        } finally {
            if (kept) {
                state.remove(DemoState.RUNNING);
                keptMessage();
            } else {
                timings.step("removing everything the demo created", this::cleanup);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // already shutting down: the hook does the cleanup
            }
        }
        return ok ? OK : FAILED;
    }

    private List<Proofs.Proof> steps() {
        List<String> missing = timings.step("checking for " + String.join(" and ", Packages.NEEDED),
                () -> Packages.missing(Packages.NEEDED));
        if (!missing.isEmpty()) {
            timings.step("installing " + String.join(", ", missing) + " with apt-get (the machine's own sshd is not started)",
                    () -> Packages.install(missing, console));
        }
        timings.step("preparing " + run.dir() + " (everything the demo makes lives here)", this::prepare);
        timings.step("creating the caller account " + run.caller() + " (it owns the repository and runs the hook)",
                () -> CallerAccount.create(run, state));
        sshd = timings.step("starting a private sshd on 127.0.0.1 (own config and host key; never the machine's sshd or /etc/ssh)",
                () -> {
                    // only the demo's delegates log in here, only with the keys apply writes
                    LocalSshd s = DemoSshd.builder(run.sshdDir())
                            .include(run.sshdDir().resolve("sshd_config.d") + "/*.conf")
                            .authorizedKeysFile("none")
                            .configLine("AllowGroups " + Provisioning.delegatorGroup())
                            .listener(state.recording("sshd"))
                            .start();
                    console.detail("sshd pid " + s.pid() + " listening on 127.0.0.1:" + s.port() + ", config " + s.configFile());
                    return s;
                });
        timings.step("provisioning the delegation '" + run.delegation() + "' with delegator apply", this::provision);
        timings.step("creating " + run.caller() + "'s Mercurial repository and installing the hook", this::repositoryAndHook);
        serve = timings.step("serving the repository with hg serve as " + run.caller() + " (push allowed, 127.0.0.1 only)", () -> {
            HgServe s = HgServe.start(run, state);
            console.detail("hg serve pid " + s.pid() + " at " + s.url());
            return s;
        });
        Push.Outcome pushed = timings.step("committing a small site and pushing it: the hook deploys it as " + run.delegate(),
                () -> Push.commitAndPush(run, serve, console));
        checkDeployOutput(pushed);
        return timings.step("proving the caller's key can do nothing else", () -> proofs(pushed));
    }

    private void prepare() {
        if (!run.base().toFile().exists()) {
            Dirs.create(run.base());
        }
        checkRootOwned(run.base());
        try {
            // createDirectory, not createDirectories: two runs must never share a directory
            java.nio.file.Files.createDirectory(run.dir());
            java.nio.file.Files.setPosixFilePermissions(run.dir(), Dirs.DIR_0755);
        } catch (java.io.IOException e) {
            throw new DemoFailure("cannot create " + run.dir() + ": " + e, e);
        }
        state = DemoState.create(run.dir());
        // --clean leaves a run alone while the demo that made it still runs
        state.put(DemoState.RUNNING, Long.toString(ProcessHandle.current().pid()));
        state.put("caller", run.caller());
        state.put("delegate", run.delegate());
        Path launcher = Launcher.install(run);
        console.detail("copied the CLI to " + run.jar() + ", launcher " + launcher + " (the caller cannot read your checkout)");
    }

    private static void checkRootOwned(Path dir) {
        Command.Result r = Command.of("stat", "-c", "%u %a", dir.toString()).check();
        String[] f = r.out().strip().split(" ");
        if (!f[0].equals("0") || (Integer.parseInt(f[1], 8) & 022) != 0) {
            throw new DemoFailure(dir + " must be owned by root and writable only by root (sshd's StrictModes checks it); it is uid "
                    + f[0] + " mode " + f[1]);
        }
    }

    private void provision() {
        Accounts accounts = new Accounts();
        state.addUser(run.delegate());
        state.addGroup(run.delegate());
        if (accounts.group(Provisioning.delegatorGroup()).isEmpty()) {
            state.addGroup(Provisioning.delegatorGroup());
        }
        boolean networkNone = Command.of("unshare", "--user", "--map-current-user", "--net", "true").as(run.caller()).run().status() == 0;
        String manifest = Provisioning.manifest(run, sshd.port(), networkNone);
        console.detail("manifest " + run.layout().manifest() + ":");
        for (String line : manifest.split("\n")) {
            if (!line.startsWith("#")) {
                console.quoted(line);
            }
        }
        if (!networkNone) {
            console.detail("(network: full: this machine does not allow unprivileged user namespaces, which 'network: none' needs)");
        }
        int listening = sshd.listeningCount();
        Applier.Result result = Provisioning.apply(run, sshd, manifest, console);
        result.notes().forEach(n -> console.detail("note: " + n));
        if (!result.after().isEmpty()) {
            throw new DemoFailure("apply left changes pending: " + result.after().changes().get(0).display());
        }
        sshd.ensureReloaded(listening);
        console.detail("delegate " + run.delegate() + " created; its authorized_keys line (root-owned, "
                + run.layout().authorizedKeys(run.delegate()) + "):");
        try {
            for (String line : java.nio.file.Files.readAllLines(run.layout().authorizedKeys(run.delegate()))) {
                if (line.startsWith("restrict")) {
                    console.quoted(abbreviateKey(line));
                }
            }
        } catch (java.io.IOException e) {
            throw new DemoFailure("cannot read " + run.layout().authorizedKeys(run.delegate()) + ": " + e.getMessage(), e);
        }
    }

    /** The key's base64 is long and says nothing to a reader: show its start and end. */
    private String abbreviateKey(String line) {
        return line.replaceAll("(AAAA[A-Za-z0-9+/]{8})[A-Za-z0-9+/]+([A-Za-z0-9+/]{6}={0,2})", "$1" + console.ellipsis() + "$2");
    }

    private void repositoryAndHook() {
        SiteRepository.create(run);
        console.detail("hg init " + run.repository() + " (as " + run.caller() + ")");
        List<String> argv = new ArrayList<>(List.of(run.launcher().toString(), "hook", "install", "--hg", run.repository().toString(),
                run.delegation(), "--delegator", run.launcher().toString(), "--",
                "--manifest", run.layout().manifest().toString(), "--root", run.dir().toString(),
                "--audit-log", run.layout().callerDir(run.caller()).resolve("audit.log").toString()));
        console.detail("$ delegator " + String.join(" ", argv.subList(1, argv.size())));
        Command.Result r = Command.of(argv).env("HOME", run.dir().toString()).check();
        for (String line : r.out().split("\n")) {
            if (!line.isBlank()) {
                console.quoted(line);
            }
        }
    }

    private void checkDeployOutput(Push.Outcome pushed) {
        boolean ran = pushed.remoteLines().stream().anyMatch(l -> l.startsWith("deploy: running as " + run.delegate()));
        boolean published = pushed.remoteLines().stream().anyMatch(l -> l.startsWith("deploy: published"));
        if (!ran || !published) {
            throw new DemoFailure("the push did not show the deploy's output from " + run.delegate()
                    + "; see " + HgServe.errorLog(run));
        }
    }

    private List<Proofs.Proof> proofs(Push.Outcome pushed) {
        Path key = run.layout().callerKey(run.caller(), run.delegation());
        SshClient ssh = new SshClient(Optional.of(run.caller()), run.callerHome(), key,
                run.layout().callerKnownHosts(run.caller(), run.delegation()), "localhost", sshd.port(), run.delegate());
        Proofs p = new Proofs(ssh, "the caller's key");
        List<Proofs.Proof> out = new ArrayList<>();
        out.add(show(p.arbitraryCommandRejected()));
        out.add(show(p.portForwardRefused(sshd.port())));
        out.add(show(p.otherAddressRefused("deploy " + pushed.node())));
        out.add(show(Proofs.ranAsDelegate(SiteRepository.publishedPage(run), run.delegate(), run.caller())));
        return out;
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

    private void summary(List<Proofs.Proof> proofs, boolean ok) {
        console.line("");
        console.title(ok ? "Summary: the delegation works, and the key does nothing else"
                : "Summary: " + proofs.stream().filter(p -> !p.held()).count() + " proof(s) failed");
        console.detail("created: caller " + run.caller() + ", delegate " + run.delegate() + " (group " + Provisioning.delegatorGroup()
                + "), delegation '" + run.delegation() + "' in " + run.dir());
        console.detail("         private sshd 127.0.0.1:" + sshd.port() + ", hg serve " + serve.url()
                + ", the site published to " + run.delegateWebDir());
        console.detail("timings:");
        timings.print();
        console.line("");
    }

    private void keptMessage() {
        console.line("Kept (--keep): run " + run.id() + " in " + run.dir());
        console.detail("sshd on 127.0.0.1:" + sshd.port() + " (pid " + sshd.pid() + "), hg serve at " + serve.url() + " (pid " + serve.pid() + ")");
        console.detail("push again:  hg clone " + serve.url() + " /tmp/blog-" + run.id() + "   # edit, commit, hg push");
        console.detail("clean up later: ./delegator demo --clean   (removes every kept demo, using " + run.dir().resolve(DemoState.FILE) + ")");
    }

    /** Removes what this run created; safe to call twice and from the shutdown hook. */
    private void cleanup() {
        synchronized (cleanupLock) {
            if (cleaned) {
                return;
            }
            cleaned = true;
            if (state == null) {
                return;
            }
            if (serve != null) {
                serve.stop(state);
            }
            if (sshd != null) {
                sshd.close();
            }
            List<String> problems = new Cleanup().clean(state, console);
            for (String p : problems) {
                console.failure("cleanup: " + p);
            }
        }
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s+", " ").strip();
    }
}
