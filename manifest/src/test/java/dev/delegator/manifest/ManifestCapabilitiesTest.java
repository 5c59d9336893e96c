package dev.delegator.manifest;

import static dev.delegator.manifest.ManifestLoaderTest.GOOD;
import static dev.delegator.manifest.ManifestLoaderTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A verb's {@code capabilities}: read, refused when dangerous or unknown, refused with a user-namespace sandbox; always with the position. */
class ManifestCapabilitiesTest {
    private static final String RESTART = "restart: {run: /usr/local/sbin/restart-blog, args: ['blog']}";

    private static String withCaps(String list) {
        return GOOD.replace(RESTART, "restart: {run: /usr/local/sbin/restart-blog, args: ['blog'], capabilities: " + list + "}");
    }

    @Test
    @DisplayName("capabilities are read in the manifest's order; a verb without them has none")
    void read() throws ManifestException {
        Manifest m = ManifestLoader.parse(withCaps("[dac_read_search, net_bind_service]"), "m.yaml");
        assertEquals(List.of("dac_read_search", "net_bind_service"), m.delegation("web").orElseThrow().verbs().get("restart").capabilities());
        assertEquals(List.of(), m.delegation("blog").orElseThrow().verbs().get("deploy").capabilities());
    }

    @Test
    @DisplayName("a dangerous capability is refused at its position with the reason")
    void dangerousIsRefusedWithPosition() {
        ManifestProblem p = only(withCaps("[dac_read_search, sys_admin]"));
        assertEquals("m.yaml:27:100: delegations.web.verbs.restart.capabilities[1]: 'sys_admin' is refused:"
                + " mounts, namespaces, quotas and much more: root in all but name", p.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sys_admin", "sys_ptrace", "sys_module", "dac_override", "setuid", "setgid", "setpcap", "chown", "fowner",
        "sys_rawio", "bpf", "perfmon", "net_admin", "sys_boot", "mknod", "linux_immutable", "mac_admin", "mac_override", "sys_chroot",
        "audit_control", "setfcap", "sys_time", "sys_resource", "kill"})
    @DisplayName("every capability of the dangerous list is refused")
    void everyDangerousOneIsRefused(String cap) {
        ManifestProblem p = only(withCaps("[" + cap + "]"));
        assertEquals("delegations.web.verbs.restart.capabilities[0]", p.field(), p::toString);
        assertTrue(p.message().startsWith("'" + cap + "' is refused: "), p::toString);
        assertThrows(IllegalArgumentException.class, () -> new Verb("x", Path.of("/bin/true"), List.of(), List.of(cap)));
    }

    @Test
    @DisplayName("an unknown name is refused, with the spelling the kernel's name has when it is only the CAP_ prefix")
    void unknownIsRefused() {
        ManifestProblem p = only(withCaps("[CAP_DAC_READ_SEARCH]"));
        assertTrue(p.message().startsWith("'CAP_DAC_READ_SEARCH' is not a capability; write 'dac_read_search'; grantable: "), p::toString);
        assertTrue(only(withCaps("[read_everything]")).message().startsWith("'read_everything' is not a capability; grantable: audit_read, "));
        assertTrue(only(withCaps("[dac_read_search, dac_read_search]")).message().contains("listed twice"));
    }

    @Test
    @DisplayName("capabilities with filesystem: jail or network: none are refused at the verb's capabilities")
    void userNamespaceSandboxesAreRefused() {
        String blogCaps = GOOD.replace("rollback: {run: /usr/lib/delegator/deploy/rollback}",
                "rollback: {run: /usr/lib/delegator/deploy/rollback, capabilities: [dac_read_search]}");
        ManifestProblem none = only(blogCaps);
        assertEquals("m.yaml:14:73: delegations.blog.verbs.rollback.capabilities: capabilities cannot combine with 'sandbox: {network: none}'"
                + " (it needs a user namespace, in which capabilities are not real ones); remove one of them", none.toString());
        ManifestProblem jail = only(blogCaps.replace("network: none,", "network: full,").replace("filesize: 1G}", "filesize: 1G, filesystem: jail}"));
        assertTrue(jail.toString().startsWith("m.yaml:14:73: delegations.blog.verbs.rollback.capabilities: capabilities cannot combine with"
                + " 'sandbox: {filesystem: jail}'"), jail::toString);
    }

    @Test
    @DisplayName("network: loopback is read, and capabilities combine with it (no user namespace is involved)")
    void loopback() throws ManifestException {
        Delegation blog = ManifestLoader.parse(GOOD.replace("network: none,", "network: loopback,").replace(
                "rollback: {run: /usr/lib/delegator/deploy/rollback}", "rollback: {run: /usr/lib/delegator/deploy/rollback, capabilities: [net_bind_service]}"),
                "m.yaml").delegation("blog").orElseThrow();
        assertEquals(Sandbox.Network.LOOPBACK, blog.sandbox().network());
        assertEquals(List.of("net_bind_service"), blog.verbs().get("rollback").capabilities());
    }

    @Test
    @DisplayName("the grantable list is the known list without the dangerous one (README and schema: ManifestSchemaTest)")
    void grantable() {
        assertEquals(java.util.Set.of("dac_read_search", "net_bind_service", "net_broadcast", "net_raw", "ipc_lock", "sys_nice", "sys_tty_config",
                "lease", "audit_write", "wake_alarm", "block_suspend", "audit_read"), Capabilities.grantable());
        assertTrue(Capabilities.KNOWN.containsAll(Capabilities.DANGEROUS.keySet()));
    }
}
