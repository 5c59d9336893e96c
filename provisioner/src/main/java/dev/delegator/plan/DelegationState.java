package dev.delegator.plan;

import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * apply's memory on a host: when each delegation was first applied there, so that
 * {@code expires: 90d} counts from then and a re-apply does not push the expiry forward.
 * Stored as {@code <delegation>.since=<ISO instant>} lines in {@code /var/lib/delegator/state.properties}
 * (root 0644), written atomically.
 */
public record DelegationState(FileSnapshot snapshot, Map<String, Instant> since) {
    public DelegationState {
        since = java.util.Collections.unmodifiableMap(new TreeMap<>(since));
    }

    public static DelegationState read(Path file) throws IOException {
        FileSnapshot s = AtomicFile.read(file);
        Map<String, Instant> m = new TreeMap<>();
        if (s.exists()) {
            Properties p = new Properties();
            p.load(new StringReader(s.text()));
            for (String k : p.stringPropertyNames()) {
                if (k.endsWith(".since")) {
                    try {
                        m.put(k.substring(0, k.length() - ".since".length()), Instant.parse(p.getProperty(k)));
                    } catch (DateTimeParseException e) {
                        // a hand-edited bad value counts as unknown: the next apply records a fresh time
                    }
                }
            }
        }
        return new DelegationState(s, m);
    }

    public Optional<Instant> since(String delegation) {
        return Optional.ofNullable(since.get(delegation));
    }

    /** The file's content for a map of first-apply times (sorted, so unchanged state renders identically). */
    public static byte[] render(Map<String, Instant> since) {
        StringBuilder b = new StringBuilder("# delegator apply: when each delegation was first applied on this host (for expires: <duration>)\n");
        new TreeMap<>(since).forEach((k, v) -> b.append(k).append(".since=").append(v).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code since} if the file still holds what was read. */
    public void write(Map<String, Instant> newSince) throws IOException {
        Path file = snapshot.path();
        java.nio.file.Files.createDirectories(file.getParent());
        AtomicFile.replace(file, render(newSince), Optional.of(FileOwner.root()), FileStatus.perms(0644), snapshot, AtomicFile.DEFAULT_LOCK_WAIT);
    }
}
