package dev.delegator.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of a plan: what changes, and why (the drift found, or "new").
 *
 * @param category the group it is shown in
 * @param action create, update or remove
 * @param subject what it is about: a path, an account, "line for blog in /etc/delegator/authorized_keys/dlg-blog"
 * @param reason why: "missing", "mode 0664, want 0644", "line edited by hand", "delegation no longer in the manifest"
 * @param delegation the delegation it belongs to, when it belongs to one
 */
public record Change(Category category, Action action, String subject, String reason, Optional<String> delegation) {
    public Change {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(delegation, "delegation");
    }

    public static Change of(Category c, Action a, String subject, String reason, String delegation) {
        return new Change(c, a, subject, reason, Optional.ofNullable(delegation));
    }

    /** {@code + subject (reason)}. */
    public String display() {
        return action.sign() + " " + subject + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
