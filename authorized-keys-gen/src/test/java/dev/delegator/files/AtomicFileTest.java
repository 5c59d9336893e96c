package dev.delegator.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    static final Set<PosixFilePermission> RW_R_R = PosixFilePermissions.fromString("rw-r--r--");

    @TempDir
    Path dir;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void readOfAMissingFileIsAbsent() throws Exception {
        FileSnapshot s = AtomicFile.read(dir.resolve("none"));
        assertFalse(s.exists());
        assertEquals(0, s.size());
        assertEquals("absent", s.describe());
        assertTrue(s.sameContentAs(FileSnapshot.absent(dir.resolve("none"))));
    }

    @Test
    void readCarriesContentAndIdentity() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "hello\n");
        FileSnapshot s = AtomicFile.read(f);
        assertTrue(s.exists());
        assertEquals("hello\n", s.text());
        assertEquals(6, s.size());
        assertEquals(Files.readAttributes(f, PosixFileAttributes.class).fileKey(), s.fileKey());
        assertEquals(Files.getLastModifiedTime(f), s.lastModified());
        // sha256 of "hello\n"
        assertEquals("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", s.sha256());
    }

    @Test
    void replaceCreatesAndReplacesWithTheMode() throws Exception {
        Path f = dir.resolve("authorized_keys");
        AtomicFile.replace(f, bytes("one\n"), RW_R_R, FileSnapshot.absent(f));
        assertEquals("one\n", Files.readString(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));

        AtomicFile.replace(f, bytes("two\n"), PosixFilePermissions.fromString("rw-------"), AtomicFile.read(f));
        assertEquals("two\n", Files.readString(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(List.of(".authorized_keys.lock", "authorized_keys"), names(dir));
    }

    @Test
    void aFileChangedSinceItWasReadIsNotWritten() throws Exception {
        Path f = dir.resolve("authorized_keys");
        Files.writeString(f, "original\n");
        FileSnapshot read = AtomicFile.read(f);
        Files.writeString(f, "someone else's edit\n");

        FileChangedException e = assertThrows(FileChangedException.class,
                () -> AtomicFile.replace(f, bytes("ours\n"), RW_R_R, read));
        assertEquals("someone else's edit\n", Files.readString(f));
        assertEquals(f + " changed on disk since it was read (was 9 bytes, sha256 " + read.sha256().substring(0, 12)
                + "…, now 20 bytes, sha256 " + e.actual().sha256().substring(0, 12)
                + "…); nothing was written, re-run to start from its current content", e.getMessage());
        assertEquals(List.of(".authorized_keys.lock", "authorized_keys"), names(dir));
    }

    @Test
    void creatingOverAFileThatAppearedIsRefused() throws Exception {
        Path f = dir.resolve("authorized_keys");
        FileSnapshot read = AtomicFile.read(f);
        Files.writeString(f, "appeared\n");
        FileChangedException e = assertThrows(FileChangedException.class,
                () -> AtomicFile.replace(f, bytes("ours\n"), RW_R_R, read));
        assertTrue(e.getMessage().contains("(was absent, now 9 bytes"), e.getMessage());
        assertEquals("appeared\n", Files.readString(f));
    }

    @Test
    void aFileDeletedSinceItWasReadIsNotRecreated() throws Exception {
        Path f = dir.resolve("authorized_keys");
        Files.writeString(f, "x\n");
        FileSnapshot read = AtomicFile.read(f);
        Files.delete(f);
        FileChangedException e = assertThrows(FileChangedException.class,
                () -> AtomicFile.replace(f, bytes("ours\n"), RW_R_R, read));
        assertTrue(e.getMessage().endsWith(", now absent); nothing was written, re-run to start from its current content"), e.getMessage());
        assertFalse(Files.exists(f));
    }

    @Test
    void sameContentRewrittenIsNotAChange() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "same\n");
        FileSnapshot read = AtomicFile.read(f);
        Files.delete(f);
        Files.writeString(f, "same\n"); // new inode, same bytes: nothing to lose
        AtomicFile.replace(f, bytes("next\n"), RW_R_R, read);
        assertEquals("next\n", Files.readString(f));
    }

    @Test
    void deleteChecksTheSnapshotToo() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "a\n");
        FileSnapshot read = AtomicFile.read(f);
        Files.writeString(f, "b\n");
        assertThrows(FileChangedException.class, () -> AtomicFile.delete(f, read));
        assertEquals("b\n", Files.readString(f));
        AtomicFile.delete(f, AtomicFile.read(f));
        assertFalse(Files.exists(f));
        AtomicFile.delete(f, FileSnapshot.absent(f)); // already gone: nothing to do
    }

    @Test
    void aSymbolicLinkTargetIsRefused() throws Exception {
        Path real = dir.resolve("real");
        Files.writeString(real, "r\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        IOException e = assertThrows(IOException.class, () -> AtomicFile.replace(link, bytes("x"), RW_R_R, AtomicFile.read(link)));
        assertEquals(link + " is a symbolic link; refusing to replace it with a file", e.getMessage());
        assertEquals("r\n", Files.readString(real));
    }

    @Test
    void createNeverReplaces() throws Exception {
        Path f = dir.resolve("k");
        AtomicFile.create(f, bytes("first"), Optional.empty(), RW_R_R);
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> AtomicFile.create(f, bytes("second"), Optional.empty(), RW_R_R));
        assertEquals("first", Files.readString(f));
        assertEquals(List.of("k"), names(dir));
    }

    @Test
    void creatingAnAbsentFileTakesNoLockFileAndReplacingOneDoes() throws Exception {
        Path f = dir.resolve("f");
        AtomicFile.replace(f, bytes("new\n"), RW_R_R, FileSnapshot.absent(f));
        AtomicFile.overwrite(dir.resolve("g"), bytes("g\n"), Optional.empty(), RW_R_R);
        assertEquals(List.of("f", "g"), names(dir));
        AtomicFile.overwrite(dir.resolve("g"), bytes("g2\n"), Optional.empty(), RW_R_R);
        assertEquals(List.of(".g.lock", "f", "g"), names(dir));
        assertEquals("g2\n", Files.readString(dir.resolve("g")));
    }

    @Test
    void aTempFileLeftBesideAnAbsentTargetSendsTheCreationThroughTheLockWhichRemovesIt() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(dir.resolve(".f.tmp-999"), "a writer died here");
        AtomicFile.replace(f, bytes("new\n"), RW_R_R, FileSnapshot.absent(f));
        assertEquals(List.of(".f.lock", "f"), names(dir));
        assertEquals("new\n", Files.readString(f));
    }

    @Test
    void aFileCreatedWhileALockedWriterHeldTheLockIsNotReplacedByIt() throws Exception {
        // the locked writer expects the file absent; a lock-free creator gets there first
        Path f = dir.resolve("f");
        FileSnapshot absent = FileSnapshot.absent(f);
        Files.writeString(dir.resolve(".f.tmp-1"), "forces the locked path");
        try (ExclusiveLock held = ExclusiveLock.acquire(AtomicFile.lockFileFor(f), java.time.Duration.ZERO, null)) {
            Files.delete(dir.resolve(".f.tmp-1"));
            AtomicFile.replace(f, bytes("lock-free\n"), RW_R_R, absent); // no temp now: no lock needed
        }
        FileChangedException e = assertThrows(FileChangedException.class, () -> AtomicFile.replace(f, bytes("late\n"), RW_R_R, absent));
        assertTrue(e.getMessage().contains("(was absent, now 10 bytes"), e.getMessage());
        assertEquals("lock-free\n", Files.readString(f));
    }

    @Test
    void racingCreatorsOfOneFileHaveOneWinnerAndTheOthersAreTold() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path f = dir.resolve("race-" + round);
            FileSnapshot absent = FileSnapshot.absent(f);
            int n = 8;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < n; t++) {
                String mine = "writer " + t + "\n";
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        AtomicFile.replace(f, bytes(mine), RW_R_R, absent);
                        return true;
                    } catch (FileChangedException e) {
                        return false;
                    }
                }));
            }
            int winners = 0;
            for (var r : results) {
                winners += r.get() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(1, winners, "round " + round);
            assertTrue(Files.readString(f).startsWith("writer "));
        }
        assertTrue(names(dir).stream().noneMatch(name -> name.contains(".tmp-")), names(dir).toString());
    }

    @Test
    void aMissingDirectoryIsNamedAndNothingIsLeft() {
        Path f = dir.resolve("missing/f");
        java.nio.file.NoSuchFileException e = assertThrows(java.nio.file.NoSuchFileException.class,
                () -> AtomicFile.overwrite(f, bytes("x"), Optional.empty(), RW_R_R));
        assertTrue(e.getMessage().contains(dir.resolve("missing").toString()), e.getMessage());
    }

    @Test
    void leftoverTempFilesAreIgnoredByReadsAndRemovedByTheNextWrite() throws Exception {
        Path f = dir.resolve("authorized_keys");
        Files.writeString(f, "complete\n");
        Path stale = dir.resolve(".authorized_keys.tmp-123456");
        Files.writeString(stale, "half a fi");
        Path unrelated = dir.resolve(".other.tmp-1");
        Files.writeString(unrelated, "not ours");

        assertEquals("complete\n", AtomicFile.read(f).text());
        assertTrue(AtomicFile.isTempFileOf(f, stale));
        AtomicFile.replace(f, bytes("next\n"), RW_R_R, AtomicFile.read(f));
        assertEquals(List.of(".authorized_keys.lock", ".other.tmp-1", "authorized_keys"), names(dir));
        assertTrue(Files.exists(unrelated));
    }

    @Test
    void aFailedWriteLeavesTheTargetAndNoTemp() throws Exception {
        requireRoot();
        Path f = dir.resolve("f");
        Files.writeString(f, "old\n");
        UnknownOwnerException e = assertThrows(UnknownOwnerException.class, () -> AtomicFile.replace(f, bytes("new\n"),
                new FileOwner("no-such-user-dlg", "root"), RW_R_R, AtomicFile.read(f)));
        assertEquals("no such user 'no-such-user-dlg' (owner wanted for " + f.toAbsolutePath() + ")", e.getMessage());
        assertEquals("old\n", Files.readString(f));
        assertEquals(List.of(".f.lock", "f"), names(dir));
    }

    /**
     * Owner and mode are set on the temp file before the rename: a watcher polling the target never
     * sees the new inode with the old owner or mode.
     */
    @Test
    void ownerAndModeAreInPlaceBeforeTheFileAppears() throws Exception {
        requireRoot();
        try (dev.delegator.testkit.TestRoot root = dev.delegator.testkit.TestRoot.create("files");
                dev.delegator.testkit.TestUsers users = new dev.delegator.testkit.TestUsers()) {
            String name = users.create("df", root.path()).name();
            ownerAndModeAreInPlaceBeforeTheFileAppears(new FileOwner(name, name));
        }
    }

    private void ownerAndModeAreInPlaceBeforeTheFileAppears(FileOwner owner) throws Exception {
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-r-----");
        Path f = dir.resolve("authorized_keys");
        Files.writeString(f, "start\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Object initialInode = Files.readAttributes(f, PosixFileAttributes.class).fileKey();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger newInodesSeen = new AtomicInteger();
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread watcher = new Thread(() -> {
            while (!stop.get()) {
                try {
                    PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!Objects.equals(a.fileKey(), initialInode)) {
                        newInodesSeen.incrementAndGet();
                        if (!a.owner().getName().equals(owner.user()) || !a.group().getName().equals(owner.group()) || !a.permissions().equals(mode)) {
                            wrong.compareAndSet(null, a.owner().getName() + ":" + a.group().getName() + " "
                                    + PosixFilePermissions.toString(a.permissions()));
                        }
                    }
                } catch (IOException e) {
                    wrong.compareAndSet(null, "target missing for a moment: " + e);
                }
            }
        });
        watcher.start();
        try {
            for (int i = 0; i < 200; i++) {
                AtomicFile.replace(f, bytes("round " + i + "\n"), owner, mode, AtomicFile.read(f));
            }
        } finally {
            stop.set(true);
            watcher.join();
        }
        assertEquals(null, wrong.get());
        assertTrue(newInodesSeen.get() > 0, "the watcher never saw a replaced file");
        PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class);
        assertEquals(owner.user(), a.owner().getName());
        assertEquals(owner.group(), a.group().getName());
        assertEquals(mode, a.permissions());
        assertArrayEquals(bytes("round 199\n"), Files.readAllBytes(f));
    }

    static void requireRoot() {
        dev.delegator.testkit.Prerequisites.requireRoot();
    }
}
