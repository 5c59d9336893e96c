package dev.delegator.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes a file so that every reader sees either the old or the new content, never a
 * partial file, and two writers never lose each other's change — the way JGit's LockFile
 * writes refs (STYLE.md 8).
 *
 * <p>A write: take the exclusive lock {@code .<name>.lock} beside the target (waiting at most
 * {@link #DEFAULT_LOCK_WAIT}); compare the file with the snapshot the caller started from and
 * abort with {@link FileChangedException} if it changed; remove temp files a killed writer left
 * behind; write {@code .<name>.tmp-<random>} in the same directory (created 0600), fsync it; set
 * owner and mode on it; rename it over the target (rename(2), atomic); fsync the directory so the
 * rename survives a power loss (or, with a {@link DirectorySync#deferred()}, once per directory when
 * the caller flushes it). On any failure the temp file is removed and the target is untouched.
 *
 * <p>Creating a file that does not exist takes no lock: the complete temp file is hard-linked to
 * the name (link(2) fails with EEXIST if the name was taken meanwhile), which is the whole check a
 * locked writer makes for an absent file, done by the kernel atomically. A locked writer that
 * expects the file to be absent publishes the same way, so neither can replace what the other
 * created. Why: on a disk where allocating an inode costs a millisecond (measured on the
 * benchmark VM), the lock file doubled the cost of every new file an apply writes, and a new
 * delegation writes five. The fast path is taken only when the directory holds no temp file of
 * the target (a writer at work, or one that died): then the locked path runs, as before, and
 * removes what a dead writer left.
 *
 * <p>Every writer of a file must go through this class: the lock is advisory.
 */
public final class AtomicFile {
    /** How long a writer waits for another writer of the same file by default. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(30);

    private static final Set<PosixFilePermission> TEMP_MODE = PosixFilePermissions.fromString("rw-------");
    private static final int READ_ATTEMPTS = 20;

    private AtomicFile() {}

    /**
     * Reads the file's content and identity in one consistent view (retrying if it is replaced
     * while being read).
     *
     * @return the snapshot, {@linkplain FileSnapshot#absent absent} if the file does not exist
     * @throws IOException if it cannot be read, or keeps changing while it is read
     */
    public static FileSnapshot read(Path path) throws IOException {
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            BasicFileAttributes before;
            byte[] bytes;
            try {
                before = Files.readAttributes(path, BasicFileAttributes.class);
                bytes = Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.exists(path)) {
                    throw new NoSuchFileException(path.toString(), null, "dangling symbolic link");
                }
                if (Files.exists(path)) {
                    continue; // replaced between the two calls: read again
                }
                return FileSnapshot.absent(path);
            }
            if (!before.isRegularFile()) {
                throw new IOException(path + " is not a regular file");
            }
            BasicFileAttributes after;
            try {
                after = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                continue;
            }
            if (Objects.equals(before.fileKey(), after.fileKey())
                    && before.lastModifiedTime().equals(after.lastModifiedTime())
                    && after.size() == bytes.length) {
                return FileSnapshot.of(path, bytes, after.lastModifiedTime(), after.fileKey());
            }
        }
        throw new IOException(path + " kept changing while it was read (" + READ_ATTEMPTS
                + " attempts); is something rewriting it in place?");
    }

    /**
     * Replaces (or creates) {@code target} with {@code content}, owned by {@code owner} with
     * {@code mode}, if it still matches {@code expected}.
     *
     * @param owner    owner to set before the file appears; must exist on this system
     * @param mode     permissions of the new file, exactly (umask does not apply)
     * @param expected the snapshot the new content was computed from ({@link #read}, or
     *                 {@link FileSnapshot#absent} to create a file that must not exist yet)
     * @throws FileChangedException if the file changed since {@code expected}; nothing written
     * @throws LockTimeoutException if another writer held the lock for {@link #DEFAULT_LOCK_WAIT}
     */
    public static void replace(Path target, byte[] content, FileOwner owner, Set<PosixFilePermission> mode,
            FileSnapshot expected) throws IOException {
        replace(target, content, Optional.of(owner), mode, expected, DEFAULT_LOCK_WAIT);
    }

    /** As {@link #replace(Path, byte[], FileOwner, Set, FileSnapshot)}, leaving the owner as the current process's user. */
    public static void replace(Path target, byte[] content, Set<PosixFilePermission> mode, FileSnapshot expected)
            throws IOException {
        replace(target, content, Optional.empty(), mode, expected, DEFAULT_LOCK_WAIT);
    }

    /**
     * The general form of {@code replace}.
     *
     * @param owner    empty leaves the file owned by the current process's user and group
     * @param lockWait how long to wait for another writer; {@link Duration#ZERO} fails at once
     */
    public static void replace(Path target, byte[] content, Optional<FileOwner> owner, Set<PosixFilePermission> mode,
            FileSnapshot expected, Duration lockWait) throws IOException {
        replace(target, content, owner, mode, expected, lockWait, DirectorySync.IMMEDIATE);
    }

    /** As the general {@code replace}, with the directory fsync done as {@code sync} says. */
    public static void replace(Path target, byte[] content, Optional<FileOwner> owner, Set<PosixFilePermission> mode,
            FileSnapshot expected, Duration lockWait, DirectorySync sync) throws IOException {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(content, "content");
        Path file = target.toAbsolutePath().normalize();
        if (!expected.path().toAbsolutePath().normalize().equals(file)) {
            throw new IllegalArgumentException("snapshot of " + expected.path() + " passed to replace " + file);
        }
        if (!expected.exists() && publishNew(file, content, owner, mode, sync)) {
            return;
        }
        try (ExclusiveLock lock = ExclusiveLock.acquire(lockFileFor(file), lockWait, null)) {
            requireRegularOrAbsent(file);
            requireUnchanged(file, expected);
            try {
                // expected absent: link, not rename, so a lock-free creator's file is never replaced
                writeUnderLock(file, content, owner, mode, expected.exists() ? Publish.RENAME_OVER : Publish.LINK_NEW, sync);
            } catch (FileAlreadyExistsException e) {
                throw new FileChangedException(file, expected, read(file));
            }
        }
    }

    /**
     * Deletes {@code target} if it still matches {@code expected} (under the same lock as a write),
     * then fsyncs the directory. Deleting an absent file whose snapshot was absent does nothing.
     *
     * @throws FileChangedException if the file changed since {@code expected}; nothing deleted
     */
    public static void delete(Path target, FileSnapshot expected) throws IOException {
        delete(target, expected, DirectorySync.IMMEDIATE);
    }

    /** As {@link #delete(Path, FileSnapshot)}, with the directory fsync done as {@code sync} says. */
    public static void delete(Path target, FileSnapshot expected, DirectorySync sync) throws IOException {
        Objects.requireNonNull(expected, "expected");
        Path file = target.toAbsolutePath().normalize();
        try (ExclusiveLock lock = ExclusiveLock.acquire(lockFileFor(file), DEFAULT_LOCK_WAIT, null)) {
            requireRegularOrAbsent(file);
            requireUnchanged(file, expected);
            if (Files.deleteIfExists(file)) {
                sync.changed(file.getParent());
            }
            removeStaleTemps(file);
        }
    }

    /**
     * Creates {@code target} with {@code content}, atomically and never over an existing file
     * (the complete file is hard-linked into place, which fails if the name exists).
     *
     * @throws FileAlreadyExistsException if {@code target} exists; nothing written
     */
    public static void create(Path target, byte[] content, Optional<FileOwner> owner, Set<PosixFilePermission> mode)
            throws IOException {
        Path file = target.toAbsolutePath().normalize();
        if (publishNew(file, content, owner, mode, DirectorySync.IMMEDIATE)) {
            return;
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        try (ExclusiveLock lock = ExclusiveLock.acquire(lockFileFor(file), DEFAULT_LOCK_WAIT, null)) {
            writeUnderLock(file, content, owner, mode, Publish.LINK_NEW, DirectorySync.IMMEDIATE);
        }
    }

    /** Replaces {@code target} atomically whatever it holds now (no changed-since-read check). */
    public static void overwrite(Path target, byte[] content, Optional<FileOwner> owner, Set<PosixFilePermission> mode)
            throws IOException {
        overwrite(target, content, owner, mode, DirectorySync.IMMEDIATE);
    }

    /** As {@link #overwrite(Path, byte[], Optional, Set)}, with the directory fsync done as {@code sync} says. */
    public static void overwrite(Path target, byte[] content, Optional<FileOwner> owner, Set<PosixFilePermission> mode,
            DirectorySync sync) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && publishNew(file, content, owner, mode, sync)) {
            return;
        }
        try (ExclusiveLock lock = ExclusiveLock.acquire(lockFileFor(file), DEFAULT_LOCK_WAIT, null)) {
            requireRegularOrAbsent(file);
            writeUnderLock(file, content, owner, mode, Publish.RENAME_OVER, sync);
        }
    }

    /** The lock file guarding writes of {@code target}: {@code .<name>.lock} in the same directory. */
    public static Path lockFileFor(Path target) {
        Path file = target.toAbsolutePath().normalize();
        return file.resolveSibling("." + file.getFileName() + ".lock");
    }

    /** True for the name of a temp file a writer of {@code target} creates ({@code .<name>.tmp-<random>}). */
    public static boolean isTempFileOf(Path target, Path candidate) {
        return candidate.getFileName().toString().startsWith(tempPrefix(target));
    }

    private enum Publish { RENAME_OVER, LINK_NEW }

    /**
     * The lock-free creation of a file that does not exist (see the class comment): writes the temp
     * file and links it to the name.
     *
     * @return true when the file was created; false when the locked path must run instead: the name
     *         exists (the locked path reports it as it always has), a temp file of the target is in
     *         the directory, or a locked writer removed ours as stale while we wrote it
     */
    private static boolean publishNew(Path file, byte[] content, Optional<FileOwner> owner,
            Set<PosixFilePermission> mode, DirectorySync sync) throws IOException {
        requireDirectory(file.getParent());
        if (hasTemps(file)) {
            return false;
        }
        try {
            write(file, content, owner, mode, Publish.LINK_NEW, sync);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(file.getParent())) {
                throw e;
            }
            return false; // our temp file was removed under us: let the locked path write it
        }
    }

    private static void writeUnderLock(Path file, byte[] content, Optional<FileOwner> owner,
            Set<PosixFilePermission> mode, Publish publish, DirectorySync sync) throws IOException {
        requireDirectory(file.getParent());
        removeStaleTemps(file);
        write(file, content, owner, mode, publish, sync);
    }

    private static void requireDirectory(Path dir) throws NoSuchFileException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "directory does not exist");
        }
    }

    /** Writes the temp file (fsynced, owner and mode set) and publishes it as {@code publish} says. */
    private static void write(Path file, byte[] content, Optional<FileOwner> owner,
            Set<PosixFilePermission> mode, Publish publish, DirectorySync sync) throws IOException {
        Objects.requireNonNull(mode, "mode");
        Path dir = file.getParent();
        Path temp = Files.createTempFile(dir, tempPrefix(file), "", PosixFilePermissions.asFileAttribute(TEMP_MODE));
        boolean published = false;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            // Owner first: chown clears set-id bits, so the mode must be set after it.
            if (owner.isPresent()) {
                owner.get().applyTo(temp, file);
            }
            Files.setPosixFilePermissions(temp, mode);
            if (publish == Publish.LINK_NEW) {
                Files.createLink(file, temp); // link(2) fails with EEXIST instead of replacing
                published = true;
                Files.deleteIfExists(temp); // a locked writer may have removed it as stale already
            } else {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
                published = true;
            }
            sync.changed(dir);
        } finally {
            if (!published || publish == Publish.LINK_NEW) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static void requireUnchanged(Path file, FileSnapshot expected) throws IOException {
        FileSnapshot now = read(file);
        if (!now.sameContentAs(expected)) {
            throw new FileChangedException(file, expected, now);
        }
    }

    private static void requireRegularOrAbsent(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a symbolic link; refusing to replace it with a file");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file");
        }
    }

    private static boolean hasTemps(Path file) throws IOException {
        try (DirectoryStream<Path> temps = tempFilesOf(file)) {
            return temps.iterator().hasNext();
        }
    }

    /** The temp files of {@code file}'s writers in its directory ({@link #isTempFileOf}). */
    private static DirectoryStream<Path> tempFilesOf(Path file) throws IOException {
        return Files.newDirectoryStream(file.getParent(), p -> isTempFileOf(file, p));
    }

    /**
     * Called under the lock: any temp file of ours still there belongs to a writer that died (or to
     * a lock-free creator, which then finds its temp file gone and retries under the lock).
     */
    private static void removeStaleTemps(Path file) throws IOException {
        try (DirectoryStream<Path> stale = tempFilesOf(file)) {
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // no directory, nothing stale; the write itself reports the missing directory
        }
    }

    /** fsync the directory so the new directory entry (rename, link, unlink) is durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static String tempPrefix(Path target) {
        return "." + target.getFileName() + ".tmp-";
    }

}
