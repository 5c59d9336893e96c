package dev.delegator.cli.ca;

import dev.delegator.ca.CaException;
import dev.delegator.ca.CertificateAuthority;
import dev.delegator.ca.Revocation;
import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.keys.KeyFormatException;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.layout.Layout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code delegator ca revoke}: adds a serial, a key id or a key to the CA's KRL. */
@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = {
            "Add one revocation to DIR/revoked.krl with ssh-keygen -k -u (OpenSSH's own KRL writer), atomically: a serial or"
                    + " key id of this CA's certificates, or a key (a caller key, a certificate, or a CA key: revoking a CA key"
                    + " refuses every certificate it signed). Delegate hosts refuse them once apply installed the KRL"
                    + " (the manifest's ca.krl).",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:revoked",
            "2:bad arguments (none or several of --serial, --key-id, --key; serial 0)",
            "3:PUBFILE is not a public key",
            "5:no CA in DIR, or unsafe modes",
            "6:ssh-keygen failed; the KRL is unchanged",
        })
public final class CaRevokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "The CA directory (default: /var/lib/delegator/ca).")
    Path dir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--serial", paramLabel = "N", description = "Revoke this CA's certificates with serial N.")
        Long serial;

        @Option(names = "--key-id", paramLabel = "ID", description = "Revoke this CA's certificates with key id ID.")
        String keyId;

        @Option(names = "--key", paramLabel = "PUBFILE", description = "Revoke the key (or certificate, or CA key) in PUBFILE.")
        Path key;
    }

    @Override
    public Integer call() throws IOException {
        Revocation r;
        try {
            if (what.serial != null) {
                r = new Revocation.Serial(what.serial);
            } else if (what.keyId != null) {
                r = new Revocation.KeyId(what.keyId);
            } else {
                r = new Revocation.Key(PublicKeyLine.read(what.key));
            }
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCodes.USAGE, "ca revoke: " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, "ca revoke: " + what.key + " does not exist", e);
        } catch (KeyFormatException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, "ca revoke: " + e.getMessage(), e);
        }
        Path d = dir != null ? dir : Layout.system().caDir();
        try {
            CertificateAuthority ca = CertificateAuthority.open(d);
            ca.revoke(r);
            PrintWriter out = spec.commandLine().getOut();
            out.println("revoked " + r.describe() + " in " + ca.krlFile() + "; apply on the delegate hosts installs it (manifest ca.krl)");
            out.flush();
            return ExitCodes.OK;
        } catch (CaException e) {
            throw CaErrors.of("ca revoke", e);
        }
    }
}
