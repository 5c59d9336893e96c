package dev.delegator.plan;

import dev.delegator.layout.Layout;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import dev.delegator.sshdconfig.DropIn;
import dev.delegator.systemtools.SystemTool;
import dev.delegator.systemtools.SystemToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code delegator verify}'s view from the delegate host itself (run as root there): what sshd
 * would read for the delegate is what apply writes, and nothing of it can be changed by the
 * delegate. It only reads: the planner (as {@code plan} does), {@code sshd -T -C}, file
 * attributes, and {@code test -w} run as the delegate through {@code setpriv} (which, unlike
 * su or runuser, logs nothing and starts no session).
 */
public final class HostView {
    /**
     * One finding.
     *
     * @param id a stable name for monitoring
     * @param held true when the host is as it must be
     * @param text what was checked and what was found
     */
    public record Finding(String id, boolean held, String text) {
        /** {@code ✓ text} or {@code ✗ text}. */
        public String line() {
            return (held ? "✓ " : "✗ ") + text;
        }
    }

    private final Target target;
    private final Plan plan;

    private HostView(Target target, Plan plan) {
        this.target = target;
        this.plan = plan;
    }

    /** Plans once (reading only) for every delegation {@link #check checked} after. */
    public static HostView of(Manifest manifest, Target target) throws IOException {
        return new HostView(target, Planner.plan(manifest, target));
    }

    /** True when {@code d}'s delegate lives on this host, so {@link #check} has something to see. */
    public boolean isDelegateHere(Delegation d) {
        return target.host().isDelegateHere(d);
    }

    /** Every finding for {@code d}, whose delegate lives here. */
    public List<Finding> check(Delegation d) throws IOException {
        Layout layout = target.layout();
        String user = d.delegate().user();
        Path authorized = layout.authorizedKeys(user);
        List<Finding> out = new ArrayList<>();
        out.add(line(d, authorized));
        out.add(rootOwned("authorized-keys-file", authorized, user));
        out.add(dropIn(user));
        out.add(ownAuthorization(d));
        out.add(dispatchConfig(d));
        return out;
    }

    /** The central line is the one apply would write now (the planner finds nothing to change for it). */
    private Finding line(Delegation d, Path file) {
        List<String> problems = new ArrayList<>();
        for (Change c : plan.changes()) {
            boolean mine = c.delegation().filter(d.name()::equals).isPresent() || c.subject().contains(file.toString());
            // owner and mode drift of the file is the next finding's, which says who could write it
            boolean modeOnly = c.subject().equals(file.toString()) && (c.reason().startsWith("owner ") || c.reason().startsWith("mode "));
            if (c.category() == Category.AUTHORIZED_KEYS && mine && !modeOnly) {
                problems.add(c.display());
            }
        }
        for (Blocker b : plan.blockers()) {
            if (b.message().contains(file.toString())) {
                problems.add(b.message());
            }
        }
        return problems.isEmpty()
                ? new Finding("authorized-keys-line", true, "the line for " + d.name() + " in " + file + " is the one apply writes")
                : new Finding("authorized-keys-line", false, "the line for " + d.name() + " in " + file
                        + " is not the one apply writes: " + String.join("; ", problems));
    }

