package dev.delegator.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a file held when it was read: its bytes and its identity (size, modification time, inode
 * via the file key, SHA-256 of the content), or "absent" when it did not exist. A writer passes
 * the snapshot it started from back to {@link AtomicFile#replace}, which refuses to write if the
 * file no longer matches (optimistic concurrency: nobody's change is lost).
 *
 * <p>Two snapshots {@linkplain #sameContentAs match} when both are absent or both hold the same
 * bytes (by SHA-256). Modification time and inode are kept for messages only: a rewrite with
 * identical content loses nothing, and mtime granularity differs between file systems.
 *
 * @param path         the file read
 * @param exists       false when the file did not exist (then content is empty and the rest unset)
 * @param content      the bytes read (a copy is returned by {@link #content()})
 * @param lastModified the modification time, or null when absent
 * @param fileKey      the file system's identity of the file (device and inode on Linux), or null
 * @param sha256       hex SHA-256 of the content; null to have it computed (a given value must match)
 */
public record FileSnapshot(Path path, boolean exists, byte[] content, FileTime lastModified, Object fileKey, String sha256) {

    public FileSnapshot {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        content = content.clone();
        if (!exists && content.length != 0) {
            throw new IllegalArgumentException("an absent file has no content, got " + content.length + " bytes for " + path);
        }
        String computed = sha256Hex(content);
        if (sha256 != null && !sha256.equals(computed)) {
            throw new IllegalArgumentException("sha256 " + sha256 + " does not match the content of " + path + " (" + computed + ")");
        }
        sha256 = computed;
    }

    /** The snapshot of a file that does not exist. */
    public static FileSnapshot absent(Path path) {
        return new FileSnapshot(path, false, new byte[0], null, null, null);
    }

    /** A snapshot of existing content (identity fields as read from the file system). */
    public static FileSnapshot of(Path path, byte[] content, FileTime lastModified, Object fileKey) {
        return new FileSnapshot(path, true, content, lastModified, fileKey, null);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The content decoded as UTF-8 (authorized_keys, configs: the files we manage are text). */
    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** The size in bytes (0 when absent). */
    public long size() {
        return content.length;
    }

    /** True when both are absent, or both exist with the same bytes. */
    public boolean sameContentAs(FileSnapshot other) {
        return exists == other.exists && sha256.equals(other.sha256);
    }

    /** A short description for messages: "absent" or "123 bytes, sha256 0123456789ab…". */
    public String describe() {
        return exists ? content.length + " bytes, sha256 " + sha256.substring(0, 12) + "…" : "absent";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileSnapshot s && path.equals(s.path) && sameContentAs(s)
                && Objects.equals(lastModified, s.lastModified) && Objects.equals(fileKey, s.fileKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, exists, sha256);
    }

    @Override
    public String toString() {
        return "FileSnapshot[" + path + ", " + describe() + "]";
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
