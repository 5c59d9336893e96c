package dev.delegator.scripts;

import java.util.Arrays;
import java.util.Objects;

/**
 * One script of the delegate side as shipped in this jar: where it goes under
 * {@code /usr/lib/delegator} (or a test root), its bytes and the version from its
 * {@code # delegator-…-version: N} line. Installed root-owned with {@link #MODE}.
 *
 * @param installPath path relative to the install root, such as {@code dispatch} or
 *     {@code deploy/hg-deploy}; never absolute, never with a {@code ..} segment
 * @param content the script's bytes (copied on the way in and out)
 * @param version the script's version, at least 1
 */
public record BundledScript(String installPath, byte[] content, int version) {

    /** The mode every bundled script is installed with: root-owned, readable and executable by all. */
    public static final int MODE = 0755;

    public BundledScript {
        Objects.requireNonNull(installPath, "installPath");
        Objects.requireNonNull(content, "content");
        if (installPath.isEmpty() || installPath.startsWith("/")) {
            throw new IllegalArgumentException("installPath (" + installPath + ") must be a non-empty relative path");
        }
        for (String segment : installPath.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("installPath (" + installPath + ") has an empty, . or .. segment");
            }
        }
        if (version < 1) {
            throw new IllegalArgumentException("version (" + version + ") of " + installPath + " must be at least 1");
        }
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** True when {@code installed} is byte for byte this script: anything else is a stale or changed install. */
    public boolean sameContentAs(byte[] installed) {
        return Arrays.equals(content, installed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BundledScript other
                && installPath.equals(other.installPath)
                && version == other.version
                && Arrays.equals(content, other.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(installPath, version, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "BundledScript[" + installPath + ", version " + version + ", " + content.length + " bytes]";
    }
}
