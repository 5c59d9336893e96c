package dev.delegator.plan;

import dev.delegator.accounts.PosixUser;
import dev.delegator.dispatchconfig.LoopbackRules;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Sandbox;
import dev.delegator.systemtools.SystemTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Plans {@code network: loopback} on this host: the nftables file of {@link LoopbackRules} for
 * every delegate whose delegation asks for it, the systemd unit that loads it at boot (enabled by
 * its {@code multi-user.target.wants} link), and loading it into the kernel whenever the kernel's
 * table is missing or differs (after a reboot without the unit, a flushed ruleset, a new delegate).
 * Without any such delegation all of it is removed. The dispatcher checks before each request
 * that the rule is in force, so whatever happens to the kernel's table, the work never runs with
 * more network than it asked for. A host without {@code nft} gets a blocker naming the package.
 */
final class LoopbackPlanner {
    private final PlanBuilder b;

    LoopbackPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planLoopback(List<Delegation> delegateSide) throws IOException {
        SortedSet<String> users = new TreeSet<>();
        for (Delegation d : delegateSide) {
            if (d.sandbox().network() == Sandbox.Network.LOOPBACK) {
                users.add(d.delegate().user());
            }
        }
        boolean haveNft = SystemTool.run(List.of("sh", "-c", "command -v nft")).status() == 0;
        String table = b.layout.nftTable();
        if (users.isEmpty()) {
            removeAll(haveNft, table);
            return;
        }
        if (!haveNft) {
            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "sandbox network loopback (delegate" + (users.size() > 1 ? "s " : " ")
                    + String.join(", ", users) + ") needs nftables, which is not installed (nft missing; Debian: apt-get install nftables)"));
            return;
        }
        Path rules = b.layout.loopbackRules();
        b.ensureDir(Category.NETWORK, rules.getParent(), FileOwner.root(), PlanBuilder.DIR_0755, null);
        byte[] content = LoopbackRules.render(table, users).getBytes(StandardCharsets.UTF_8);
        boolean fileChanges = !java.util.Arrays.equals(content, AtomicFile.read(rules).content());
        b.planFile(Category.NETWORK, rules, content, FileOwner.root(), PlanBuilder.FILE_0644, null);
        Path unit = b.layout.loopbackUnit();
        b.ensureDir(Category.NETWORK, unit.getParent(), FileOwner.root(), PlanBuilder.DIR_0755, null);
        b.planFile(Category.NETWORK, unit, LoopbackRules.unit(b.layout).getBytes(StandardCharsets.UTF_8), FileOwner.root(),
                PlanBuilder.FILE_0644, null);
        Path wants = b.layout.loopbackUnitWants();
        if (!unit.equals(readLink(wants))) {
            b.steps.add(new SymlinkStep(Change.of(Category.NETWORK, Files.exists(wants, LinkOption.NOFOLLOW_LINKS) ? Action.UPDATE : Action.CREATE,
                    wants.toString(), "enables " + unit.getFileName() + " at boot", null), wants, unit));
        }
        Optional<String> why = kernelDrift(table, users);
        if (fileChanges || why.isPresent()) {
            b.steps.add(new NftLoadStep(Change.of(Category.NETWORK, Action.UPDATE,
                    "nftables table inet " + table, why.orElse("the rules file changed") + "; load " + rules, null), rules, table));
        }
    }

    /** Why the kernel's table is not the one for {@code users}, or empty when it is. */
    private Optional<String> kernelDrift(String table, Set<String> users) {
        SystemTool.Result listed = SystemTool.run(List.of("nft", "list", "table", "inet", table));
        if (!listed.ok()) {
            return Optional.of("not in the kernel");
        }
        Set<Integer> uids = new TreeSet<>();
        for (String u : users) {
            Optional<PosixUser> p = b.known.user(u);
            if (p.isEmpty()) {
                return Optional.of("delegate " + u + " is not there yet");
            }
            uids.add(p.get().uid());
        }
        return LoopbackRules.matches(listed.stdout(), uids) ? Optional.empty() : Optional.of("differs from the rules file");
    }

    private void removeAll(boolean haveNft, String table) throws IOException {
        for (Path p : List.of(b.layout.loopbackRules(), b.layout.loopbackUnit())) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                b.steps.add(new DeleteStep(Change.of(Category.NETWORK, Action.REMOVE, p.toString(), "no delegation here has network loopback", null),
                        AtomicFile.read(p)));
            }
        }
        Path wants = b.layout.loopbackUnitWants();
        if (Files.isSymbolicLink(wants)) {
            b.steps.add(new SymlinkStep(Change.of(Category.NETWORK, Action.REMOVE, wants.toString(), "no delegation here has network loopback", null),
                    wants, null));
        }
        if (haveNft && SystemTool.run(List.of("nft", "list", "table", "inet", table)).ok()) {
            b.steps.add(new NftLoadStep(Change.of(Category.NETWORK, Action.REMOVE, "nftables table inet " + table,
                    "no delegation here has network loopback", null), null, table));
        }
    }

    private static Path readLink(Path link) {
        try {
            return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
