package dev.delegator.cli.provision;

import dev.delegator.plan.Applier;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --lock-wait SECONDS} of the commands that change the host (apply, revoke): they take turns on the one apply lock. */
public final class LockWaitOption {
    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "" + Applier.DEFAULT_LOCK_WAIT_SECONDS,
            description = "How long to wait for another apply or revoke to finish (default ${DEFAULT-VALUE}).")
    long seconds;

    Duration duration() {
        return Duration.ofSeconds(seconds);
    }
}
