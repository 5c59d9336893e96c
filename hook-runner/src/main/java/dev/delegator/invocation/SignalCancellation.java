package dev.delegator.invocation;

import dev.delegator.client.DelegationRunner;
import dev.delegator.client.RunResult;
import java.util.ArrayList;
import java.util.List;

/**
 * While a delegation runs, Ctrl-C (SIGINT) and SIGTERM close its channels instead of killing the
 * JVM at once, so the remote work ends (the dispatcher ends its child on stdin EOF), the audit line
 * is written, and the process exits 128+N (130, 143) as a shell would report it. The JVM's own
 * handlers come back on close.
 */
final class SignalCancellation implements Invocation.Listening {
    private final List<Object[]> previous = new ArrayList<>();

    static SignalCancellation install(DelegationRunner runner) {
        SignalCancellation c = new SignalCancellation();
        for (String name : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal sig = new sun.misc.Signal(name);
                sun.misc.SignalHandler old = sun.misc.Signal.handle(sig, s -> {
                    // off the signal thread: cancelAll waits for the channels to close
                    Thread t = new Thread(() -> runner.cancelAll(RunResult.SIGNAL_BASE + s.getNumber()), "cancel-" + name);
                    t.setDaemon(true);
                    t.start();
                });
                c.previous.add(new Object[] {sig, old});
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // signal not available here (e.g. the JVM was started with -Xrs): default behaviour stays
            }
        }
        return c;
    }

    @Override
    public void close() {
        for (Object[] p : previous) {
            sun.misc.Signal.handle((sun.misc.Signal) p[0], (sun.misc.SignalHandler) p[1]);
        }
    }
}
