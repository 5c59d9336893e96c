package dev.delegator.cli.authorizedkeys;

import dev.delegator.authorizedkeys.AuthorizedKeyLine;
import dev.delegator.authorizedkeys.DelegationLine;
import dev.delegator.authorizedkeys.ExpirySpec;
import dev.delegator.authorizedkeys.UnsafeLineException;
import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code delegator authorized-keys line}: prints one restricted authorized_keys line for a delegation. */
@Command(
        name = "line",
        mixinStandardHelpOptions = true,
        description = {
            "Print one authorized_keys line for a key: always 'restrict' first, values quoted so sshd reads them exactly.",
            "Refuses (exit 2) values sshd would misread and options that weaken the line.",
        })
public final class AuthorizedKeysLineCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "PUBFILE", description = "The public key file (.pub).")
    Path key;

    @Option(names = "--command", paramLabel = "CMD", description = "The forced command (shell code for the delegate's login shell).")
    String command;

    @Option(names = "--from", paramLabel = "PATTERNS",
            description = "Comma-separated client addresses, CIDR networks or address wildcards (! negates).")
    String from;

    @Option(names = "--expires", paramLabel = "DATE",
            description = "When the key stops working: 2027-01-31, 2027-01-31T12:00 (UTC), or a duration such as 30d or 12h.")
    String expires;

    @Option(names = "--option", paramLabel = "OPT",
            description = "An extra option that only narrows the key: verify-required, touch-required, no-pty, …, cert-authority, principals=NAMES (with cert-authority).")
    List<String> options = List.of();

    @Option(names = "--allow-hostnames", description = "Accept host names in --from (they only match with UseDNS yes).")
    boolean allowHostnames;

    @Option(names = "--comment", paramLabel = "TEXT", description = "The comment after the key (default: the .pub file's comment).")
    String comment;

    @Override
    public Integer call() {
        String pub;
        try {
            pub = Files.readString(key, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, "cannot read public key " + key + ": " + e.getMessage());
        }
        DelegationLine.Builder b = DelegationLine.builder()
                .command(command)
                .comment(comment)
                .allowHostNamesInFrom(allowHostnames);
        try {
            b.publicKey(pub);
        } catch (UnsafeLineException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, key + ": " + e.getMessage());
        }
        try {
            if (from != null) {
                b.from(Arrays.asList(from.split(",", -1)));
            }
            if (expires != null) {
                b.expiry(ExpirySpec.parse(expires, Instant.now()));
            }
            for (String o : options) {
                b.option(DelegationLine.optionFromArgument(o));
            }
            AuthorizedKeyLine line = b.build();
            spec.commandLine().getOut().println(line.render());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (UnsafeLineException | IllegalArgumentException e) {
            throw new UserFacingException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
