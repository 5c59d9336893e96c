package dev.delegator.plan;

import dev.delegator.accounts.PosixUser;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Sandbox;
import dev.delegator.systemtools.SystemTool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks this host, before apply, whether the dispatcher will be able to build each delegation's
 * sandbox: the dispatcher fails closed (exit 71) where it cannot, and the admin should learn that
 * from plan rather than from the first deploy. The probe runs the namespace part of the same tools
 * ({@code bwrap} for {@code filesystem: jail}, {@code unshare} for {@code network: none}) as the
 * delegate, since user namespaces can be allowed to root and refused to others (Docker's seccomp
 * profile, AppArmor's userns restriction); before apply has created the delegate, as
 * {@code nobody}. Only root can probe as another account; otherwise it probes as itself. A failed
 * probe is a notice, not a blocker: the host may be fixed after apply.
 */
final class SandboxProbe {
    private static final int NOBODY = 65534;

    private final PlanBuilder b;

    SandboxProbe(PlanBuilder b) {
        this.b = b;
    }

    void probe(List<Delegation> delegateSide) {
        for (Delegation d : delegateSide) {
            Sandbox s = d.sandbox();
            Optional<PosixUser> u = b.known.user(d.delegate().user());
            int uid = u.map(PosixUser::uid).orElse(NOBODY);
            int gid = u.map(PosixUser::gid).orElse(NOBODY);
            String as = u.isPresent() ? "as " + d.delegate().user() : "as nobody (the delegate does not exist yet)";
            if (s.filesystem() == Sandbox.Filesystem.JAIL) {
                if (SystemTool.run(List.of("sh", "-c", "command -v bwrap")).status() != 0) {
                    b.notices.add("delegation " + d.name() + ": sandbox filesystem jail will fail on this host (the dispatcher exits 71):"
                            + " bubblewrap (bwrap) is not installed (Debian: apt-get install bubblewrap)");
                } else {
                    check(d, "filesystem jail", as, uid, gid, List.of("bwrap", "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                            "--unshare-cgroup-try", "--disable-userns", "--new-session", "--die-with-parent", "--ro-bind", "/", "/",
                            "--proc", "/proc", "--dev", "/dev", "true"));
                }
            }
            if (s.network() == Sandbox.Network.NONE && s.filesystem() == Sandbox.Filesystem.HOST) {
                check(d, "network none", as, uid, gid, List.of("unshare", "--user", "--map-current-user", "--net", "--pid", "--fork", "true"));
            }
        }
    }

    private void check(Delegation d, String level, String as, int uid, int gid, List<String> tool) {
        List<String> argv = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            argv.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--no-new-privs", "--"));
        }
        argv.addAll(tool);
        SystemTool.Result r = SystemTool.run(argv);
        if (!r.ok()) {
            b.notices.add("delegation " + d.name() + ": sandbox " + level + " will fail on this host (the dispatcher exits 71); probed " + as
                    + ": " + r.firstErrorLine());
        }
    }
}
