package dev.delegator.sshdconfig;

import dev.delegator.systemtools.SystemTool;
import dev.delegator.systemtools.SystemToolException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Asks sshd itself about its config: {@code sshd -t} (valid?) and {@code sshd -T [-C ...]} (effective values). */
public final class Sshd {
    private final SshdPaths paths;

    public Sshd(SshdPaths paths) {
        this.paths = paths;
    }

    public SshdPaths paths() {
        return paths;
    }

    /** Empty when {@code sshd -t -f <config>} accepts the config, else sshd's first error line. */
    public Optional<String> validate() {
        SystemTool.Result r = SystemTool.run(List.of(paths.binary().toString(), "-t", "-f", paths.config().toString()));
        return r.ok() ? Optional.empty() : Optional.of(r.firstErrorLine());
    }

    /** The effective global config ({@code sshd -T}), keys lower-case, every value of repeated keys. */
    public Map<String, List<String>> effective() {
        return parse(SystemTool.check(List.of(paths.binary().toString(), "-T", "-f", paths.config().toString())).stdout());
    }

    /** The effective config for a connection of {@code user} from {@code addr} ({@code sshd -T -C}). */
    public Map<String, List<String>> effectiveFor(String user, String host, String addr) {
        return parse(SystemTool.check(List.of(paths.binary().toString(), "-T", "-f", paths.config().toString(),
                "-C", "user=" + user + ",host=" + host + ",addr=" + addr)).stdout());
    }

    /**
     * True when sshd's config (or a file it includes, three levels deep) has an {@code Include}
     * whose pattern matches the drop-in's path. {@code sshd -T} does not show includes, so this
     * reads the files; relative patterns are taken as sshd does, relative to {@code /etc/ssh}.
     * It lets plan refuse before anything changes; the effect check after writing stays the proof.
     */
    public boolean includesDropIn() {
        return includes(paths.config(), paths.dropIn(), 0);
    }

    private static boolean includes(java.nio.file.Path config, java.nio.file.Path target, int depth) {
        if (depth > 3 || !java.nio.file.Files.isRegularFile(config)) {
            return false;
        }
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(config);
        } catch (java.io.IOException e) {
            return false;
        }
        for (String raw : lines) {
            String line = raw.strip();
            String[] words = line.split("\\s+");
            if (words.length < 2 || !words[0].equalsIgnoreCase("include")) {
                continue;
            }
            for (int i = 1; i < words.length; i++) {
                String pattern = words[i].startsWith("/") ? words[i] : "/etc/ssh/" + words[i];
                java.nio.file.PathMatcher m = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + pattern);
                if (m.matches(target)) {
                    return true;
                }
                java.nio.file.Path dir = java.nio.file.Path.of(pattern).getParent();
                if (dir != null && java.nio.file.Files.isDirectory(dir)) {
                    try (var s = java.nio.file.Files.list(dir)) {
                        for (java.nio.file.Path p : s.filter(m::matches).toList()) {
                            if (includes(p, target, depth + 1)) {
                                return true;
                            }
                        }
                    } catch (java.io.IOException e) {
                        // an unreadable directory includes nothing we can see
                    }
                }
            }
        }
        return false;
    }

    /** The public key files of sshd's HostKey entries ({@code <key>.pub}), in config order. */
    public List<java.nio.file.Path> hostPublicKeyFiles() {
        return hostPublicKeyFiles(effective());
    }

    /** As {@link #hostPublicKeyFiles()}, from an {@link #effective()} already read. */
    public static List<java.nio.file.Path> hostPublicKeyFiles(Map<String, List<String>> effective) {
        List<java.nio.file.Path> out = new ArrayList<>();
        for (String k : effective.getOrDefault("hostkey", List.of())) {
            out.add(java.nio.file.Path.of(k + ".pub"));
        }
        return out;
    }

    static Map<String, List<String>> parse(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                continue;
            }
            out.computeIfAbsent(line.substring(0, sp).toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add(line.substring(sp + 1).trim());
        }
        return out;
    }

    /**
     * Sends SIGHUP to a running sshd (its PidFile per {@code sshd -T}) so it re-reads its config.
     *
     * @return the pid signalled, empty when no sshd runs for this config
     */
    public Optional<Long> reloadIfRunning() {
        String pidFile = effective().getOrDefault("pidfile", List.of("none")).get(0);
        if (pidFile.equals("none")) {
            return Optional.empty();
        }
        java.nio.file.Path p = java.nio.file.Path.of(pidFile);
        long pid;
        try {
            pid = Long.parseLong(java.nio.file.Files.readString(p).trim());
        } catch (java.io.IOException | NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return Optional.empty();
        }
        SystemTool.Result r = SystemTool.run(List.of("kill", "-HUP", Long.toString(pid)));
        if (!r.ok()) {
            throw new SystemToolException("could not reload sshd (pid " + pid + " from " + pidFile + "): " + r.firstErrorLine());
        }
        return Optional.of(pid);
    }
}
