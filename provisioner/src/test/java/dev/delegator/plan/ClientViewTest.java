package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.manifest.Manifest;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.OpenSshClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What OpenSSH's own client shows for requests a delegate refuses, as README states it: the real
 * sshd, a delegate made by apply and the real dispatcher. A verb that leaves a marker shows whether
 * the request ran.
 */
class ClientViewTest {
    ProvisionFixture fx;
    String name;
    String delegate;
    Path marker;
    OpenSshClient client;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ProvisionFixture();
        name = ProvisionFixture.randomName("t");
        delegate = fx.delegate();
        Path srv = fx.root.resolve("srv").resolve(name);
        marker = srv.resolve("marker");
        Path verb = fx.root.resolve("verbs").resolve("mark");
        Files.writeString(verb, "#!/bin/sh\necho \"marked $1\"\necho \"$1\" > " + marker + "\n");
        Files.setPosixFilePermissions(verb, FileStatus.perms(0755));
        Manifest m = fx.manifest(fx.delegation(name, delegate)
                .replace("      hello: {run: " + fx.verbScript + ", args: ['[a-z]{1,16}']}\n",
                        "      mark: {run: " + verb + ", args: ['[a-z]{1,16}']}\n"));
        Applier.apply(m, fx.target(), new Applier.Options(true, java.time.Duration.ofMinutes(1), Progress.NONE));
        for (int i = 0; i < 400 && fx.sshd.logText().split("Server listening on 127.0.0.1", -1).length - 1 < 2; i++) {
            Thread.sleep(50);
        }
        client = new OpenSshClient(fx.sshd.port(), delegate, fx.layout().callerKey(fx.caller.name(), name),
                fx.layout().callerKnownHosts(fx.caller.name(), name));
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void sshWithAForcedPtyExits255AfterSshdStartedTheForcedCommand() throws Exception {
        int before = fx.sshd.logText().split("Starting session: forced-command", -1).length;
        CommandResult r = ApplyTest.ssh(client, List.of("-tt"), "mark pty");
        assertEquals(255, r.exitCode(), r::toString);
        assertEquals("PTY allocation request failed on channel 0\r\n", r.stderr());
        assertEquals("", r.stdout(), "the client left before any output");
        // sshd refused the pty but still started the forced command: the request reached the dispatcher
        assertEquals(before + 1, fx.sshd.logText().split("Starting session: forced-command", -1).length, fx.sshd::logText);
    }

    @Test
    void anSftpRejectionShowsTheClientNoStderrLine() throws Exception {
        CommandResult r = ApplyTest.ssh(client, List.of("-s"), "sftp");
        assertEquals(126, r.exitCode(), r::toString);
        assertEquals("", r.stderr(), "sshd discards a subsystem's stderr");
        assertFalse(Files.exists(marker));
        // the same rejection of an exec request does show its line
        CommandResult exec = ApplyTest.ssh(client, "mark x;id");
        assertEquals(126, exec.exitCode(), exec::toString);
        assertTrue(exec.stderr().startsWith("delegator: request rejected: "), exec::toString);
    }
}
