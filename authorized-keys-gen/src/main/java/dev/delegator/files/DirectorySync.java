package dev.delegator.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * When the directory of an {@link AtomicFile} write is fsynced, which makes its rename (or link,
 * or unlink) durable: {@link #IMMEDIATE}ly after each write, or {@link #deferred()} and done
 * once per directory by {@link #flush()}. A run that writes a hundred files into one directory
 * (apply: dispatcher configs, authorized_keys files) then pays one directory fsync, not a hundred.
 *
 * <p>What deferring changes: every file is still old or new at any moment and after a crash
 * (the temp file is fsynced before it is renamed into place, and the rename is atomic); what a
 * crash before {@code flush} may lose is some of the renames, in any combination, where
 * immediate syncs lose only those after the last completed one. Callers whose files must become
 * durable in order (a private key before its {@code .pub}) sync the first one immediately.
 */
public final class DirectorySync {
    /** fsync each directory right after the write that changed it (the default everywhere). */
    public static final DirectorySync IMMEDIATE = new DirectorySync(false);

    private final boolean deferred;
    private final Set<Path> pending = new LinkedHashSet<>();

    private DirectorySync(boolean deferred) {
        this.deferred = deferred;
    }

    /** Collects the directories written to; nothing is durable until {@link #flush()}. */
    public static DirectorySync deferred() {
        return new DirectorySync(true);
    }

    /** {@code dir} got a new, replaced or removed entry. */
    synchronized void changed(Path dir) throws IOException {
        if (deferred) {
            pending.add(dir);
        } else {
            AtomicFile.fsyncDirectory(dir);
        }
    }

    /** The directories waiting for their fsync (for tests). */
    synchronized Set<Path> pending() {
        return Set.copyOf(pending);
    }

    /** fsyncs every directory changed since the last flush, once each; a no-op for {@link #IMMEDIATE}. */
    public synchronized void flush() throws IOException {
        while (!pending.isEmpty()) {
            Path dir = pending.iterator().next();
            AtomicFile.fsyncDirectory(dir);
            pending.remove(dir);
        }
    }
}
