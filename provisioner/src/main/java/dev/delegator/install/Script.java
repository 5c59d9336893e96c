package dev.delegator.install;

import java.util.Arrays;
import java.util.Objects;

/**
 * A script delegator installs: its path relative to {@code /usr/lib/delegator} ({@code dispatch},
 * {@code deploy/hg-deploy}) and its bytes.
 */
public record Script(String relativePath, byte[] content) {
    public Script {
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(content, "content");
        if (!relativePath.matches("[a-z][a-z0-9_-]*(/[a-z][a-z0-9_.-]*)?")) {
            throw new IllegalArgumentException("script path (" + relativePath + ") must be NAME or DIR/NAME");
        }
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Script s && s.relativePath.equals(relativePath) && Arrays.equals(s.content, content);
    }

    @Override
    public int hashCode() {
        return relativePath.hashCode() * 31 + Arrays.hashCode(content);
    }
}
