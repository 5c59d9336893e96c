package dev.delegator.plan;

import dev.delegator.accounts.PosixUser;
import dev.delegator.files.FileOwner;
import dev.delegator.keys.KeyFiles;
import dev.delegator.knownhosts.HostPatterns;
import dev.delegator.knownhosts.HostPort;
import dev.delegator.manifest.HostCertificates;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.manifest.DelegateHost;
import dev.delegator.manifest.Delegation;
import dev.delegator.systemtools.SystemToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Plans the caller side: key pairs and pinned known_hosts of the delegations whose caller runs here; key directories of others are removed. */
final class CallerPlanner {
    private final PlanBuilder b;

    CallerPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planCallerKeys(List<Delegation> callerSide) throws IOException {
        Set<Path> wanted = new HashSet<>();
        Set<String> auditLogs = new HashSet<>();
        if (!callerSide.isEmpty()) {
            b.ensureDir(Category.KEYS, b.layout.callersDir(), FileOwner.root(), PlanBuilder.DIR_0755, null);
        }
        for (Delegation d : callerSide) {
            String caller = d.caller().user();
            Optional<PosixUser> cu = b.known.user(caller);
            wanted.add(b.layout.callerDelegationDir(caller, d.name()));
            if (cu.isEmpty()) {
                b.blockers.add(new Blocker(Blocker.Kind.MISSING_PREREQUISITE, "delegation " + d.name() + ": caller user " + caller
                        + " does not exist on this host; create it first (it is the account your hook or CI job runs as)"));
                continue;
            }
            FileOwner owner = b.callerOwner(cu.get());
            // root-owned: the caller cannot swap its delegation directory for a link that would redirect root's writes
            b.ensureDir(Category.KEYS, b.layout.callerDir(caller), FileOwner.root(), PlanBuilder.DIR_0755, d.name());
            b.ensureDir(Category.KEYS, b.layout.callerDelegationDir(caller, d.name()), owner, PlanBuilder.DIR_0700, d.name());
            if (auditLogs.add(caller)) {
                planAuditLog(b.layout.callerAuditLog(caller), owner, d.name());
            }
            Path key = b.layout.callerKey(caller, d.name());
            Path pub = KeyFiles.publicKeyPath(key);
            FileStatus ks = FileStatus.of(key);
            if (ks.kind() == FileStatus.Kind.SYMLINK || FileStatus.of(pub).kind() == FileStatus.Kind.SYMLINK) {
                b.blockers.add(new Blocker(Blocker.Kind.REFUSED, key + " or its .pub is a symbolic link; remove it, delegator does not follow links"));
                continue;
            }
            if (!ks.exists()) {
                b.steps.add(new KeyPairStep(d.name(), key, owner));
                continue;
            }
            List<String> drift = ks.drift(owner, PlanBuilder.FILE_0600);
            if (!drift.isEmpty()) {
                b.steps.add(new OwnershipStep(Change.of(Category.KEYS, Action.UPDATE, "key " + key, String.join("; ", drift), d.name()), key, owner, PlanBuilder.FILE_0600));
            }
            Optional<String> pubProblem = publicKeyProblem(key, pub, owner);
            if (pubProblem.isPresent()) {
                b.steps.add(new DerivePublicKeyStep(d.name(), key, owner, pubProblem.get()));
            } else if (d.auth() == dev.delegator.manifest.Auth.CERTIFICATE) {
                b.notices.add("caller key of " + d.name() + " (certificate delegation): sign it on the CA host with 'delegator ca sign "
                        + d.name() + " " + pub + "' and put the certificate beside it as " + pub.getFileName().toString().replace(".pub", "-cert.pub"));
            } else if (d.hosts().stream().anyMatch(h -> !h.isLocalhost() && !b.t.host().is(h.host()))) {
                b.notices.add("caller key of " + d.name() + " (paste as callerPublicKey on its delegate hosts): " + PublicKeyLine.read(pub).toLine());
            }
        }
        for (Path callerDir : PlanBuilder.list(b.layout.callersDir())) {
            for (Path dir : PlanBuilder.list(callerDir)) {
                if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !wanted.contains(dir)) {
                    b.steps.add(new DeleteTreeStep(Change.of(Category.KEYS, Action.REMOVE, "key directory " + dir,
                            "delegation no longer has its caller " + callerDir.getFileName() + " on this host", dir.getFileName().toString()), dir));
                }
            }
        }
    }

    /** The caller's audit log: an existing caller-owned 0600 file, so runs can append to it. */
    private void planAuditLog(Path log, FileOwner owner, String delegation) throws IOException {
        FileStatus st = FileStatus.of(log);
        if (!st.exists()) {
            b.steps.add(new EmptyFileStep(Change.of(Category.KEYS, Action.CREATE, "audit log " + log, "missing", delegation),
                    log, owner, PlanBuilder.FILE_0600));
        } else if (st.kind() != FileStatus.Kind.FILE) {
            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, log + " should be a regular file but is a "
                    + st.kind().name().toLowerCase(java.util.Locale.ROOT) + "; remove it"));
        } else {
            List<String> drift = st.drift(owner, PlanBuilder.FILE_0600);
            if (!drift.isEmpty()) {
                b.steps.add(new OwnershipStep(Change.of(Category.KEYS, Action.UPDATE, "audit log " + log, String.join("; ", drift), delegation),
                        log, owner, PlanBuilder.FILE_0600));
            }
        }
    }

    private Optional<String> publicKeyProblem(Path key, Path pub, FileOwner owner) throws IOException {
        FileStatus ps = FileStatus.of(pub);
        if (!ps.exists()) {
            return Optional.of("missing, rewritten from the private key");
        }
        PublicKeyLine have;
        try {
            have = PublicKeyLine.read(pub);
        } catch (IOException e) {
            return Optional.of("unreadable (" + e.getMessage() + "), rewritten from the private key");
        }
        try {
            // the key the private file stores in its clear header, as OpenSSH reads it; decoding the
            // private half (MINA, BouncyCastle) only for files without one
            Optional<PublicKeyLine> stored = KeyFiles.storedPublicKey(key);
            PublicKeyLine real = stored.isPresent() ? stored.get() : PublicKeyLine.of(KeyFiles.loadPrivateKey(key).getPublic(), "");
            if (!real.base64().equals(have.base64())) {
                return Optional.of("does not match the private key, rewritten from it");
            }
        } catch (IOException e) {
            // an unreadable private key (e.g. mode drift, fixed by an earlier step) is judged after that step
        }
        List<String> drift = ps.drift(owner, KeyFiles.PUBLIC_MODE);
        return drift.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", drift));
    }


    /**
     * Each caller's known_hosts: pins of its delegation's hosts, and from the manifest's
     * {@code hostCertificates}, a {@code @cert-authority} line for each host CA that covers one of
     * them and a {@code @revoked *} line for each revoked key (the client checks certificates by them).
     */
    void planKnownHosts(List<Delegation> callerSide, Optional<HostCertificates> hostCertificates) throws IOException {
        List<String> localKeys = null;
        for (Delegation d : callerSide) {
            Optional<PosixUser> cu = b.known.user(d.caller().user());
            if (cu.isEmpty()) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            for (DelegateHost h : d.hosts()) {
                if (h.isLocalhost()) {
                    if (localKeys == null) {
                        localKeys = localHostKeys();
                    }
                    if (localKeys.isEmpty()) {
                        b.blockers.add(new Blocker(Blocker.Kind.SYSTEM, "no host key of this machine is readable (HostKey of "
                                + b.t.sshdPaths().config() + "): cannot pin localhost for " + d.name()));
                        return;
                    }
                    String names = String.join(",", new HostPort("localhost", h.port()).knownHostsPattern(),
                            new HostPort("127.0.0.1", h.port()).knownHostsPattern(), new HostPort("::1", h.port()).knownHostsPattern());
                    for (String k : localKeys) {
                        text.append(names).append(' ').append(k).append('\n');
                    }
                } else {
                    String name = new HostPort(h.host(), h.port()).knownHostsPattern();
                    if (h.hostKey().isPresent()) {
                        PublicKeyLine k = PublicKeyLine.parse(h.hostKey().get());
                        text.append(name).append(' ').append(k.keyText()).append('\n');
                    }
                    if (h.knownHosts().isPresent()) {
                        Path f = h.knownHosts().get();
                        if (!Files.isRegularFile(f)) {
                            b.blockers.add(new Blocker(Blocker.Kind.MISSING_PREREQUISITE, "delegation " + d.name() + ": knownHosts file " + f + " for "
                                    + h.display() + " does not exist"));
                            continue;
                        }
                        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                            String l = line.strip();
                            if (!l.isEmpty() && !l.startsWith("#")) {
                                text.append(l).append('\n');
                            }
                        }
                    }
                }
            }
            if (hostCertificates.isPresent()) {
                for (HostCertificates.Authority a : hostCertificates.get().authorities()) {
                    boolean covers = d.hosts().stream().anyMatch(h -> !h.isLocalhost()
                            && HostPatterns.knownHostsMatch(new HostPort(h.host(), h.port()), a.hosts()));
                    if (covers) {
                        text.append(a.knownHostsLine()).append('\n');
                    }
                }
                for (String k : hostCertificates.get().revoked()) {
                    text.append("@revoked * ").append(k).append('\n');
                }
            }
            Path p = b.layout.callerKnownHosts(d.caller().user(), d.name());
            b.planFile(Category.KNOWN_HOSTS, p, text.toString().getBytes(StandardCharsets.UTF_8), b.callerOwner(cu.get()), PlanBuilder.FILE_0600, d.name());
        }
    }

    /** This machine's host public keys ({@code type base64}), from sshd's HostKey entries. */
    private List<String> localHostKeys() {
        List<String> out = new ArrayList<>();
        try {
            for (Path pub : dev.delegator.sshdconfig.Sshd.hostPublicKeyFiles(b.sshdEffective())) {
                if (Files.isRegularFile(pub)) {
                    PublicKeyLine k = PublicKeyLine.read(pub);
                    out.add(k.keyText());
                }
            }
        } catch (IOException | SystemToolException e) {
            b.blockers.add(new Blocker(Blocker.Kind.SYSTEM, "cannot read this machine's host keys through sshd -T -f " + b.t.sshdPaths().config() + ": " + e.getMessage()));
        }
        return out;
    }
}
