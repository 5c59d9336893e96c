package dev.delegator.plan;

import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.keys.KeyFiles;
import dev.delegator.keys.PublicKeyLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites a missing or wrong {@code .pub} from the private key (an apply killed between writing
 * the two files leaves the private key alone): the key stays the same, so remote hosts that
 * already trust it keep working.
 */
record DerivePublicKeyStep(String delegation, Path privateKey, FileOwner owner, String reason) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(Change.of(Category.KEYS, Action.UPDATE, "key " + KeyFiles.publicKeyPath(privateKey), reason, delegation));
    }

    @Override
    public void execute(Execution ex) throws IOException {
        KeyPair kp = KeyFiles.loadPrivateKey(privateKey);
        String line = PublicKeyLine.of(kp.getPublic(), owner.user() + "@delegator:" + delegation).toLine() + "\n";
        Path pub = KeyFiles.publicKeyPath(privateKey);
        AtomicFile.replace(pub, line.getBytes(StandardCharsets.UTF_8), Optional.of(owner), KeyFiles.PUBLIC_MODE, AtomicFile.read(pub), ex.fileLockWait());
    }
}
