package dev.delegator.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.delegator.cli.ExitCodes;
import dev.delegator.client.RunResult;
import org.junit.jupiter.api.Test;

/** hook-runner cannot see the CLI's table; its numbers must be the same. */
class ExitCodesInStepTest {
    @Test
    void runnerAndCliAgree() {
        assertEquals(ExitCodes.TIMEOUT, RunResult.TIMEOUT);
        assertEquals(ExitCodes.SIGNAL_BASE, RunResult.SIGNAL_BASE);
        assertEquals(ExitCodes.CONNECTION, RunResult.CONNECTION);
    }
}
