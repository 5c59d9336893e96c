package dev.delegator.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** delegator run with a certificate delegation whose certificate has expired: one line, exit 255, nothing sent. */
class RunCertificateTest {
    @Test
    void anExpiredCertificateFailsBeforeConnectingWithTheCommandThatRenewsIt() throws Exception {
        try (Delegates d = Delegates.start("cert", 1)) {
            Path ca = d.root.resolve("ca");
            ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ca.toString());
            Path manifest = d.manifest();
            String text = Files.readString(manifest)
                    .replace("version: 1\n", "version: 1\nca:\n  keys: ['" + Files.readString(Path.of(ca + ".pub")).strip() + "']\n")
                    .replace("    from: [\"127.0.0.1\"]\n", "    from: [\"127.0.0.1\"]\n    auth: certificate\n");
            Files.writeString(manifest, text);
            ExternalCommand.check("ssh-keygen", "-q", "-s", ca.toString(), "-I", "old", "-n", "delegator:cert", "-z", "3",
                    "-V", "20260101000000Z:20260101010000Z", "-O", "clear", d.key + ".pub");
            Path cert = Path.of(d.key + "-cert.pub");
            List<String> a = new ArrayList<>(List.of("run"));
            a.addAll(d.layoutOptions());
            a.addAll(List.of("cert", "deploy", RunCommandTest.NODE));
            CommandResult r = d.delegator(Map.of(), null, a.toArray(String[]::new));
            assertEquals(255, r.exitCode(), r.toString());
            assertEquals("delegator: certificate " + cert + " (old) expired at 2026-01-01T01:00:00Z; renew with delegator ca sign cert "
                    + d.key + ".pub\n", r.stderr());
            assertFalse(d.servers.get(0).logText().contains("Connection from"), "nothing was sent: " + d.servers.get(0).logText());

            Files.delete(cert);
            CommandResult missing = d.delegator(Map.of(), null, a.toArray(String[]::new));
            assertEquals(255, missing.exitCode(), missing.toString());
            assertEquals("delegator: certificate " + cert + " does not exist; sign one with delegator ca sign cert " + d.key + ".pub\n",
                    missing.stderr());
        }
    }
}
