package dev.delegator.files;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/** An exclusive lock could not be taken within the allowed wait because someone else holds it. */
public class LockTimeoutException extends IOException {
    private final Path lockFile;
    private final OptionalLong holderPid;

    public LockTimeoutException(Path lockFile, OptionalLong holderPid, Duration waited) {
        this(lockFile, holderPid, waited, null);
    }

    /** @param what a phrase naming who probably holds it, e.g. "another delegator apply is running"; may be null */
    public LockTimeoutException(Path lockFile, OptionalLong holderPid, Duration waited, String what) {
        super((what == null ? "" : what + ": ") + "lock " + lockFile + " is held"
                + (holderPid.isPresent() ? " by pid " + holderPid.getAsLong() : "")
                + (waited.isZero() ? " (not waiting)" : "; gave up after " + human(waited)));
        this.lockFile = lockFile;
        this.holderPid = holderPid;
    }

    public Path lockFile() {
        return lockFile;
    }

    /** The process id the holder wrote into the lock file, when it could be read. */
    public OptionalLong holderPid() {
        return holderPid;
    }

    private static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
