package dev.delegator.dispatchconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.layout.Layout;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sudoers rule of a delegation with capabilities, and the cap lines of its dispatcher config. */
class SudoersRuleTest {
    private static Delegation backup() throws Exception {
        return ManifestLoader.parse("""
                version: 1
                delegations:
                  backup:
                    caller: {user: hg}
                    delegate: {user: dlg-backup, home: /var/lib/dlg-backup}
                    hosts: [localhost]
                    verbs:
                      backup: {run: /usr/local/sbin/backup, args: ['[a-z]+'], capabilities: [dac_read_search, net_bind_service]}
                      status: {run: /usr/local/sbin/status}
                """, "m.yaml").delegations().get(0);
    }

    @Test
    @DisplayName("the rule allows the delegate exactly the dispatcher's --grant for this delegation, keeping only the request and the client address")
    void rendersTheRule() throws Exception {
        assertEquals("""
                # written by delegator apply for delegation backup; do not edit (delegator revoke removes it)
                # dlg-backup may run the dispatcher's privileged step for this delegation, which checks the
                # request again and runs only a verb with capabilities, as dlg-backup, with exactly those.
                Defaults!/usr/lib/delegator/dispatch env_keep = "SSH_ORIGINAL_COMMAND SSH_CONNECTION", !use_pty
                dlg-backup ALL=(root) NOPASSWD: /usr/lib/delegator/dispatch --grant backup
                """, SudoersRule.render(backup(), Layout.system()));
        assertTrue(SudoersRule.render(backup(), Layout.under(Path.of("/srv/t")))
                .contains("NOPASSWD: /srv/t/usr/lib/delegator/dispatch --grant --conf-dir /srv/t/etc/delegator/dispatch backup\n"));
    }

    @Test
    @DisplayName("visudo -cf accepts the rendering")
    void visudoAccepts(@TempDir Path dir) throws Exception {
        Prerequisites.requireCommand("visudo");
        Path f = Files.writeString(dir.resolve("rule"), SudoersRule.render(backup(), Layout.system()));
        assertEquals(0, ExternalCommand.run("visudo", "-cf", f.toString()).exitCode());
        // the control: visudo refuses a broken rule
        Files.writeString(f, "dlg-backup ALL=(root) NOPASSWD /usr/lib/delegator/dispatch\n");
        assertEquals(1, ExternalCommand.run("visudo", "-cf", f.toString()).exitCode());
    }

    @Test
    @DisplayName("a layout path sudoers would read as syntax is refused; a delegation without capabilities needs no rule")
    void refusals() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SudoersRule.render(backup(), Layout.under(Path.of("/srv/a,b"))));
        assertTrue(e.getMessage().startsWith("sudoers command word (/srv/a,b/usr/lib/delegator/dispatch) must match"), e::getMessage);
        assertTrue(SudoersRule.needed(backup()));
        Delegation plain = ManifestLoader.parse(ManifestLoaderFixture.PLAIN, "m.yaml").delegations().get(0);
        assertFalse(SudoersRule.needed(plain));
    }

    @Test
    @DisplayName("the dispatcher config gets one cap line per capability, after the verb's arg lines")
    void capLines() throws Exception {
        String conf = DispatchConfig.render(backup(), "/etc/delegator/delegations.yaml");
        assertTrue(conf.contains("verb backup /usr/local/sbin/backup\narg backup [a-z]+\ncap backup dac_read_search\ncap backup net_bind_service\n"
                + "verb status /usr/local/sbin/status\n"), conf);
    }

    @Test
    @DisplayName("network loopback is written as the dispatcher reads it")
    void loopbackLine() throws Exception {
        Delegation d = ManifestLoader.parse(ManifestLoaderFixture.PLAIN + "    sandbox: {network: loopback}\n", "m.yaml").delegations().get(0);
        assertTrue(DispatchConfig.render(d, "/m.yaml").contains("\nsandbox network loopback\n"));
    }

    private static final class ManifestLoaderFixture {
        static final String PLAIN = """
                version: 1
                delegations:
                  plain:
                    caller: {user: hg}
                    delegate: {user: dlg-plain, home: /var/lib/dlg-plain}
                    hosts: [localhost]
                    verbs:
                      status: {run: /usr/local/sbin/status}
                """;
    }
}
