package dev.delegator.cli.provision;

import dev.delegator.cli.ExitCodes;
import dev.delegator.manifest.Manifest;
import dev.delegator.plan.Plan;
import dev.delegator.plan.PlanReport;
import dev.delegator.plan.Planner;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code delegator plan}: what apply would change on this host; changes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Compare the manifest with this host and show what apply would do (changes nothing).",
            "Exit: 0 ok; with --detailed-exitcode 0 no changes, 4 changes pending; 3 invalid manifest; 5 apply would refuse."})
public final class PlanCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ProvisionOptions options;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Option(names = "--detailed-exitcode", description = "Exit 0 when there is nothing to do, 4 when changes are pending (as terraform plan -detailed-exitcode).")
    boolean detailedExitCode;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Manifest m = options.load(spec.commandLine().getErr());
        Plan plan = Planner.plan(m, options.target());
        out.print(json ? PlanReport.json(plan) : PlanReport.text(plan));
        out.flush();
        if (!plan.blockers().isEmpty()) {
            return ExitCodes.REFUSED;
        }
        return detailedExitCode && !plan.isEmpty() ? ExitCodes.CHANGES_PENDING : ExitCodes.OK;
    }
}
