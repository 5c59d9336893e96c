package dev.delegator.testkit;

/** Random free TCP ports on 127.0.0.1 for tests: {@link dev.delegator.localsshd.FreePorts}, under the name tests use. */
public final class FreePorts {
    private FreePorts() {}

    /** A port that was free a moment ago; callers that bind later retry on a race (as {@link PrivateSshd} does). */
    public static int find() {
        return dev.delegator.localsshd.FreePorts.find();
    }
}
