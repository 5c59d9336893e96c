package dev.delegator.plan;

import dev.delegator.accounts.Accounts;
import dev.delegator.install.ScriptSource;
import dev.delegator.layout.Layout;
import dev.delegator.sshdconfig.Sshd;
import dev.delegator.sshdconfig.SshdPaths;
import java.time.Clock;
import java.util.Objects;

/**
 * The machine a plan is made for and applied to: its layout, its sshd, who "this host" is, its
 * accounts, the scripts this build installs, and the clock (expiry times).
 */
public record Target(Layout layout, SshdPaths sshdPaths, ThisHost host, Accounts accounts, ScriptSource scripts, Clock clock) {
    public Target {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(sshdPaths, "sshdPaths");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(scripts, "scripts");
        Objects.requireNonNull(clock, "clock");
    }

    /** The real machine: system layout, /etc/ssh/sshd_config, detected host names, bundled scripts. */
    public static Target system() {
        return new Target(Layout.system(), SshdPaths.system(), ThisHost.detect(), new Accounts(), ScriptSource.bundled(), Clock.systemUTC());
    }

    public Sshd sshd() {
        return new Sshd(sshdPaths);
    }
}
