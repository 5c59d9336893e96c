package dev.delegator.cli.run;

import dev.delegator.client.DelegationTarget;
import java.util.List;

/** Target resolution for the hook commands (same rules as run: manifest NAME, or the explicit options). */
public final class HookTargets {
    private HookTargets() {}

    public static List<DelegationTarget> resolve(String name, TargetOptions options) {
        return Targets.resolve(name, options, dev.delegator.cli.ProcessInput.environment()).targets();
    }
}
