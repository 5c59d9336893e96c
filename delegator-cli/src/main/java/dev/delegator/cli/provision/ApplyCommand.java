package dev.delegator.cli.provision;

import dev.delegator.cli.ExitCodes;
import dev.delegator.manifest.Manifest;
import dev.delegator.plan.Applier;
import dev.delegator.plan.PlanReport;
import dev.delegator.plan.Progress;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code delegator apply}: make this host match the manifest. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Make this host match the manifest: delegate side of delegations whose hosts include it, caller side of those whose caller runs here.",
            "Idempotent; one apply at a time. Exit: 0 done; 3 invalid manifest; 5 refused (foreign account, file changed meanwhile, lock held); 6 a system tool failed."})
public final class ApplyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ProvisionOptions options;

    @Option(names = "--no-reload", description = "Do not SIGHUP a running sshd after changing the drop-in.")
    boolean noReload;

    @Mixin
    LockWaitOption lockWait;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Manifest m = options.load(err);
        Progress progress = (i, n, step) -> {
            out.println("[" + i + "/" + n + "] " + step.changes().get(0).display());
            out.flush();
        };
        Applier.Result r = Applier.apply(m, options.target(),
                new Applier.Options(!noReload, lockWait.duration(), progress));
        r.notes().forEach(n -> out.println("note: " + n));
        r.after().notices().forEach(n -> out.println("note: " + n));
        if (r.executed().isEmpty()) {
            out.println("no changes: this host already matches the manifest");
        } else if (r.after().isEmpty()) {
            out.println("applied " + r.executed().changes().size() + " change(s)");
        } else {
            out.println("applied; still pending (changed meanwhile?):");
            out.print(PlanReport.text(r.after()));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
