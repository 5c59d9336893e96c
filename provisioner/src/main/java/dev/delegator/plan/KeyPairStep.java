package dev.delegator.plan;

import dev.delegator.files.FileOwner;
import dev.delegator.keys.GeneratedKeyPair;
import dev.delegator.keys.KeyFiles;
import dev.delegator.keys.KeySpec;
import dev.delegator.keys.SshKeyGenerator;
import dev.delegator.keys.WriteMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Generates the caller's ed25519 key of a delegation (private key 0600, then {@code .pub}). */
record KeyPairStep(String delegation, Path privateKey, FileOwner owner) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(Change.of(Category.KEYS, Action.CREATE, "key " + privateKey, "ed25519, owned by " + owner.user(), delegation));
    }

    @Override
    public void execute(Execution ex) throws IOException {
        GeneratedKeyPair pair = SshKeyGenerator.generate(KeySpec.ed25519(), owner.user() + "@delegator:" + delegation);
        KeyFiles.writeKeyPair(privateKey, pair, WriteMode.OVERWRITE, Optional.of(owner), ex.directorySync());
    }
}