    /** The file and every directory above it: root-owned, not group- or world-writable, not writable by the delegate. */
    private Finding rootOwned(String id, Path file, String delegate) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            problems.add(file + " is missing");
        }
        for (Path p = file; p != null; p = p.getParent()) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                problems.add(p + " is a symbolic link");
                continue;
            }
            if (!a.owner().getName().equals("root")) {
                problems.add(p + " is owned by " + a.owner().getName());
            }
            Set<PosixFilePermission> m = a.permissions();
            if (m.contains(PosixFilePermission.GROUP_WRITE) || m.contains(PosixFilePermission.OTHERS_WRITE)) {
                problems.add(p + " is mode " + FileStatus.octal(m) + " (" + (m.contains(PosixFilePermission.OTHERS_WRITE)
                        ? "world" : "group " + a.group().getName()) + "-writable)");
            }
        }
        problems.addAll(writableBy(delegate, file));
        return problems.isEmpty()
                ? new Finding(id, true, file + " and its directories are root-owned and not writable by " + delegate)
                : new Finding(id, false, file + " can be changed by others than root: " + String.join("; ", problems));
    }

    /** sshd -T -C for the delegate shows every setting of the drop-in. */
    private Finding dropIn(String user) {
        String asked = "sshd -T -C user=" + user + ",host=localhost,addr=127.0.0.1";
        try {
            Optional<String> problem = DropInStep.effectProblem(target.sshd(), target.layout(), List.of(user));
            if (problem.isPresent()) {
                return new Finding("drop-in", false, problem.get());
            }
        } catch (SystemToolException e) {
            return new Finding("drop-in", false, asked + " failed: " + e.getMessage());
        }
        StringBuilder shown = new StringBuilder();
        for (Map.Entry<String, String> e : DropIn.expectedEffect(target.layout()).entrySet()) {
            shown.append(shown.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        }
        return new Finding("drop-in", true, "the drop-in is in effect for " + user + " (" + asked + ": " + shown + ")");
    }

    /** Nothing sshd reads the delegate's keys from (sshd -T -C authorizedkeysfile) can be written by the delegate. */
    private Finding ownAuthorization(Delegation d) {
        String user = d.delegate().user();
        List<String> files;
        try {
            files = target.sshd().effectiveFor(user, "localhost", "127.0.0.1").getOrDefault("authorizedkeysfile", List.of());
        } catch (SystemToolException e) {
            return new Finding("own-authorization", false, "sshd -T -C user=" + user + " failed: " + e.getMessage());
        }
        Set<Path> paths = new LinkedHashSet<>();
        for (String value : files) {
            for (String pattern : value.trim().split("\\s+")) {
                if (!pattern.isEmpty() && !pattern.equals("none")) {
                    paths.add(expand(pattern, user, d.delegate().home()));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (Path p : paths) {
            problems.addAll(writableBy(user, p));
        }
        String list = String.join(", ", paths.stream().map(Path::toString).toList());
        return problems.isEmpty()
                ? new Finding("own-authorization", true, user + " cannot write what authorizes its keys (sshd reads " + list + ")")
                : new Finding("own-authorization", false, user + " can change what authorizes its keys: " + String.join("; ", problems));
    }

    /** The dispatcher config is the one apply writes, root-owned, and the delegate cannot change it. */
    private Finding dispatchConfig(Delegation d) throws IOException {
        Path conf = target.layout().dispatchConf(d.name());
        List<String> problems = new ArrayList<>();
        for (Change c : plan.changes()) {
            if (c.category() == Category.DISPATCH && c.delegation().filter(d.name()::equals).isPresent()) {
                problems.add(c.display());
            }
        }
        Finding owned = rootOwned("dispatch-config", conf, d.delegate().user());
        if (!owned.held()) {
            problems.add(owned.text());
        }
        return problems.isEmpty()
                ? new Finding("dispatch-config", true, "the dispatcher config " + conf + " is the one apply writes, root-owned, "
                        + "not writable by " + d.delegate().user())
                : new Finding("dispatch-config", false, "the dispatcher config " + conf + ": " + String.join("; ", problems));
    }

    /**
     * The path, or the nearest directory above it that exists, and every directory above that,
     * that the delegate can write: {@code test -w} as the delegate, so ACLs and group
     * memberships count as sshd and the kernel see them, not as the mode bits suggest.
     */
    private List<String> writableBy(String user, Path path) {
        List<String> out = new ArrayList<>();
        Optional<dev.delegator.accounts.PosixUser> account = target.accounts().user(user);
        if (account.isEmpty()) {
            out.add("no account " + user + " on this host");
            return out;
        }
        String uid = Integer.toString(account.get().uid());
        String gid = Integer.toString(account.get().gid());
        for (Path p = path; p != null; p = p.getParent()) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            SystemTool.Result r = SystemTool.run(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups",
                    "test", "-w", p.toString()));
            if (r.status() == 0) {
                out.add(user + " can write " + p + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !p.equals(path)
                        ? " (and so replace " + path + ")" : ""));
            } else if (r.status() != 1) {
                out.add("cannot tell whether " + user + " can write " + p + ": " + r.firstErrorLine());
            }
        }
        return out;
    }

    /** An AuthorizedKeysFile pattern as sshd expands it (%% %u %h; relative to the home). */
    static Path expand(String pattern, String user, Path home) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '%' && i + 1 < pattern.length()) {
                char t = pattern.charAt(++i);
                b.append(t == 'u' ? user : t == 'h' ? home.toString() : t == '%' ? "%" : "%" + t);
            } else {
                b.append(c);
            }
        }
        Path p = Path.of(b.toString());
        return p.isAbsolute() ? p : home.resolve(p);
    }
}
