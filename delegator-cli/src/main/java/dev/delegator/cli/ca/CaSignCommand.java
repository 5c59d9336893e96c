package dev.delegator.cli.ca;

import dev.delegator.ca.CaException;
import dev.delegator.ca.CertificateAuthority;
import dev.delegator.ca.SignRequest;
import dev.delegator.certificates.Principal;
import dev.delegator.certificates.UserCertificate;
import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.cli.provision.ProvisionOptions;
import dev.delegator.keys.KeyFormatException;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.manifest.Auth;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code delegator ca sign NAME PUBFILE}: a short-lived certificate for one caller key and one delegation. */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        description = {
            "Sign a caller's public key for delegation NAME (auth: certificate in the manifest): principal delegator:NAME,"
                    + " force-command identical to the principals line's command=, source-address from the delegation's from,"
                    + " no extensions, valid from 5 minutes ago (clock skew) for --validity, a new serial, key id"
                    + " delegation=NAME,caller=USER@HOST,serial=N. Writes PUBFILE's -cert.pub (or --out) and appends the"
                    + " signature to DIR/signed.jsonl.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:certificate written",
            "2:bad arguments (validity)",
            "3:invalid input: the manifest, NAME not a certificate delegation, a from that source-address cannot express, PUBFILE not a public key",
            "5:refused: no CA in DIR, unsafe modes, or ssh-keygen's certificate differed from the request (nothing written)",
            "6:ssh-keygen failed",
        })
public final class CaSignCommand implements Callable<Integer> {
    private static final Validity VALIDITY = new Validity("ca sign", CertificateAuthority.MIN_VALIDITY,
            CertificateAuthority.MAX_VALIDITY, "15m, 8h or 7d", "1m to 31d: certificates are short-lived by design");

    @Spec
    CommandSpec spec;

    @Mixin
    ProvisionOptions options;

    @Option(names = "--dir", paramLabel = "DIR", description = "The CA directory (default: /var/lib/delegator/ca, below --root if given).")
    Path dir;

    @Option(names = "--validity", paramLabel = "DURATION", defaultValue = "24h",
            description = "How long the certificate is valid from now: Nm, Nh or Nd, 1m to 31d (default: ${DEFAULT-VALUE}).")
    String validity;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the certificate (default: PUBFILE with .pub replaced by -cert.pub).")
    Path out;

    @Parameters(index = "0", paramLabel = "NAME", description = "The delegation.")
    String name;

    @Parameters(index = "1", paramLabel = "PUBFILE", description = "The caller's public key (.pub).")
    Path publicKeyFile;

    @Override
    public Integer call() throws IOException {
        Duration v = parseValidity(validity);
        Manifest m = options.load(spec.commandLine().getErr());
        Delegation d = m.delegation(name).orElseThrow(() -> new UserFacingException(ExitCodes.INVALID_INPUT,
                "ca sign: no delegation " + name + " in " + options.manifestPath()));
        if (d.auth() != Auth.CERTIFICATE) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, "ca sign: delegation " + name + " has auth: " + d.auth().spelling()
                    + "; set 'auth: certificate' in " + options.manifestPath() + " to sign certificates for it");
        }
        PublicKeyLine key;
        try {
            key = PublicKeyLine.read(publicKeyFile);
        } catch (NoSuchFileException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, "ca sign: " + publicKeyFile + " does not exist", e);
        } catch (KeyFormatException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, "ca sign: " + e.getMessage(), e);
        }
        Path target = out != null ? out : defaultCertificatePath(publicKeyFile);
        Path caDir = dir != null ? dir : options.layout().caDir();
        try {
            CertificateAuthority ca = CertificateAuthority.open(caDir);
            SignRequest r = new SignRequest(d.name(), d.caller().user() + "@" + d.caller().host(), Principal.ofDelegation(d.name()),
                    options.layout().forcedCommand(d.name()), d.from(), key, v, target);
            UserCertificate c = ca.sign(r, Clock.systemUTC());
            PrintWriter w = spec.commandLine().getOut();
            w.println("signed " + target + ": serial " + c.serialText() + ", key id " + c.keyId() + ", principal " + c.principals().get(0)
                    + ", valid " + c.validAfter() + " to " + c.validBefore().orElseThrow());
            w.flush();
            return ExitCodes.OK;
        } catch (CaException e) {
            throw CaErrors.of("ca sign", e);
        }
    }

    /** {@code id_ed25519.pub} -> {@code id_ed25519-cert.pub}, OpenSSH's convention, which {@code run} looks for. */
    static Path defaultCertificatePath(Path pub) {
        String n = pub.getFileName().toString();
        String base = n.endsWith(".pub") ? n.substring(0, n.length() - 4) : n;
        return pub.resolveSibling(base + "-cert.pub");
    }

    static Duration parseValidity(String text) {
        return VALIDITY.parse(text);
    }
}
