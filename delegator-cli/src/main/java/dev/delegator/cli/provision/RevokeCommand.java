package dev.delegator.cli.provision;

import dev.delegator.cli.ExitCodes;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.plan.Applier;
import dev.delegator.plan.Change;
import dev.delegator.plan.Plan;
import dev.delegator.plan.PlanReport;
import dev.delegator.plan.Progress;
import dev.delegator.plan.Revoker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code delegator revoke NAME}: take a delegation away on this host. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Remove a delegation's authorized_keys line, dispatcher config and caller key on this host; the next login with its key is denied.",
            "Remove it from the manifest too, or the next apply restores it. Exit: 0 done (also when nothing was found); 5 refused."})
public final class RevokeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ProvisionOptions options;

    @Mixin
    LockWaitOption lockWait;

    @Parameters(paramLabel = "NAME", description = "The delegation.")
    String name;

    @Option(names = "--remove-user", description = "Also remove the delegate account (and its home), if delegator created it.")
    boolean removeUser;

    @Option(names = "--dry-run", description = "Print what revoke would do, in plan's format, and change nothing (exit 5 when it would refuse).")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!dev.delegator.manifest.Names.isDelegationName(name)) {
            throw new dev.delegator.cli.UserFacingException(ExitCodes.USAGE, "'" + name + "' is not a delegation name");
        }
        // the manifest only helps (it names the delegate user); revoke works without it
        Optional<Delegation> declared = Optional.empty();
        if (Files.isRegularFile(options.manifestPath())) {
            try {
                declared = ManifestLoader.load(options.manifestPath()).delegation(name);
            } catch (dev.delegator.manifest.ManifestException e) {
                spec.commandLine().getErr().println("delegator: warning: manifest not usable (" + e.getMessage() + "); revoking from what is on disk");
            }
        }
        Optional<Delegation> d = declared;
        String nothing = "nothing of delegation " + name + " found on this host";
        int status = ExitCodes.OK;
        if (dryRun) {
            Plan plan = Revoker.plan(name, d, removeUser, options.target());
            out.print(PlanReport.text(plan, nothing));
            status = plan.blockers().isEmpty() ? ExitCodes.OK : ExitCodes.REFUSED;
        } else {
            Applier.Result r = Revoker.revoke(name, d, removeUser, options.target(),
                    new Applier.Options(true, lockWait.duration(), Progress.NONE));
            List<Change> done = r.executed().changes();
            for (Change c : done) {
                out.println(c.display());
            }
            if (done.isEmpty()) {
                out.println(nothing);
            } else if (!r.after().isEmpty()) {
                out.println("revoked; still pending (changed meanwhile?):");
                out.print(PlanReport.text(r.after(), nothing));
            }
        }
        if (declared.isPresent()) {
            out.println("note: " + name + " is still in " + options.manifestPath() + ": remove it there, or the next apply restores it");
        }
        out.flush();
        return status;
    }
}
