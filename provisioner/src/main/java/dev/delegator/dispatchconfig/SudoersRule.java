package dev.delegator.dispatchconfig;

import dev.delegator.layout.Layout;
import dev.delegator.manifest.Delegation;
import java.util.regex.Pattern;

/**
 * Renders the sudoers file ({@code /etc/sudoers.d/delegator-<name>}) that lets a delegation's
 * delegate run the dispatcher's privileged step, and nothing else: exactly
 * {@link Layout#grantCommand}, no argument of the delegate's choosing (sudo matches a command
 * with arguments exactly). sudo's {@code env_reset} clears the environment; the rule keeps only
 * {@code SSH_ORIGINAL_COMMAND} (the request, which the dispatcher checks again against the
 * root-owned config) and {@code SSH_CONNECTION} (the client address, for the log), and no pty, so
 * the dispatcher still sees the channel's stdin (its cancel signal).
 */
public final class SudoersRule {
    /** What sudoers reads as plain words in a command line: no escapes needed, no aliases, no globs. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/+-]+");

    private SudoersRule() {}

    /**
     * The file's text.
     *
     * @throws IllegalArgumentException if a path of the layout holds a character sudoers would read
     *     as syntax (the system layout never does)
     */
    public static String render(Delegation d, Layout layout) {
        String dispatcher = layout.dispatcher().toString();
        String command = layout.grantCommand(d.name());
        for (String word : command.split(" ")) {
            if (!PLAIN.matcher(word).matches()) {
                throw new IllegalArgumentException("sudoers command word (" + word + ") must match " + PLAIN.pattern());
            }
        }
        return "# written by delegator apply for delegation " + d.name() + "; do not edit (delegator revoke removes it)\n"
                + "# " + d.delegate().user() + " may run the dispatcher's privileged step for this delegation, which checks the\n"
                + "# request again and runs only a verb with capabilities, as " + d.delegate().user() + ", with exactly those.\n"
                + "Defaults!" + dispatcher + " env_keep = \"SSH_ORIGINAL_COMMAND SSH_CONNECTION\", !use_pty\n"
                + d.delegate().user() + " ALL=(root) NOPASSWD: " + command + "\n";
    }

    /** True when some verb of {@code d} has capabilities: only then is there a rule. */
    public static boolean needed(Delegation d) {
        return d.verbs().values().stream().anyMatch(v -> !v.capabilities().isEmpty());
    }
}
