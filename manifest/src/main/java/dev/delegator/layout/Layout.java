package dev.delegator.layout;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Every on-host path of DESIGN.md's "central" layout. {@link #system()} is the real one;
 * {@link #under(Path)} prefixes every path with a root, which tests use (a root-owned 0755
 * directory outside /tmp, because sshd's StrictModes checks every parent). sshd's own config is
 * not part of the layout: see {@code dev.delegator.sshdconfig.SshdPaths}.
 *
 * @param root {@code /} for the system layout, else the prefix
 */
public record Layout(Path root) {
    /** The dispatcher config directory of the system layout; the forced command names another with --conf-dir. */
    public static final Path SYSTEM_DISPATCH_CONF_DIR = Path.of("/etc/delegator/dispatch");

    public Layout {
        Objects.requireNonNull(root, "root");
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("layout root (" + root + ") must be absolute");
        }
        root = root.normalize();
    }

    /** The real layout: paths as in DESIGN.md. */
    public static Layout system() {
        return new Layout(Path.of("/"));
    }

    /** The layout with every path below {@code root}. */
    public static Layout under(Path root) {
        return new Layout(root);
    }

    /**
     * What a {@code --root} option means, for every command that takes one: the system layout
     * when {@code root} is null, else every path below it (a relative root is taken from the
     * working directory).
     */
    public static Layout forRoot(Path root) {
        return root == null ? system() : under(root.toAbsolutePath());
    }

    private Path at(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** {@code /etc/delegator/delegations.yaml}, the default manifest. */
    public Path manifest() {
        return at("/etc/delegator/delegations.yaml");
    }

    /** {@code /etc/delegator}, root 0755. */
    public Path etcDir() {
        return at("/etc/delegator");
    }

    /** {@code /etc/delegator/authorized_keys}: one root-owned 0644 file per delegate, the dir root 0755. */
    public Path authorizedKeysDir() {
        return at("/etc/delegator/authorized_keys");
    }

    /** The central authorized_keys file of one delegate user. */
    public Path authorizedKeys(String delegateUser) {
        return authorizedKeysDir().resolve(delegateUser);
    }

    /** {@code /var/lib/delegator/ca}: the default directory of {@code delegator ca} (CA key root 0600, the dir root 0700). */
    public Path caDir() {
        return at("/var/lib/delegator/ca");
    }

    /**
     * {@code /var/lib/delegator/host-ca}: the default directory of the host CA ({@code ca init --host},
     * {@code ca sign-host}): a key apart from the user CA's, kept the same way (root 0600 in root 0700).
     */
    public Path hostCaDir() {
        return at("/var/lib/delegator/host-ca");
    }

    /** {@code /etc/delegator/ca}: what a delegate host trusts: the CA keys and the KRL, root 0644, the dir root 0755. */
    public Path trustDir() {
        return at("/etc/delegator/ca");
    }

    /** {@code /etc/delegator/ca/trusted_user_ca_keys}: sshd's TrustedUserCAKeys, the manifest's CA keys. */
    public Path trustedUserCaKeys() {
        return trustDir().resolve("trusted_user_ca_keys");
    }

    /** {@code /etc/delegator/ca/revoked_keys}: sshd's RevokedKeys, the KRL (never missing while the drop-in names it). */
    public Path revokedKeys() {
        return trustDir().resolve("revoked_keys");
    }

    /** {@code /etc/delegator/principals}: one root-owned 0644 AuthorizedPrincipalsFile per delegate, the dir root 0755. */
    public Path principalsDir() {
        return at("/etc/delegator/principals");
    }

    /** The AuthorizedPrincipalsFile of one delegate user. */
    public Path principals(String delegateUser) {
        return principalsDir().resolve(delegateUser);
    }

    /** {@code /etc/delegator/dispatch}: dispatcher configs, root 0644, the dir root 0755. */
    public Path dispatchConfDir() {
        return at("/etc/delegator/dispatch");
    }

    /** The dispatcher config of one delegation. */
    public Path dispatchConf(String delegation) {
        return dispatchConfDir().resolve(delegation + ".conf");
    }

    /** {@code /usr/lib/delegator}, root 0755. */
    /** {@code /etc/cron.deny}: delegate accounts are listed there (Debian lets every account use crontab otherwise). */
    public Path cronDeny() {
        return at("/etc/cron.deny");
    }

    /** {@code /etc/cron.allow}: where it exists, cron reads it instead of cron.deny. */
    public Path cronAllow() {
        return at("/etc/cron.allow");
    }

    /** {@code /etc/at.deny}: delegate accounts are listed there. */
    public Path atDeny() {
        return at("/etc/at.deny");
    }

    /** {@code /etc/at.allow}: where it exists, at reads it instead of at.deny. */
    public Path atAllow() {
        return at("/etc/at.allow");
    }

    public Path libDir() {
        return at("/usr/lib/delegator");
    }

    /** {@code /usr/lib/delegator/dispatch}, the forced command, root 0755. */
    public Path dispatcher() {
        return at("/usr/lib/delegator/dispatch");
    }

    /** {@code /usr/lib/delegator/deploy}: the deploy scripts, root 0755. */
    public Path deployDir() {
        return at("/usr/lib/delegator/deploy");
    }

    /** {@code /var/lib/delegator}: apply's state (first-apply times), root 0755. */
    public Path stateDir() {
        return at("/var/lib/delegator");
    }

    /** {@code /var/lib/delegator/state.properties}: when each delegation was first applied here (for {@code expires: 90d}). */
    public Path stateFile() {
        return stateDir().resolve("state.properties");
    }

    /** {@code /var/lib/delegator/callers}, root 0755. */
    public Path callersDir() {
        return at("/var/lib/delegator/callers");
    }

    /** {@code /var/lib/delegator/callers/<caller>}, root 0755 (so the caller cannot replace the directories below it). */
    public Path callerDir(String caller) {
        return callersDir().resolve(caller);
    }

    /**
     * {@code /var/lib/delegator/callers/<caller>/audit.log}, caller 0600: {@code delegator run} and the hooks
     * append one JSON line per run. Created by apply, because the caller cannot create files in its
     * root-owned directory; it can append to this one but not replace or remove it.
     */
    public Path callerAuditLog(String caller) {
        return callerDir(caller).resolve("audit.log");
    }

    /** {@code /var/lib/delegator/callers/<caller>/<delegation>}, caller 0700. */
    public Path callerDelegationDir(String caller, String delegation) {
        return callerDir(caller).resolve(delegation);
    }

    /** The caller's private key for a delegation ({@code id_ed25519}, 0600; {@code .pub} beside it). */
    public Path callerKey(String caller, String delegation) {
        return callerDelegationDir(caller, delegation).resolve("id_ed25519");
    }

    /** The caller's known_hosts for a delegation, pinning every delegate host. */
    public Path callerKnownHosts(String caller, String delegation) {
        return callerDelegationDir(caller, delegation).resolve("known_hosts");
    }

    /** The apply lock: {@code /run/delegator/apply.lock}. */
    public Path applyLock() {
        return at("/run/delegator/apply.lock");
    }

    /** {@code /etc/sudoers.d}: sudo reads every file here whose name has no '.' and does not end in '~'. */
    public Path sudoersDir() {
        return at("/etc/sudoers.d");
    }

    /** {@code /etc/sudoers.d/delegator-<name>}: the rule that lets the delegate run the dispatcher's privileged step, root 0440. */
    public Path sudoersFile(String delegation) {
        return sudoersDir().resolve("delegator-" + delegation);
    }

    /**
     * The dispatcher's privileged step for a verb with capabilities, as the sudoers rule allows it
     * and the dispatcher calls it: {@code <dispatcher> --grant [--conf-dir <dir>] <name>}, the
     * forced command's options after {@code --grant}.
     */
    public String grantCommand(String delegation) {
        String forced = forcedCommand(delegation);
        return dispatcher() + " --grant" + forced.substring(dispatcher().toString().length());
    }

    /** {@code /etc/delegator/nftables/loopback.nft}: the nftables table of {@code network: loopback}, root 0644, loaded at boot. */
    public Path loopbackRules() {
        return at("/etc/delegator/nftables/loopback.nft");
    }

    /** {@code /etc/systemd/system/delegator-loopback.service}: loads {@link #loopbackRules} at boot, root 0644. */
    public Path loopbackUnit() {
        return at("/etc/systemd/system/delegator-loopback.service");
    }

    /** The symlink that enables {@link #loopbackUnit} ({@code multi-user.target.wants}). */
    public Path loopbackUnitWants() {
        return at("/etc/systemd/system/multi-user.target.wants/delegator-loopback.service");
    }

    /**
     * The kernel's nftables table (family {@code inet}) of {@code network: loopback}: {@code delegator}
     * for the system layout; for a layout under a root, a name of its own ({@code delegator_<8 hex>}
     * of the root), since the kernel has one ruleset whatever the root.
     */
    public String nftTable() {
        if (isSystem()) {
            return "delegator";
        }
        return "delegator_" + String.format("%08x", root.toString().hashCode());
    }

    /** True for the system layout. */
    public boolean isSystem() {
        return root.equals(Path.of("/"));
    }

    /**
     * The forced command of a delegation's authorized_keys line: {@code <dispatcher> <name>}, with
     * {@code --conf-dir <dir>} when the config directory is not the system one (docs/interfaces.md).
     */
    public String forcedCommand(String delegation) {
        if (dispatchConfDir().equals(SYSTEM_DISPATCH_CONF_DIR)) {
            return dispatcher() + " " + delegation;
        }
        return dispatcher() + " --conf-dir " + dispatchConfDir() + " " + delegation;
    }
}
