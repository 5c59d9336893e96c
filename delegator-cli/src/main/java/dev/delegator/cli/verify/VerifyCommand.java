package dev.delegator.cli.verify;

import dev.delegator.accounts.Accounts;
import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.cli.run.Durations;
import dev.delegator.cli.run.TargetOptions;
import dev.delegator.client.ClientPreparation;
import dev.delegator.client.DelegationProber;
import dev.delegator.client.DelegationTarget;
import dev.delegator.client.ProbePlan;
import dev.delegator.client.ProbeReport;
import dev.delegator.client.RunOptions;
import dev.delegator.install.ScriptSource;
import dev.delegator.invocation.DelegationResolver;
import dev.delegator.invocation.ResolveException;
import dev.delegator.invocation.TargetSpec;
import dev.delegator.layout.Layout;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.ManifestException;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.plan.HostView;
import dev.delegator.plan.Target;
import dev.delegator.plan.ThisHost;
import dev.delegator.sshdconfig.SshdPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code delegator verify NAME...|--all} and the explicit form
 * {@code delegator verify --host H --user U --identity F --known-hosts F [--verb V]}.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Prove on a live host that a delegation's key can do nothing but its verbs. It connects as the caller, "
                + "with the delegation's real key and pinned host key (exactly as run), and tries at the SSH protocol level: "
                + "a shell, a command that is no verb, a verb with a bad argument, a pty, -L/-W and -R forwarding, agent and "
                + "X11 forwarding, an env request (LD_PRELOAD), the sftp subsystem. Each refusal is a ✓ line, anything granted a ✗.",
            "Run as root on the delegate host, it also checks the host's view: the authorized_keys line is the one apply "
                + "writes, that file, the dispatcher config and their directories are root-owned and not writable by the "
                + "delegate, the drop-in is in effect for the delegate (sshd -T -C), nothing sshd reads the delegate's keys "
                + "from is writable by the delegate.",
            "It never runs a verb with valid arguments (no real work runs) and never writes on the host.",
            "Exit: 0 everything refused and held; 1 something was granted or the host view found a problem; 255 a host "
                + "could not be reached, authenticated or verified (a changed host key); 2 usage; 3 invalid manifest."},
        footer = {"", "Examples:",
            "  delegator verify blog",
            "  delegator verify --all --json",
            "  delegator verify --host web1 --user dlg-blog --identity-env DEPLOY_KEY --known-hosts-env DEPLOY_KNOWN_HOSTS --verb deploy"})
