package dev.delegator.localsshd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which of sshd's processes are a connection's, by executable, in OpenSSH 9.2's and 9.8+'s layouts. */
class SessionProcessNamesTest {

    @Test
    void sshdAndSshdSessionAreSessionProcessesSshdAuthIsNot() {
        assertTrue(LocalSshd.isSessionExecutable("/usr/sbin/sshd"), "OpenSSH up to 9.7");
        assertTrue(LocalSshd.isSessionExecutable("/usr/lib/openssh/sshd-session"), "OpenSSH 9.8 and later");
        assertFalse(LocalSshd.isSessionExecutable("/usr/lib/openssh/sshd-auth"), "10.0's pre-auth process ends at login");
        assertFalse(LocalSshd.isSessionExecutable("/usr/bin/sshd-keygen"), "only the exact names");
    }
}
