package dev.delegator.cli.keys;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.keys.GeneratedKeyPair;
import dev.delegator.keys.KeyFileExistsException;
import dev.delegator.keys.KeyFiles;
import dev.delegator.keys.KeySpec;
import dev.delegator.keys.GeneratedKeyType;
import dev.delegator.keys.SshKeyGenerator;
import dev.delegator.keys.WriteMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code delegator keygen}: writes a new passwordless key pair, PATH (0600) and PATH.pub (0644). */
@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        description = {
            "Generate a passwordless SSH key pair for a delegation: PATH (OpenSSH private key format, mode 0600)"
                    + " and PATH.pub (mode 0644), each written atomically. Prints the fingerprint line exactly as"
                    + " ssh-keygen -l -f PATH would.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:key pair written",
            "2:bad arguments (type, size, comment, --out directory missing or not writable); nothing written",
            "5:PATH or PATH.pub exists and --force was not given; nothing written",
        })
public final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--type", paramLabel = "ed25519|ecdsa|rsa", defaultValue = "ed25519",
            description = "Key type (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--bits", paramLabel = "N",
            description = "Key size: ecdsa 256 (default), 384 or 521; rsa 3072 (default) to 16384; ignored for ed25519.")
    Integer bits;

    @Option(names = "--out", paramLabel = "PATH", required = true,
            description = "Private key file to write; the public key goes to PATH.pub. Its directory must exist.")
    Path out;

    @Option(names = "--comment", paramLabel = "C", defaultValue = "",
            description = "Comment stored in the key and the .pub line (default: none).")
    String comment;

    @Option(names = "--force", description = "Replace PATH and PATH.pub if they exist.")
    boolean force;

    @Option(names = "--json", description = "Print the result as JSON instead of the fingerprint line.")
    boolean json;

    @Override
    public Integer call() {
        KeySpec keySpec;
        try {
            keySpec = new KeySpec(GeneratedKeyType.parse(type), bits == null ? 0 : bits);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCodes.USAGE, "keygen: " + e.getMessage());
        }
        try {
            SshKeyGenerator.requireValidComment(comment);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCodes.USAGE, "keygen: --comment: " + e.getMessage());
        }
        Path privateKey = out.toAbsolutePath().normalize();
        WriteMode mode = force ? WriteMode.OVERWRITE : WriteMode.CREATE_NEW;
        try {
            KeyFiles.checkWritable(privateKey, mode); // before generating: a large rsa key takes a while
            GeneratedKeyPair pair = SshKeyGenerator.generate(keySpec, comment);
            KeyFiles.writeKeyPair(privateKey, pair, mode, Optional.empty());
            PrintWriter w = spec.commandLine().getOut();
            w.println(json ? KeygenJson.of(privateKey, KeyFiles.publicKeyPath(privateKey), pair) : pair.fingerprintLine(KeyFiles.publicKeyPath(privateKey)));
            w.flush();
            return ExitCodes.OK;
        } catch (KeyFileExistsException e) {
            throw new UserFacingException(ExitCodes.REFUSED, "keygen: " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UserFacingException(ExitCodes.USAGE, "keygen: --out: " + e.getReason(), e);
        } catch (IOException e) {
            throw new UserFacingException(ExitCodes.USAGE, "keygen: cannot write " + privateKey + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }
}
