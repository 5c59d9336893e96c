package dev.delegator.plan;

import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.sshdconfig.DropIn;
import dev.delegator.sshdconfig.Sshd;
import dev.delegator.systemtools.SystemToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts the sshd drop-in in place the careful way: write it (atomically), have {@code sshd -t}
 * validate the whole config with it, check with {@code sshd -T -C user=<delegate>,...} that it
 * is in effect for the delegates, and only then reload a running sshd. If validation or the
 * effect check fails, the previous drop-in (or none) is restored and apply stops.
 */
record DropInStep(List<Change> changes, Path path, String content, boolean certificates, List<String> delegates, FileSnapshot expected,
        List<Path> hostCertificates) implements Step {
    /** A drop-in that serves no host certificate. */
    DropInStep(List<Change> changes, Path path, String content, boolean certificates, List<String> delegates, FileSnapshot expected) {
        this(changes, path, content, certificates, delegates, expected, List.of());
    }

    /** The drop-in of a manifest without certificate delegations. */
    DropInStep(List<Change> changes, Path path, String content, List<String> delegates, FileSnapshot expected) {
        this(changes, path, content, false, delegates, expected);
    }

    DropInStep {
        changes = List.copyOf(changes);
        delegates = List.copyOf(delegates);
        hostCertificates = List.copyOf(hostCertificates);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        Sshd sshd = ex.target().sshd();
        if (!Files.isDirectory(path.getParent())) {
            Files.createDirectories(path.getParent(), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(FileStatus.perms(0755)));
        }
        AtomicFile.replace(path, content.getBytes(StandardCharsets.UTF_8), Optional.of(FileOwner.root()), FileStatus.perms(0644), expected, ex.fileLockWait());
        Optional<String> invalid = sshd.validate();
        if (invalid.isPresent()) {
            restore(ex);
            throw new SystemToolException("sshd -t -f " + sshd.paths().config() + " refuses the config with the delegator drop-in: "
                    + invalid.get() + "; the previous drop-in was restored");
        }
        Optional<String> notInEffect = effectProblem(sshd, ex.target().layout(), certificates, delegates)
                .or(() -> hostCertificateProblem(sshd, hostCertificates));
        if (notInEffect.isPresent()) {
            restore(ex);
            throw new SystemToolException(notInEffect.get() + "; the previous drop-in was restored");
        }
        if (ex.reload()) {
            sshd.reloadIfRunning().ifPresent(pid -> ex.note("sshd (pid " + pid + ") reloaded"));
        }
    }

    private void restore(Execution ex) throws IOException {
        FileSnapshot now = AtomicFile.read(path);
        if (expected.exists()) {
            AtomicFile.replace(path, expected.content(), Optional.of(FileOwner.root()), FileStatus.perms(0644), now, ex.fileLockWait());
        } else {
            AtomicFile.delete(path, now);
        }
    }

    /** As {@link #effectProblem(Sshd, dev.delegator.layout.Layout, boolean, List)} for a drop-in without certificate trust. */
    static Optional<String> effectProblem(Sshd sshd, dev.delegator.layout.Layout layout, List<String> delegates) {
        return effectProblem(sshd, layout, false, delegates);
    }

    /**
     * Empty when sshd's global effective config ({@code sshd -T}) names every host certificate the
     * drop-in serves; else which one it lacks (a main config with a Match block before its Include
     * would put the drop-in's HostCertificate inside that block, where sshd refuses it).
     */
    static Optional<String> hostCertificateProblem(Sshd sshd, List<Path> served) {
        if (served.isEmpty()) {
            return Optional.empty();
        }
        List<String> got = sshd.effective().getOrDefault("hostcertificate", List.of());
        for (Path p : served) {
            if (!got.contains(p.toString())) {
                return Optional.of("the drop-in's HostCertificate " + p + " is not in effect: sshd -T shows hostcertificate "
                        + (got.isEmpty() ? "(nothing)" : String.join(",", got)) + " (does " + sshd.paths().config()
                        + " Include " + sshd.paths().dropIn().getParent() + "/*.conf before any Match block?)");
            }
        }
        return Optional.empty();
    }

    /** Empty when {@code sshd -T -C} shows the drop-in's settings for every existing delegate, else what differs. */
    static Optional<String> effectProblem(Sshd sshd, dev.delegator.layout.Layout layout, boolean certificates, List<String> delegates) {
        Map<String, String> want = DropIn.expectedEffect(layout, certificates);
        for (String user : delegates) {
            Map<String, List<String>> got = sshd.effectiveFor(user, "localhost", "127.0.0.1");
            for (Map.Entry<String, String> e : want.entrySet()) {
                List<String> values = got.getOrDefault(e.getKey(), List.of());
                // exactly this value: an AcceptEnv list that still holds another pattern lets that environment in
                if (!values.equals(List.of(e.getValue()))) {
                    return Optional.of("the drop-in is not in effect: sshd -T -C user=" + user + " shows " + e.getKey() + " "
                            + (values.isEmpty() ? "(nothing)" : String.join(",", values)) + ", want " + e.getValue()
                            + " (does " + sshd.paths().config() + " Include " + sshd.paths().dropIn().getParent() + "/*.conf before any Match block?)");
                }
            }
        }
        return Optional.empty();
    }
}
