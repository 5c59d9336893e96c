package dev.delegator.hooks;

import dev.delegator.client.RunRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Turns a git {@code post-receive} hook's stdin ({@code <old> <new> <ref>} per updated ref) into
 * deploy requests {@code VERB <new> <ref>} for the refs selected; deletions (new = all zeros) are
 * skipped.
 */
public final class GitHook {
    private GitHook() {}

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    /**
     * @param stdin the hook's stdin
     * @param verb the deploy verb
     * @param refs full ref names to act on ("refs/heads/main"); see {@link #fullRefs}
     */
    public static List<RunRequest> requests(BufferedReader stdin, String verb, Set<String> refs)
            throws IOException, HookInputException {
        List<RunRequest> out = new ArrayList<>();
        int lineNo = 0;
        for (String line; (line = stdin.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            if (f.length != 3 || !SHA.matcher(f[0]).matches() || !SHA.matcher(f[1]).matches() || f[2].isEmpty()) {
                throw new HookInputException("post-receive stdin line " + lineNo + " (" + line
                        + ") is not '<old-sha> <new-sha> <ref>'");
            }
            if (f[1].chars().allMatch(c -> c == '0') || !refs.contains(f[2])) {
                continue;
            }
            out.add(RunRequest.of(verb, f[1], f[2]));
        }
        return out;
    }

    /** "main" becomes "refs/heads/main"; names starting with "refs/" stay. */
    public static Set<String> fullRefs(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            out.add(n.startsWith("refs/") ? n : "refs/heads/" + n);
        }
        return out;
    }

    /** The repository's default branch: what HEAD points to ("refs/heads/main"). */
    public static String defaultBranch(Path gitDir) throws HookInputException {
        try {
            ProcessBuilder pb = new ProcessBuilder("git", "--git-dir", gitDir.toString(), "symbolic-ref", "-q", "HEAD");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            p.getOutputStream().close();
            String ref = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !ref.startsWith("refs/")) {
                throw new HookInputException("cannot tell the default branch of " + gitDir
                        + " (HEAD is not a symbolic ref); choose refs with --ref");
            }
            return ref;
        } catch (IOException e) {
            throw new HookInputException("cannot run git to find the default branch: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HookInputException("interrupted while finding the default branch");
        }
    }
}
