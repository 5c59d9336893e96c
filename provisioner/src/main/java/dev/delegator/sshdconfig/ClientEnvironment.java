package dev.delegator.sshdconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two ways environment variables reach a delegate's forced command before the dispatcher can
 * check anything, read from sshd's effective config ({@code sshd -T}, sshd's own reading):
 *
 * <ul>
 *   <li>{@code PermitUserEnvironment} other than {@code no} makes sshd read
 *       {@code ~/.ssh/environment} in the delegate's home, which the delegate's deploy code can
 *       write ({@code LD_PRELOAD=…} for the next login). It is global only: sshd refuses it in a
 *       Match block, so the drop-in cannot turn it off and plan/apply refuse such a host.
 *   <li>{@code AcceptEnv} lets the client's {@code env} requests through. The drop-in sets it, for
 *       delegates, to {@link DropIn#NO_CLIENT_ENVIRONMENT}; anything else in effect for a delegate
 *       is a problem.
 * </ul>
 *
 * The one reader of these rules: plan, apply's effect check and {@code delegator sshd-config lint}
 * all call it.
 */
public final class ClientEnvironment {
    private ClientEnvironment() {}

    /** Empty when the global {@code permituserenvironment} of {@code sshd -T} is {@code no}, else one line saying why it is refused. */
    public static Optional<String> userEnvironmentProblem(Map<String, List<String>> effective) {
        List<String> v = effective.getOrDefault("permituserenvironment", List.of());
        if (v.equals(List.of("no"))) {
            return Optional.empty();
        }
        return Optional.of("PermitUserEnvironment " + (v.isEmpty() ? "(not shown by sshd -T)" : String.join(" ", v))
                + ": sshd reads ~/.ssh/environment from each delegate's home, which the delegate's deploy code can write"
                + " (LD_PRELOAD for the next login, before the dispatcher runs); set PermitUserEnvironment no"
                + " (sshd allows it only globally, so the delegator drop-in cannot turn it off)");
    }

    /** Empty when sshd -T -C for {@code user} accepts only {@link DropIn#NO_CLIENT_ENVIRONMENT}, else one line saying what it lets in. */
    public static Optional<String> acceptEnvProblem(Map<String, List<String>> effectiveForUser, String user) {
        List<String> v = effectiveForUser.getOrDefault("acceptenv", List.of());
        List<String> others = new ArrayList<>(v);
        others.remove(DropIn.NO_CLIENT_ENVIRONMENT);
        if (others.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("AcceptEnv " + String.join(" ", v) + " for " + user
                + ": the client's environment requests matching it reach the forced command before the dispatcher runs"
                + " (LD_PRELOAD into its /bin/sh); the delegator drop-in sets AcceptEnv " + DropIn.NO_CLIENT_ENVIRONMENT
                + " for delegates (is it in effect?)");
    }

    /** Every problem of {@code sshd}'s config: the global one, then one per delegate given. */
    public static List<String> problems(Sshd sshd, List<String> delegates) {
        List<String> out = new ArrayList<>();
        userEnvironmentProblem(sshd.effective()).ifPresent(out::add);
        for (String user : delegates) {
            acceptEnvProblem(sshd.effectiveFor(user, "localhost", "127.0.0.1"), user).ifPresent(out::add);
        }
        return out;
    }
}
