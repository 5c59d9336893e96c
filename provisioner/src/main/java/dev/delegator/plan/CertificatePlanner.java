package dev.delegator.plan;

import dev.delegator.authorizedkeys.DelegationLine;
import dev.delegator.authorizedkeys.PrincipalsLine;
import dev.delegator.authorizedkeys.UnsafeLineException;
import dev.delegator.certificates.Principal;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.manifest.Auth;
import dev.delegator.manifest.CaTrust;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Plans what a delegate host needs for {@code auth: certificate} delegations, before the drop-in
 * that names it: the trusted CA keys ({@code TrustedUserCAKeys}), the KRL ({@code RevokedKeys},
 * installed before the drop-in refers to it, since sshd refuses every key when it is unreadable)
 * and one AuthorizedPrincipalsFile per delegate whose line repeats the restriction. Principals
 * files of delegates that no longer have a certificate delegation here are removed.
 */
final class CertificatePlanner {
    static final String HEADER = "# written by delegator apply; do not edit (see the manifest)\n";

    private final PlanBuilder b;

    CertificatePlanner(PlanBuilder b) {
        this.b = b;
    }

    /** The certificate delegations among {@code delegateSide}. */
    static List<Delegation> certificateDelegations(List<Delegation> delegateSide) {
        return delegateSide.stream().filter(d -> d.auth() == Auth.CERTIFICATE).toList();
    }

    void plan(Manifest m, List<Delegation> delegateSide) throws IOException {
        List<Delegation> certs = certificateDelegations(delegateSide);
        Set<Path> wanted = new HashSet<>();
        if (!certs.isEmpty()) {
            CaTrust ca = m.ca().orElseThrow(() -> new IllegalStateException("the loader lets no certificate delegation in without ca:"));
            b.ensureDir(Category.CERTIFICATES, b.layout.etcDir(), FileOwner.root(), PlanBuilder.DIR_0755, null);
            b.ensureDir(Category.CERTIFICATES, b.layout.trustDir(), FileOwner.root(), PlanBuilder.DIR_0755, null);
            b.ensureDir(Category.CERTIFICATES, b.layout.principalsDir(), FileOwner.root(), PlanBuilder.DIR_0755, null);
            b.planFile(Category.CERTIFICATES, b.layout.trustedUserCaKeys(), (String.join("\n", ca.keys()) + "\n").getBytes(StandardCharsets.UTF_8),
                    FileOwner.root(), PlanBuilder.FILE_0644, null);
            planKrl(ca.krl());
            DelegationState state = DelegationState.read(b.layout.stateFile());
            Instant now = b.t.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            for (Delegation d : certs) {
                Instant since = state.since(d.name()).orElse(now);
                PrincipalsLine line;
                try {
                    line = principalsLine(d, d.expires().map(e -> e.resolve(since)));
                } catch (UnsafeLineException e) {
                    b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": " + e.getMessage()));
                    continue;
                }
                Path p = b.layout.principals(d.delegate().user());
                wanted.add(p);
                b.planFile(Category.CERTIFICATES, p, (HEADER + line.render() + "\n").getBytes(StandardCharsets.UTF_8), FileOwner.root(),
                        PlanBuilder.FILE_0644, d.name());
            }
        }
        for (Path p : PlanBuilder.list(b.layout.principalsDir())) {
            String n = p.getFileName().toString();
            if (!n.startsWith(".") && !wanted.contains(p) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                b.steps.add(new DeleteStep(Change.of(Category.CERTIFICATES, Action.REMOVE, p.toString(),
                        "no certificate delegation for " + n + " on this host", null), AtomicFile.read(p)));
            }
        }
    }

    /** {@code restrict,from="…",[expiry-time="…",]command="<dispatcher> NAME" delegator:NAME}, the same restriction a key line has. */
    PrincipalsLine principalsLine(Delegation d, Optional<Instant> expiry) {
        DelegationLine.Builder line = DelegationLine.builder()
                .command(b.layout.forcedCommand(d.name()))
                .from(d.from())
                .allowHostNamesInFrom(d.allowHostNames());
        expiry.ifPresent(line::expiry);
        return line.buildPrincipalsLine(Principal.ofDelegation(d.name()));
    }

    private void planKrl(Optional<Path> source) throws IOException {
        Path target = b.layout.revokedKeys();
        FileStatus st = FileStatus.of(target);
        if (st.kind() == FileStatus.Kind.SYMLINK || st.kind() == FileStatus.Kind.DIRECTORY || st.kind() == FileStatus.Kind.OTHER) {
            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, target + " is not a regular file; remove it"));
            return;
        }
        FileSnapshot snap = AtomicFile.read(target);
        Optional<Path> existingSource = source.filter(p -> Files.isRegularFile(p));
        if (existingSource.isPresent()) {
            byte[] content = Files.readAllBytes(existingSource.get());
            Optional<String> bad = KrlStep.problem(existingSource.get());
            if (bad.isPresent()) {
                b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "ca.krl " + existingSource.get() + " is not a KRL sshd can read (" + bad.get()
                        + "); the installed " + target + " is kept"));
                return;
            }
            if (!snap.exists() || !Arrays.equals(snap.content(), content)) {
                b.steps.add(new KrlStep(Change.of(Category.CERTIFICATES, snap.exists() ? Action.UPDATE : Action.CREATE, target.toString(),
                        "install the KRL " + existingSource.get(), null), target, existingSource, snap));
                return;
            }
        } else if (!snap.exists() || KrlStep.problem(target).isPresent() || !KrlStep.isEmpty(target)) {
            String why = source.map(p -> p + " does not exist yet: an empty KRL").orElse("no ca.krl in the manifest: an empty KRL");
            b.steps.add(new KrlStep(Change.of(Category.CERTIFICATES, snap.exists() ? Action.UPDATE : Action.CREATE, target.toString(), why, null),
                    target, Optional.empty(), snap));
            return;
        }
        List<String> drift = st.drift(FileOwner.root(), PlanBuilder.FILE_0644);
        if (!drift.isEmpty()) {
            b.steps.add(new OwnershipStep(Change.of(Category.CERTIFICATES, Action.UPDATE, target.toString(), String.join("; ", drift), null),
                    target, FileOwner.root(), PlanBuilder.FILE_0644));
        }
    }
}
