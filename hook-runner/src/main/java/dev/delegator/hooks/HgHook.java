package dev.delegator.hooks;

import dev.delegator.client.RunRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Turns a Mercurial {@code changegroup} or {@code incoming} hook's environment into deploy
 * requests. hg sets HG_NODE (the first new changeset; for {@code incoming}, the one changeset),
 * HG_NODE_LAST (the last one of a changegroup, hg 4.3+), HG_SOURCE (push, serve, pull, unbundle…)
 * and HG_URL (where the changesets came from).
 */
public final class HgHook {
    private HgHook() {}

    private static final Pattern NODE = Pattern.compile("[0-9a-f]{40}");

    /** Which changesets to deploy. */
    public enum Changesets {
        /** Only the newest one (HG_NODE_LAST, or HG_NODE when that is all there is). The default. */
        TIP,
        /** Each new changeset in order, stopping at the first failure. */
        EACH
    }

    /**
     * The requests to send: {@code VERB NODE} for each selected changeset.
     *
     * @param env the hook's environment
     * @param verb the delegation's deploy verb (default "deploy")
     * @param which tip only or each changeset
     * @param sources HG_SOURCE values to act on; empty = all
     * @param repo the repository (the hook's working directory), to list changesets for {@link Changesets#EACH}
     * @return the requests in order; empty when HG_SOURCE is not one of {@code sources}
     */
    public static List<RunRequest> requests(Map<String, String> env, String verb, Changesets which, Set<String> sources,
            Path repo) throws HookInputException {
        String first = env.get("HG_NODE");
        if (first == null || first.isEmpty()) {
            throw new HookInputException("HG_NODE is not set: run 'delegator hook hg' as a changegroup or incoming hook");
        }
        node("HG_NODE", first);
        String last = env.getOrDefault("HG_NODE_LAST", "");
        if (!last.isEmpty()) {
            node("HG_NODE_LAST", last);
        }
        String source = env.getOrDefault("HG_SOURCE", "");
        if (!sources.isEmpty() && !sources.contains(source)) {
            return List.of();
        }
        if (which == Changesets.TIP || last.isEmpty() || last.equals(first)) {
            return List.of(RunRequest.of(verb, last.isEmpty() ? first : last));
        }
        List<RunRequest> out = new ArrayList<>();
        for (String n : changesetsBetween(repo, first, last)) {
            out.add(RunRequest.of(verb, n));
        }
        return out;
    }

    private static void node(String name, String value) throws HookInputException {
        if (!NODE.matcher(value).matches()) {
            throw new HookInputException(name + " (" + value + ") is not a 40-character hexadecimal changeset id");
        }
    }

    /** The nodes from first to last (revision order), with hg log; HGPLAIN keeps user config out. */
    static List<String> changesetsBetween(Path repo, String first, String last) throws HookInputException {
        try {
            ProcessBuilder pb = new ProcessBuilder("hg", "--repository", repo.toString(), "log", "-r", first + ":" + last,
                    "--template", "{node}\\n");
            pb.environment().put("HGPLAIN", "1");
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new HookInputException("hg log -r " + first + ":" + last + " failed in " + repo);
            }
            List<String> nodes = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    node("hg log output", line.trim());
                    nodes.add(line.trim());
                }
            }
            return nodes;
        } catch (IOException e) {
            throw new HookInputException("cannot run hg to list the new changesets: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HookInputException("interrupted while listing the new changesets");
        }
    }
}
