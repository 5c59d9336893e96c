package dev.delegator.sshdconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.delegator.layout.Layout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DropInTest {
    @Test
    void matchesTheDelegatorGroupWithTheCentralKeysFile() {
        assertEquals("""
                # written by delegator apply; do not edit (see /etc/delegator/delegations.yaml)
                Match Group delegator
                    AuthorizedKeysFile /etc/delegator/authorized_keys/%u
                    AuthenticationMethods publickey
                    DisableForwarding yes
                    PermitTTY no
                    PermitUserRC no
                    AcceptEnv DELEGATOR_ACCEPTS_NO_CLIENT_ENVIRONMENT
                """, DropIn.render(Layout.system()));
    }

    @Test
    void dropInSitsBesideTheConfig() {
        assertEquals(Path.of("/etc/ssh/sshd_config.d/50-delegator.conf"), SshdPaths.system().dropIn());
        assertEquals(Path.of("/x/sshd_config.d/50-delegator.conf"), new SshdPaths(Path.of("/x/sshd_config"), SshdPaths.DEFAULT_BINARY).dropIn());
    }

    @Test
    void forcedCommandNamesTheConfDirOnlyWhenNotTheSystemOne() {
        assertEquals("/usr/lib/delegator/dispatch blog", Layout.system().forcedCommand("blog"));
        assertEquals("/r/usr/lib/delegator/dispatch --conf-dir /r/etc/delegator/dispatch blog", Layout.under(Path.of("/r")).forcedCommand("blog"));
    }
}
