package dev.delegator.plan;

import dev.delegator.accounts.Accounts;
import dev.delegator.install.ScriptSource;
import dev.delegator.layout.Layout;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.sshdconfig.SshdPaths;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A separate apply process for the kill -9 and concurrency tests: {@code ROOT MANIFEST SSHD_CONFIG HOST}.
 * Prints {@code step N} before each step and {@code applied N} or {@code no changes} at the end.
 */
public final class ApplyChild {
    public static void main(String[] args) throws Exception {
        Target t = new Target(Layout.under(Path.of(args[0])), new SshdPaths(Path.of(args[2]), SshdPaths.DEFAULT_BINARY),
                ThisHost.named(args[3]), new Accounts(), ScriptSource.bundled(), Clock.systemUTC());
        Applier.Result r = Applier.apply(ManifestLoader.load(Path.of(args[1])), t, new Applier.Options(false, Duration.ofMinutes(5),
                (i, n, s) -> {
                    System.out.println("step " + i);
                    System.out.flush();
                }));
        System.out.println(r.executed().isEmpty() ? "no changes" : "applied " + r.executed().steps().size());
        System.out.flush();
    }
}
