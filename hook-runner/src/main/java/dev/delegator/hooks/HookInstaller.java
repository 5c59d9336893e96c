package dev.delegator.hooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Installs {@code delegator hook hg|git NAME} into a repository, idempotently, keeping every hook
 * that is already there.
 *
 * <ul>
 * <li>Mercurial: {@code changegroup.delegator-NAME = 'LAUNCHER' hook hg 'NAME'} in the {@code [hooks]}
 *     section of {@code .hg/hgrc} (the section is created if missing; other lines are kept byte for byte).
 * <li>git: a marked block in {@code hooks/post-receive} (bare) or {@code .git/hooks/post-receive}.
 *     post-receive gets the pushed refs on stdin once, and both delegator and the hook's existing
 *     commands need them: the block saves stdin to a temporary file, runs delegator on it, then
 *     re-opens it as stdin for the rest of the script. It goes right after the {@code #!} line, so it
 *     runs before anything that could consume stdin or exit. A new hook is {@code #!/bin/sh}; an
 *     existing one must be a POSIX-shell script (else: refused, with the lines to add by hand).
 * </ul>
 * Files are replaced atomically (temp file + rename) and keep their owner and mode; a new file gets
 * the owner of its directory (the repository's owner, when root installs for the hg or git user).
 */
public final class HookInstaller {
    private HookInstaller() {}

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern SHELL = Pattern.compile("#!\\s*(/usr)?/bin/(env\\s+)?(sh|bash|dash|ksh|zsh)\\b.*");

    /** What install did. */
    public enum Change { ADDED, UPDATED, UNCHANGED }

    /** Adds the changegroup hook to {@code repo/.hg/hgrc}. */
    public static Change installHg(Path repo, String delegation, Path launcher, List<String> extraArgs) throws IOException {
        check(delegation, launcher);
        Path hgDir = repo.resolve(".hg");
        if (!Files.isDirectory(hgDir)) {
            throw new IOException(repo + " is not a Mercurial repository (no .hg directory)");
        }
        Path hgrc = hgDir.resolve("hgrc");
        String key = "changegroup.delegator-" + delegation;
        String entry = key + " = " + command(launcher, "hg", delegation, extraArgs);
        String text = Files.exists(hgrc) ? Files.readString(hgrc, StandardCharsets.UTF_8) : "";
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!text.isEmpty() && text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        int hooks = -1;
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                section = t.substring(1, t.length() - 1).trim();
                if (section.equals("hooks") && hooks < 0) {
                    hooks = i;
                }
                continue;
            }
            if (section.equals("hooks") && t.contains("=") && t.substring(0, t.indexOf('=')).trim().equals(key)) {
                if (lines.get(i).equals(entry)) {
                    return Change.UNCHANGED;
                }
                lines.set(i, entry);
                write(hgrc, String.join("\n", lines) + "\n", hgDir, false);
                return Change.UPDATED;
            }
        }
        if (hooks < 0) {
            if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
                lines.add("");
            }
            lines.add("[hooks]");
            lines.add("# run the delegation " + delegation + " as its delegate user after each push (delegator hook install)");
            lines.add(entry);
        } else {
            lines.add(hooks + 1, entry);
        }
        write(hgrc, String.join("\n", lines) + "\n", hgDir, false);
        return Change.ADDED;
    }

    /** Adds the delegator block to the repository's post-receive hook. */
    public static Change installGit(Path repo, String delegation, Path launcher, List<String> extraArgs) throws IOException {
        check(delegation, launcher);
        Path gitDir = Files.isDirectory(repo.resolve(".git")) ? repo.resolve(".git") : repo;
        if (!Files.isRegularFile(gitDir.resolve("HEAD")) || !Files.isDirectory(gitDir.resolve("objects"))) {
            throw new IOException(repo + " is not a git repository (no HEAD and objects)");
        }
        Path hooksDir = gitDir.resolve("hooks");
        if (!Files.isDirectory(hooksDir)) {
            Files.createDirectory(hooksDir);
            copyOwner(gitDir, hooksDir);
        }
        Path hook = hooksDir.resolve("post-receive");
        List<String> block = gitBlock(delegation, launcher, extraArgs);
        if (!Files.exists(hook)) {
            List<String> lines = new ArrayList<>();
            lines.add("#!/bin/sh");
            lines.add("# post-receive written by delegator hook install; further hooks may be added below the blocks");
            lines.addAll(block);
            lines.add("exit \"$delegator_status\"");
            write(hook, String.join("\n", lines) + "\n", hooksDir, true);
            return Change.ADDED;
        }
        String text = Files.readString(hook, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        int begin = lines.indexOf(block.get(0));
        int end = lines.indexOf(block.get(block.size() - 1));
        if (begin >= 0 && end > begin) {
            if (lines.subList(begin, end + 1).equals(block)) {
                return Change.UNCHANGED;
            }
            List<String> updated = new ArrayList<>(lines.subList(0, begin));
            updated.addAll(block);
            updated.addAll(lines.subList(end + 1, lines.size()));
            write(hook, String.join("\n", updated) + "\n", hooksDir, true);
            return Change.UPDATED;
        }
        if (lines.isEmpty() || !SHELL.matcher(lines.get(0)).matches()) {
            throw new IOException(hook + " exists and is not a POSIX shell script (#!/bin/sh); add these lines to it "
                    + "yourself, before anything reads stdin:\n" + String.join("\n", block));
        }
        List<String> updated = new ArrayList<>();
        updated.add(lines.get(0));
        updated.addAll(block);
        updated.addAll(lines.subList(1, lines.size()));
        write(hook, String.join("\n", updated) + "\n", hooksDir, true);
        return Change.UPDATED;
    }

    /** The marked block for one delegation. */
    static List<String> gitBlock(String delegation, Path launcher, List<String> extraArgs) {
        return List.of(
                "# >>> delegator " + delegation + " >>>",
                "# pushed refs arrive on stdin once: keep a copy for delegator and for the rest of this hook",
                "delegator_refs=$(mktemp \"${TMPDIR:-/tmp}/delegator-refs.XXXXXX\") || exit 1",
                "cat >\"$delegator_refs\"",
                command(launcher, "git", delegation, extraArgs) + " <\"$delegator_refs\"",
                "delegator_status=$?",
                "exec <\"$delegator_refs\"",
                "rm -f \"$delegator_refs\"",
                "# <<< delegator " + delegation + " <<<");
    }

    /** {@code LAUNCHER hook KIND NAME [EXTRA...]}, each word shell-quoted where needed. */
    static String command(Path launcher, String kind, String delegation, List<String> extraArgs) {
        StringBuilder b = new StringBuilder(quote(launcher.toString())).append(" hook ").append(kind).append(' ')
                .append(quote(delegation));
        for (String a : extraArgs) {
            if (a.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("hook argument (" + a + ") contains a control character");
            }
            b.append(' ').append(quote(a));
        }
        return b.toString();
    }

    private static void check(String delegation, Path launcher) {
        if (delegation == null || !NAME.matcher(delegation).matches()) {
            throw new IllegalArgumentException("delegation name (" + delegation + ") must match [a-z0-9][a-z0-9._-]*");
        }
        if (!launcher.isAbsolute()) {
            throw new IllegalArgumentException("delegator path (" + launcher + ") must be absolute: hooks run "
                    + "in the repository with another working directory and PATH");
        }
        if (launcher.toString().chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("delegator path (" + launcher + ") contains a control character");
        }
    }

    /** POSIX shell single quotes, only when needed. */
    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./@%+=:,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void write(Path target, String content, Path dir, boolean executable) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (Files.exists(target)) {
                PosixFileAttributes a = Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> perms = a.permissions();
                if (executable) {
                    perms.add(PosixFilePermission.OWNER_EXECUTE);
                }
                view.setPermissions(perms);
                setOwner(view, a.owner(), a.group());
            } else {
                view.setPermissions(PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                PosixFileAttributes d = Files.readAttributes(dir, PosixFileAttributes.class);
                setOwner(view, d.owner(), d.group());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void copyOwner(Path from, Path to) throws IOException {
        PosixFileAttributes a = Files.readAttributes(from, PosixFileAttributes.class);
        setOwner(Files.getFileAttributeView(to, PosixFileAttributeView.class), a.owner(), a.group());
    }

    private static void setOwner(PosixFileAttributeView view, UserPrincipal owner,
            java.nio.file.attribute.GroupPrincipal group) throws IOException {
        try {
            view.setOwner(owner);
            view.setGroup(group);
        } catch (java.nio.file.FileSystemException e) {
            // not root: the file stays ours, which is the repository owner's when they run install
        }
    }
}
