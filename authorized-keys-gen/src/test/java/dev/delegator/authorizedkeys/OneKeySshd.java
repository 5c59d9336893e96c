package dev.delegator.authorizedkeys;

import dev.delegator.testkit.OpenSshClient;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.PrivateSshd;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUser;
import dev.delegator.testkit.TestUsers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What the differential tests against the real sshd share: one private sshd on 127.0.0.1 reading a
 * root-owned 0644 authorized_keys file under a root-owned 0755 directory ({@code keys/%u}, so
 * StrictModes accepts it), one real throwaway account, and the OpenSSH client with one ed25519 key
 * and strict host-key checking. Tests write the file's content with {@link #install}.
 */
final class OneKeySshd implements AutoCloseable {
    final TestRoot root;
    final TestUsers users;
    final TestUser user;
    final PrivateSshd sshd;
    final OpenSshClient client;
    final Path keysFile;
    /** The client's public key line, without comment. */
    final String pub;

    private OneKeySshd(TestRoot root, TestUsers users, TestUser user, PrivateSshd sshd, OpenSshClient client, Path keysFile,
            String pub) {
        this.root = root;
        this.users = users;
        this.user = user;
        this.sshd = sshd;
        this.client = client;
        this.keysFile = keysFile;
        this.pub = pub;
    }

    /**
     * @param rootName the test root's name
     * @param userPrefix the throwaway account's name prefix
     * @param clientDir where the client's key and known_hosts go; null for {@code client/} below the test root
     */
    static OneKeySshd start(String rootName, String userPrefix, Path clientDir) throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("sshd", "ssh", "ssh-keygen");
        TestRoot root = TestRoot.create(rootName);
        TestUsers users = new TestUsers();
        PrivateSshd sshd = null;
        try {
            TestUser user = users.create(userPrefix, root.resolve("home"));
            Path keys = Files.createDirectory(root.resolve("keys"));
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxr-xr-x"));
            sshd = PrivateSshd.builder(root.resolve("sshd")).authorizedKeysFile(keys + "/%u").start();
            Path dir = clientDir != null ? clientDir : Files.createDirectory(root.resolve("client"));
            Path key = KeyFixtures.newEd25519(dir, "id_ed25519");
            String pub = Files.readString(Path.of(key + ".pub")).strip();
            OpenSshClient client = new OpenSshClient(sshd.port(), user.name(), key, sshd.writeKnownHosts(dir.resolve("known_hosts")));
            return new OneKeySshd(root, users, user, sshd, client, keys.resolve(user.name()), pub);
        } catch (IOException | RuntimeException | Error e) {
            // nothing of a half-started fixture is left behind
            if (sshd != null) {
                sshd.close();
            }
            users.close();
            root.close();
            throw e;
        }
    }

    /** Replaces the account's authorized_keys file with {@code content} (root 0644). */
    void install(String content) throws IOException {
        Files.writeString(keysFile, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(keysFile, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Override
    public void close() {
        sshd.close();
        users.close();
        root.close();
    }
}
