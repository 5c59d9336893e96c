package dev.delegator.cli.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files an agent's connections were made from (key, certificate, known_hosts, manifest), as
 * they were when it first used each: owner, mode, size, modification time and a SHA-256 of the
 * content. Checked before every request; one that differs ends the agent, so a rotated key, a
 * re-pinned host key, a tightened mode or an edited manifest never meets a connection made before.
 */
final class FileFingerprints {
    private final Map<Path, String> seen = new HashMap<>();

    /** The first of {@code files} that changed since this agent first saw it, if any; records the new ones. */
    synchronized Optional<Path> changed(List<Path> files) {
        for (Path p : files) {
            String now = of(p);
            String before = seen.putIfAbsent(p, now);
            if (before != null && !before.equals(now)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static String of(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String hash = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))) : "-";
            return a.get("uid") + " " + a.get("mode") + " " + a.get("size") + " " + a.get("lastModifiedTime") + " " + hash;
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
