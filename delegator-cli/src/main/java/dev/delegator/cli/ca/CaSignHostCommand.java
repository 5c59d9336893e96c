package dev.delegator.cli.ca;

import dev.delegator.ca.CaException;
import dev.delegator.ca.CertificateAuthority;
import dev.delegator.ca.HostCertificateSigned;
import dev.delegator.ca.HostSignRequest;
import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.keys.KeyFormatException;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.layout.Layout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code delegator ca sign-host PUBFILE NAME...}: a host certificate for a host's own key. */
@Command(
        name = "sign-host",
        mixinStandardHelpOptions = true,
        description = {
            "Sign a host's own public key (its /etc/ssh/ssh_host_ed25519_key.pub) with the host CA: a host certificate"
                    + " whose principals are the NAMEs (every name and address callers use for it, exact: no patterns),"
                    + " valid from 5 minutes ago for --validity, a new serial, key id host=NAME,serial=N, no critical options,"
                    + " no extensions. Writes PUBFILE's -cert.pub (or --out), which the host's sshd serves as HostCertificate"
                    + " (see hostCertificates.serve in the manifest), and appends the signature to DIR/signed.jsonl.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:certificate written",
            "2:bad arguments (validity, a NAME that cannot be a principal)",
            "3:invalid input: PUBFILE not a plain public key",
            "5:refused: no host CA in DIR (or DIR is a user CA), unsafe modes, or ssh-keygen's certificate differed from"
                    + " the request (nothing written)",
            "6:ssh-keygen failed",
        })
public final class CaSignHostCommand implements Callable<Integer> {
    private static final Validity VALIDITY = new Validity("ca sign-host", HostSignRequest.MIN_VALIDITY,
            HostSignRequest.MAX_VALIDITY, "12h or 30d", "1h to 366d");

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "The host CA directory (default: /var/lib/delegator/host-ca).")
    Path dir;

    @Option(names = "--validity", paramLabel = "DURATION", defaultValue = "30d",
            description = "How long the certificate is valid from now: Nh or Nd, 1h to 366d (default: ${DEFAULT-VALUE}).")
    String validity;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the certificate (default: PUBFILE with .pub replaced by -cert.pub).")
    Path out;

    @Parameters(index = "0", paramLabel = "PUBFILE", description = "The host's public key (.pub).")
    Path publicKeyFile;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME", description = "The host's names and addresses (the principals).")
    List<String> names;

    @Override
    public Integer call() throws IOException {
        Duration v = parseValidity(validity);
        for (String n : names) {
            HostSignRequest.nameProblem(n).ifPresent(p -> {
                throw new UserFacingException(ExitCodes.USAGE, "ca sign-host: " + p);
            });
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new UserFacingException(ExitCodes.USAGE, "ca sign-host: a NAME is given twice: " + names);
        }
        PublicKeyLine key;
        try {
            key = PublicKeyLine.read(publicKeyFile);
        } catch (NoSuchFileException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, "ca sign-host: " + publicKeyFile + " does not exist", e);
        } catch (KeyFormatException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, "ca sign-host: " + e.getMessage(), e);
        }
        Path target = out != null ? out : CaSignCommand.defaultCertificatePath(publicKeyFile);
        Path caDir = dir != null ? dir : Layout.system().hostCaDir();
        try {
            CertificateAuthority ca = CertificateAuthority.open(caDir);
            HostCertificateSigned c = ca.signHost(new HostSignRequest(names, key, v, target), Clock.systemUTC());
            PrintWriter w = spec.commandLine().getOut();
            w.println("signed " + target + ": host certificate, serial " + Long.toUnsignedString(c.serial()) + ", key id " + c.keyId()
                    + ", principals " + String.join(",", c.principals()) + ", valid " + c.validAfter() + " to " + c.validBefore());
            w.flush();
            return ExitCodes.OK;
        } catch (CaException e) {
            throw CaErrors.of("ca sign-host", e);
        }
    }

    static Duration parseValidity(String text) {
        return VALIDITY.parse(text);
    }
}
