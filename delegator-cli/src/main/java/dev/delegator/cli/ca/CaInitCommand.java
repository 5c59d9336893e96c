package dev.delegator.cli.ca;

import dev.delegator.ca.CaException;
import dev.delegator.ca.CertificateAuthority;
import dev.delegator.cli.ExitCodes;
import dev.delegator.layout.Layout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code delegator ca init}: creates the CA key and prints its public key. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Create the user CA: an ed25519 key DIR/ca_ed25519 (mode 0600) in DIR (mode 0700), made by ssh-keygen."
                    + " Prints the public key line to list under ca.keys in the manifest. Keep DIR on the admin or CI-controller"
                    + " machine: whoever reads the key can sign certificates for every delegation.",
            "With --host: the host CA instead (default DIR /var/lib/delegator/host-ca), a key apart from the user CA that"
                    + " only signs host certificates (ca sign-host); list its public key under hostCertificates.authorities.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:CA created; its public key printed",
            "2:bad arguments",
            "5:DIR already holds a CA key (without --next) or none (with --next), or DIR is readable by others; nothing changed",
            "6:ssh-keygen failed",
        })
public final class CaInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "The CA directory (default: /var/lib/delegator/ca;"
            + " with --host /var/lib/delegator/host-ca).")
    Path dir;

    @Option(names = "--host", description = "The host CA: signs host certificates only (ca sign-host), never caller certificates.")
    boolean host;

    @Option(names = "--next", description = "Rotation: make the next CA key (DIR/ca_ed25519-N) beside the current ones;"
            + " ca sign uses it from now on. List both keys under ca.keys until the old certificates have expired.")
    boolean next;

    @Option(names = "--comment", paramLabel = "C", description = "The key's comment (default: delegator-ca; with --host delegator-host-ca).")
    String comment;

    @Override
    public Integer call() throws IOException {
        Path d = dir != null ? dir : host ? Layout.system().hostCaDir() : Layout.system().caDir();
        if (comment == null) {
            comment = host ? "delegator-host-ca" : "delegator-ca";
        }
        try {
            dev.delegator.keys.SshKeyGenerator.requireValidComment(comment);
        } catch (IllegalArgumentException e) {
            throw new dev.delegator.cli.UserFacingException(ExitCodes.USAGE, "ca init: --comment: " + e.getMessage());
        }
        try {
            PrintWriter out = spec.commandLine().getOut();
            if (next) {
                CertificateAuthority ca = CertificateAuthority.open(d);
                if (ca.isHostCa() != host) {
                    throw new dev.delegator.cli.UserFacingException(ExitCodes.REFUSED, "ca init --next: " + d + " is a "
                            + (ca.isHostCa() ? "host CA: add --host" : "user CA: drop --host") + "; nothing changed");
                }
                out.println(ca.next(comment).toLine());
            } else {
                out.println(CertificateAuthority.init(d, comment, host).publicKey().toLine());
            }
            out.flush();
            return ExitCodes.OK;
        } catch (CaException e) {
            throw CaErrors.of("ca init", e);
        }
    }
}
