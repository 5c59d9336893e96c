package dev.delegator.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedResource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The restricted client's key exchanges")
class RestrictedClientTest {
    @Test
    @DisplayName("offer mlkem768x25519-sha256 first: MINA drops a factory whose crypto is missing without a word, so this checks the bundled BouncyCastle provides it")
    void offersTheHybridFirst() {
        SshClient client = RestrictedClient.create();
        List<String> offered = NamedResource.getNameList(client.getKeyExchangeFactories());
        assertEquals(List.of("mlkem768x25519-sha256", "curve25519-sha256", "curve25519-sha256@libssh.org",
                "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group16-sha512",
                "diffie-hellman-group14-sha256"), offered);
    }
}
