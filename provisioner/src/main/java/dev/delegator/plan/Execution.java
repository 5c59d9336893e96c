package dev.delegator.plan;

import dev.delegator.files.DirectorySync;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What steps need while they run: the target, whether to reload sshd, how long to wait for
 * another writer of a file, when the directories written to are fsynced, and a place for notes
 * (e.g. "sshd reloaded").
 */
public final class Execution {
    private final Target target;
    private final boolean reload;
    private final Duration fileLockWait;
    private final DirectorySync directorySync;
    private final List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>()); // steps may run on two threads

    /** Each write's directory fsynced at once. */
    public Execution(Target target, boolean reload, Duration fileLockWait) {
        this(target, reload, fileLockWait, DirectorySync.IMMEDIATE);
    }

    public Execution(Target target, boolean reload, Duration fileLockWait, DirectorySync directorySync) {
        this.target = Objects.requireNonNull(target, "target");
        this.reload = reload;
        this.fileLockWait = Objects.requireNonNull(fileLockWait, "fileLockWait");
        this.directorySync = Objects.requireNonNull(directorySync, "directorySync");
    }

    /** How the steps' file writes fsync their directories (the executor flushes it when the steps are done). */
    public DirectorySync directorySync() {
        return directorySync;
    }

    public Target target() {
        return target;
    }

    public boolean reload() {
        return reload;
    }

    public Duration fileLockWait() {
        return fileLockWait;
    }

    public void note(String note) {
        notes.add(note);
    }

    public List<String> notes() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }
}
