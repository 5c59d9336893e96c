package dev.delegator.authorizedkeys;

import dev.delegator.keys.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Public keys of every type with the fingerprint {@code ssh-keygen -l} prints for them: made by
 * ssh-keygen in a temp dir (plain keys and certificates signed with a throwaway CA), and the sk-
 * keys from the committed fixture (they need a hardware token to generate).
 */
final class KeyFixtures {
    /** A public key line and ssh-keygen's fingerprint of it. */
    record Fixture(KeyType type, String line, String fingerprint) {
        @Override
        public String toString() {
            return type.sshName();
        }
    }

    private static Map<KeyType, Fixture> cache;

    private KeyFixtures() {}

    static synchronized Map<KeyType, Fixture> all() {
        if (cache == null) {
            cache = make();
        }
        return cache;
    }

    static Fixture of(KeyType t) {
        return all().get(t);
    }

    /** A fresh ed25519 key pair in {@code dir}; returns the private key path. */
    static Path newEd25519(Path dir, String name) {
        Path key = dir.resolve(name);
        Proc.ok("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString());
        return key;
    }

    private static Map<KeyType, Fixture> make() {
        dev.delegator.testkit.Prerequisites.requireCommand("ssh-keygen");
        Map<KeyType, Fixture> out = new LinkedHashMap<>();
        try {
            Path dir = Files.createTempDirectory("delegator-keyfixtures");
            Path ca = dir.resolve("ca");
            Proc.ok("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ca.toString());
            gen(out, dir, ca, KeyType.ED25519, KeyType.ED25519_CERT, "ed25519");
            gen(out, dir, ca, KeyType.ECDSA_NISTP256, KeyType.ECDSA_NISTP256_CERT, "ecdsa", "-b", "256");
            gen(out, dir, ca, KeyType.ECDSA_NISTP384, KeyType.ECDSA_NISTP384_CERT, "ecdsa", "-b", "384");
            gen(out, dir, ca, KeyType.ECDSA_NISTP521, KeyType.ECDSA_NISTP521_CERT, "ecdsa", "-b", "521");
            gen(out, dir, ca, KeyType.RSA, KeyType.RSA_CERT, "rsa", "-b", "3072");
            gen(out, dir, ca, KeyType.DSA, KeyType.DSA_CERT, "dsa");
            try (InputStream in = KeyFixtures.class.getResourceAsStream("sk-keys.txt")) {
                List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (l.startsWith("#") || l.isBlank()) {
                        continue;
                    }
                    String fp = lines.get(i + 1).replace("# fingerprint ", "");
                    KeyType t = KeyType.fromSshName(l.substring(0, l.indexOf(' '))).orElseThrow();
                    out.put(t, new Fixture(t, l, fp));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void gen(Map<KeyType, Fixture> out, Path dir, Path ca, KeyType plain, KeyType cert, String type, String... extra)
            throws IOException {
        Path key = dir.resolve(plain.name().toLowerCase());
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "fixture " + plain.name(), "-f", key.toString()));
        cmd.addAll(List.of(extra));
        Proc p = Proc.run(cmd);
        if (p.exit() != 0) {
            throw new IllegalStateException("ssh-keygen " + cmd + ": " + p.err());
        }
        Path pub = Path.of(key + ".pub");
        out.put(plain, new Fixture(plain, Files.readString(pub).strip(), fingerprint(pub)));
        Proc.ok("ssh-keygen", "-q", "-s", ca.toString(), "-I", "fixture", "-n", "delegate", pub.toString());
        Path certPub = Path.of(key + "-cert.pub");
        out.put(cert, new Fixture(cert, Files.readString(certPub).strip(), fingerprint(certPub)));
    }

    private static String fingerprint(Path pub) {
        return Proc.ok("ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString()).outText().split(" ")[1];
    }
}
