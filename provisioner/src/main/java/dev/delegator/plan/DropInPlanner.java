package dev.delegator.plan;

import dev.delegator.accounts.PosixUser;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.HostCertificates;
import dev.delegator.sshdconfig.ClientEnvironment;
import dev.delegator.sshdconfig.DropIn;
import dev.delegator.systemtools.SystemToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Plans the sshd drop-in: written when it differs, else checked to be in effect. */
final class DropInPlanner {
    private final PlanBuilder b;

    DropInPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planDropIn(List<Delegation> delegateSide, Optional<HostCertificates> hostCertificates) throws IOException {
        Path p = b.t.sshdPaths().dropIn();
        boolean certificates = !CertificatePlanner.certificateDelegations(delegateSide).isEmpty();
        List<Path> servedPaths = hostCertificates.map(HostCertificates::serve).orElse(List.of());
        List<DropIn.ServedCertificate> served = new ArrayList<>();
        if (!servedPaths.isEmpty()) {
            List<PublicKeyLine> hostKeys = hostKeys();
            for (Path cert : servedPaths) {
                try {
                    served.add(ServedHostCertificate.judge(cert, hostKeys, Instant.now()));
                } catch (ServedHostCertificate.Unfit e) {
                    b.blockers.add(new Blocker(Blocker.Kind.MISSING_PREREQUISITE, "hostCertificates.serve: " + e.getMessage()));
                }
            }
        }
        String content = DropIn.render(b.layout, certificates, served);
        FileSnapshot snap = AtomicFile.read(p);
        FileStatus st = FileStatus.of(p);
        List<String> existingDelegates = new ArrayList<>();
        for (Delegation d : delegateSide) {
            b.known.user(d.delegate().user()).filter(PosixUser::ownedByDelegator).ifPresent(u -> existingDelegates.add(u.name()));
        }
        // Match Group treats every member alike: checking one delegate shows whether the drop-in is in effect
        List<String> allDelegates = List.of(delegateSide.get(0).delegate().user());
        List<Change> changes = new ArrayList<>();
        if (!snap.exists()) {
            changes.add(Change.of(Category.SSHD, Action.CREATE, p.toString(), "missing; validated with sshd -t before it stays", null));
        } else if (!snap.text().equals(content)) {
            String why = withoutComments(snap.text()).equals(withoutComments(content)) ? "a served host certificate was renewed"
                    : "differs from what delegator writes (edited by hand?)";
            changes.add(Change.of(Category.SSHD, Action.UPDATE, p.toString(), why, null));
        } else {
            List<String> drift = st.drift(FileOwner.root(), PlanBuilder.FILE_0644);
            if (!drift.isEmpty()) {
                changes.add(Change.of(Category.SSHD, Action.UPDATE, p.toString(), String.join("; ", drift), null));
            } else if (!existingDelegates.isEmpty()) {
                try {
                    // Match Group treats every member alike: one delegate shows whether the drop-in is in effect
                    Optional<String> problem = DropInStep.effectProblem(b.t.sshd(), b.layout, certificates, existingDelegates.subList(0, 1));
                    problem.ifPresent(s -> b.blockers.add(new Blocker(Blocker.Kind.SYSTEM, s)));
                } catch (SystemToolException e) {
                    b.blockers.add(new Blocker(Blocker.Kind.SYSTEM, e.getMessage()));
                }
            }
        }
        try {
            // global only (sshd refuses it in a Match block): no drop-in can make such a host safe
            ClientEnvironment.userEnvironmentProblem(b.sshdEffective())
                    .ifPresent(s -> b.blockers.add(new Blocker(Blocker.Kind.REFUSED, b.t.sshdPaths().config() + ": " + s)));
        } catch (SystemToolException e) {
            b.blockers.add(new Blocker(Blocker.Kind.SYSTEM, e.getMessage()));
        }
        if (!changes.isEmpty() && !b.t.sshd().includesDropIn()) {
            b.blockers.add(new Blocker(Blocker.Kind.SYSTEM, b.t.sshdPaths().config() + " does not Include " + p.getParent()
                    + "/*.conf, so the delegator drop-in would have no effect; add 'Include " + p.getParent() + "/*.conf' at its top"));
        }
        if (!changes.isEmpty()) {
            for (DropIn.ServedCertificate c : served) {
                changes.add(Change.of(Category.SSHD, snap.exists() && snap.text().contains("HostCertificate " + c.path() + "\n")
                        ? Action.UPDATE : Action.CREATE, "HostCertificate " + c.path(), c.description() + "; global, before the Match block", null));
            }
            b.steps.add(new DropInStep(changes, p, content, certificates, allDelegates, snap, servedPaths));
        }
    }

    private static String withoutComments(String text) {
        return text.lines().filter(l -> !l.startsWith("#")).reduce("", (a, l) -> a + l + "\n");
    }

    /** This host's public host keys, from sshd's HostKey entries. */
    private List<PublicKeyLine> hostKeys() {
        List<PublicKeyLine> out = new ArrayList<>();
        try {
            for (Path pub : b.t.sshd().hostPublicKeyFiles()) {
                if (Files.isRegularFile(pub)) {
                    out.add(PublicKeyLine.read(pub));
                }
            }
        } catch (IOException | SystemToolException e) {
            b.blockers.add(new Blocker(Blocker.Kind.SYSTEM, "cannot read this machine's host keys through sshd -T -f "
                    + b.t.sshdPaths().config() + ": " + e.getMessage()));
        }
        return out;
    }
}
