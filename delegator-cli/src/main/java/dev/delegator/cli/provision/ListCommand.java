package dev.delegator.cli.provision;

import dev.delegator.cli.ExitCodes;
import dev.delegator.manifest.Manifest;
import dev.delegator.plan.DelegationStatus;
import dev.delegator.plan.PlanReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code delegator list}: each delegation with its state on this host. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Show each delegation with a side on this host and its state: ok, drift, missing, expired.",
            "Exit: 0 all ok; 1 some delegation is not ok; 3 invalid manifest."})
public final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ProvisionOptions options;

    @Option(names = "--json", description = "Print the list as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Manifest m = options.load(spec.commandLine().getErr());
        List<DelegationStatus> statuses = DelegationStatus.list(m, options.target());
        out.print(json ? PlanReport.json(statuses) : PlanReport.text(statuses));
        out.flush();
        return statuses.stream().allMatch(s -> s.state() == DelegationStatus.State.OK) ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
    }
}
