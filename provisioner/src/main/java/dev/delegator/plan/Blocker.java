package dev.delegator.plan;

import java.util.Objects;

/**
 * Something that stops apply before it changes anything: an account delegator did not create, a
 * caller user that does not exist, a group nobody declared, a resource that is a symlink.
 *
 * @param kind decides the exit code
 * @param message one line: what and what to do
 */
public record Blocker(Kind kind, String message) {
    public enum Kind {
        /** Refused for safety (foreign account, symlink, duplicate key): exit REFUSED. */
        REFUSED,
        /** The machine lacks something the admin must provide (caller user, group): exit REFUSED as well. */
        MISSING_PREREQUISITE,
        /** sshd's config does not take the drop-in: exit SYSTEM_TOOL_FAILED. */
        SYSTEM
    }

    public Blocker {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