public final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TargetOptions target = new TargetOptions();

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Delegations to verify (manifest form).")
    List<String> names = new ArrayList<>();

    @Option(names = "--all", description = "Verify every delegation of the manifest with its caller or delegate on this host.")
    boolean all;

    @Option(names = "--verb", paramLabel = "VERB",
            description = "Explicit form: a declared verb, tried with an argument the dispatcher must refuse.")
    String verb;

    @Option(names = "--json", description = "One JSON line per delegation (for monitoring).")
    boolean json;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Give up connecting after DURATION (default: 10s).")
    Duration connectTimeout;

    @Option(names = "--sshd-config", paramLabel = "FILE", defaultValue = "/etc/ssh/sshd_config",
            description = "Host view: sshd's config (default ${DEFAULT-VALUE}).")
    Path sshdConfig;

    @Option(names = "--sshd", paramLabel = "FILE", defaultValue = "/usr/sbin/sshd",
            description = "Host view: the sshd binary asked with -T (default ${DEFAULT-VALUE}).")
    Path sshdBinary;

    @Option(names = "--host-name", paramLabel = "NAME",
            description = "Act as the host NAME (and localhost) instead of detecting this machine's names and addresses.")
    String hostName;

    @Override
    public Integer call() throws ResolveException, IOException {
        TargetSpec ts = target.toSpec();
        RunOptions options = connectTimeout == null ? RunOptions.defaults() : RunOptions.defaults().withConnectTimeout(connectTimeout);
        List<DelegationVerdict> verdicts = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        try (DelegationProber prober = new DelegationProber(options, ClientPreparation.none())) {
            if (ts.explicit()) {
                if (!names.isEmpty() || all) {
                    throw new UserFacingException(ExitCodes.USAGE, "the explicit form (--host) takes no NAME and no --all");
                }
                List<DelegationTarget> targets = DelegationResolver.resolve("-", ts, dev.delegator.cli.ProcessInput.environment()).targets();
                ProbePlan plan = ProbePlan.of(verb == null ? List.of() : List.of(verb), Optional.ofNullable(verb));
                verdicts.add(new DelegationVerdict("-", probeAll(prober, targets, plan), Optional.empty(), List.of(),
                        Optional.of("explicit form: no manifest")));
            } else {
                if (verb != null) {
                    throw new UserFacingException(ExitCodes.USAGE, "--verb belongs to the explicit form; a NAME takes its verbs from the manifest");
                }
                if (names.isEmpty() == !all) {
                    throw new UserFacingException(ExitCodes.USAGE, "name the delegations to verify, or give --all (or --host for the explicit form)");
                }
                verdicts.addAll(byName(prober, ts));
            }
        }
        if (verdicts.isEmpty() && !json) {
            // --all found nothing to verify here: say so (JSON monitoring gets no line, as there is no delegation)
            out.println("no delegation has its caller or delegate on this host");
        }
        for (DelegationVerdict v : verdicts) {
            out.print(json ? VerifyOutput.json(v) : VerifyOutput.text(v));
        }
        out.flush();
        if (verdicts.stream().anyMatch(v -> v.failed() > 0)) {
            return ExitCodes.PROBLEMS_FOUND;
        }
        return verdicts.stream().anyMatch(v -> v.unreachable() > 0) ? ExitCodes.CONNECTION : ExitCodes.OK;
    }

    private List<DelegationVerdict> byName(DelegationProber prober, TargetSpec ts) throws ResolveException, IOException {
        Layout layout = Layout.forRoot(ts.root());
        Path manifestFile = ts.manifest() != null ? ts.manifest() : layout.manifest();
        Manifest manifest;
        try {
            manifest = ManifestLoader.load(manifestFile);
        } catch (ManifestException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, e.getMessage(), e);
        }
        Target host = new Target(layout, new SshdPaths(sshdConfig.toAbsolutePath(), sshdBinary.toAbsolutePath()),
                hostName == null ? ThisHost.detect() : ThisHost.named(hostName), new Accounts(), ScriptSource.bundled(), Clock.systemUTC());
        List<Delegation> chosen = new ArrayList<>();
        if (all) {
            for (Delegation d : manifest.delegations()) {
                if (host.host().isCallerHere(d) || host.host().isDelegateHere(d)) {
                    chosen.add(d);
                }
            }
        } else {
            for (String n : names) {
                chosen.add(manifest.delegation(n).orElseThrow(() -> new UserFacingException(ExitCodes.INVALID_INPUT,
                        "no delegation named " + n + " in " + manifestFile)));
            }
        }
        boolean root = isRoot();
        HostView view = null;
        List<DelegationVerdict> out = new ArrayList<>();
        for (Delegation d : chosen) {
            boolean delegateHere = host.host().isDelegateHere(d);
            List<ProbeReport> probes = List.of();
            Optional<String> probeSkipped = Optional.empty();
            Path key = layout.callerKey(d.caller().user(), d.name());
            if (!Files.exists(key) && delegateHere && !host.host().isCallerHere(d)) {
                probeSkipped = Optional.of("the caller key is on " + d.caller().host() + "; run verify there to probe");
            } else {
                List<DelegationTarget> targets = DelegationResolver.resolve(d.name(), ts, dev.delegator.cli.ProcessInput.environment()).targets();
                ProbePlan plan = ProbePlan.of(d.verbs().keySet(), Optional.of(d.verbs().firstKey()));
                probes = probeAll(prober, targets, plan);
            }
            List<HostView.Finding> findings = List.of();
            Optional<String> viewSkipped = Optional.empty();
            if (!delegateHere) {
                viewSkipped = Optional.of("this is not " + d.name() + "'s delegate host");
            } else if (!root) {
                viewSkipped = Optional.of("run as root on the delegate host to check it");
            } else {
                if (view == null) {
                    view = HostView.of(manifest, host);
                }
                findings = view.check(d);
            }
            out.add(new DelegationVerdict(d.name(), probes, probeSkipped, findings, viewSkipped));
        }
        return out;
    }

    private static List<ProbeReport> probeAll(DelegationProber prober, List<DelegationTarget> targets, ProbePlan plan) {
        List<ProbeReport> out = new ArrayList<>();
        for (DelegationTarget t : targets) {
            out.add(prober.probe(t, plan));
        }
        return out;
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
