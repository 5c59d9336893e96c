package dev.delegator.demo;

import dev.delegator.localsshd.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Shows that the caller's key is good for the deploy and nothing else, with the plain OpenSSH
 * client (what someone holding a leaked key would use), each as one ticked or crossed line.
 */
final class Proofs {
    /** One proof's result. */
    record Proof(boolean held, String text, List<String> evidence) {}

    private final SshClient ssh;
    private final String key;

    /** @param key how the lines name the key ("the caller's key") */
    Proofs(SshClient ssh, String key) {
        this.ssh = ssh;
        this.key = key;
    }

    /** An arbitrary command is refused by the dispatcher with exit 126. */
    Proof arbitraryCommandRejected() {
        Command.Result r = ssh.run(List.of(), "cat /etc/shadow");
        boolean held = r.status() == 126 && r.err().contains("request rejected");
        return new Proof(held, "an arbitrary command with " + key + " ('cat /etc/shadow') is rejected by the dispatcher (exit "
                + r.status() + (held ? "" : ", want 126") + ")", lines(r.err()));
    }

    /** A port forward (here stdio forwarding, ssh -W) is refused by sshd because of restrict. */
    Proof portForwardRefused(int targetPort) {
        Command.Result r = ssh.run(List.of("-W", "127.0.0.1:" + targetPort), null);
        boolean held = r.status() == 255 && r.err().contains("prohibited");
        return new Proof(held, "a port forward with " + key + " (ssh -W 127.0.0.1:" + targetPort + ") is refused"
                + (held ? "" : " (exit " + r.status() + ")"), lines(r.err()));
    }

    /** The same key from 127.0.0.2 does not log in: from= allows 127.0.0.1 and ::1 only. */
    Proof otherAddressRefused(String deployRequest) {
        Command.Result r = ssh.run(List.of("-b", "127.0.0.2"), deployRequest);
        boolean held = r.status() == 255 && r.err().contains("Permission denied");
        return new Proof(held, "a login with " + key + " from 127.0.0.2 is refused (from=)"
                + (held ? "" : " (exit " + r.status() + ")"), lines(r.err()));
    }

    /** The published page belongs to the delegate, not to the caller. */
    static Proof ranAsDelegate(Path page, String delegate, String caller) {
        String owner;
        try {
            owner = Files.readAttributes(page, PosixFileAttributes.class).owner().getName();
        } catch (IOException e) {
            return new Proof(false, "the deploy ran as " + delegate + ": " + page + " is missing", List.of());
        }
        boolean held = owner.equals(delegate) && !owner.equals(caller);
        return new Proof(held, "the deploy ran as the delegate " + delegate + ", not as the caller " + caller
                + " (" + page.getFileName() + " is owned by " + owner + ")", List.of());
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank()) {
                out.add(l.strip());
            }
        }
        return out;
    }
}
