package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The AuthorizedKeysFile expansion verify uses to find what sshd reads (sshd_config(5), TOKENS). */
class HostViewTest {
    @Test
    void patternsExpandAsSshdDoes() {
        Path home = Path.of("/home/dlg");
        assertEquals(Path.of("/etc/delegator/authorized_keys/dlg"), HostView.expand("/etc/delegator/authorized_keys/%u", "dlg", home));
        assertEquals(Path.of("/home/dlg/.ssh/authorized_keys"), HostView.expand(".ssh/authorized_keys", "dlg", home));
        assertEquals(Path.of("/home/dlg/keys"), HostView.expand("%h/keys", "dlg", home));
        assertEquals(Path.of("/k/100%/dlg"), HostView.expand("/k/100%%/%u", "dlg", home));
    }
}
