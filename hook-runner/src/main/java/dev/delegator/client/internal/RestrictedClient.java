package dev.delegator.client.internal;

import dev.delegator.client.RunOptions;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Builds the one SshClient configuration delegator uses: nothing read from the user's ~/.ssh
 * (no config file, no default identities, no agent), publickey authentication only, the pinned
 * host-key verifier, and a short list of modern algorithms that OpenSSH 8+ offers. The short
 * lists are also about startup time: every factory MINA sets up by default loads and initialises
 * classes (and crypto providers) a forced-command call never uses.
 */
public final class RestrictedClient {
    private RestrictedClient() {}

    /**
     * AES first (AES-NI and CLMUL/SHA-NI intrinsics in HotSpot's C2); measured here, aes128-ctr with
     * hmac-sha2-256-etm and aes128-gcm relay equally fast, chacha20-poly1305 (pure Java in MINA) at
     * half the speed, so it is the last resort.
     */
    static final List<NamedFactory<Cipher>> CIPHERS = List.of(
            BuiltinCiphers.aes128gcm, BuiltinCiphers.aes128ctr, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes256ctr,
            BuiltinCiphers.cc20p1305_openssh);

    static final List<NamedFactory<Mac>> MACS = List.of(BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm,
            BuiltinMacs.hmacsha256, BuiltinMacs.hmacsha512);

    /**
     * The post-quantum hybrid first, as OpenSSH 10 orders its own: a recorded session cannot be
     * decrypted later by whoever breaks X25519. The client's order decides, so OpenSSH 9.9+ gets
     * mlkem768x25519-sha256 and older servers curve25519. sntrup761x25519, which OpenSSH 8.5-9.8
     * (Debian 12's 9.2) prefer, is not offered: in a fresh JVM MINA's pure-Java Streamlined NTRU
     * Prime added about 470 ms of CPU to a short run (bench/kex.sh; ML-KEM: see README).
     */
    static final List<BuiltinDHFactories> KEX = List.of(BuiltinDHFactories.mlkem768x25519,
            BuiltinDHFactories.curve25519,
            BuiltinDHFactories.curve25519_libssh, BuiltinDHFactories.ecdhp256, BuiltinDHFactories.ecdhp384,
            BuiltinDHFactories.ecdhp521, BuiltinDHFactories.dhg16_512, BuiltinDHFactories.dhg14_256);

    static final List<NamedFactory<Signature>> HOST_KEY_ALGORITHMS = List.of(BuiltinSignatures.ed25519,
            BuiltinSignatures.nistp256, BuiltinSignatures.nistp384, BuiltinSignatures.nistp521,
            BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256);

    /**
     * Host certificate algorithms: proposed first, per connection, only to a host that a
     * {@code @cert-authority} line covers ({@link HostKeyAlgorithmOrder}), so sshd presents its
     * {@code HostCertificate}; never for a host that is only pinned.
     */
    static final List<NamedFactory<Signature>> HOST_CERTIFICATE_ALGORITHMS = List.of(BuiltinSignatures.ed25519_cert,
            BuiltinSignatures.nistp256_cert, BuiltinSignatures.nistp384_cert, BuiltinSignatures.nistp521_cert,
            BuiltinSignatures.rsaSHA512_cert, BuiltinSignatures.rsaSHA256_cert);

    /**
     * What publickey authentication may sign with: certificates first (a certificate identity's key
     * type is its -cert-v01 name, which only these match), then plain keys. Kept apart from the host
     * key algorithms, so offering certificate algorithms for user auth never makes the client accept
     * a host certificate in place of the pinned host key.
     */
    static final List<NamedFactory<Signature>> USER_AUTH_SIGNATURES = List.of(BuiltinSignatures.ed25519_cert,
            BuiltinSignatures.nistp256_cert, BuiltinSignatures.nistp384_cert, BuiltinSignatures.nistp521_cert,
            BuiltinSignatures.rsaSHA512_cert, BuiltinSignatures.rsaSHA256_cert, BuiltinSignatures.ed25519,
            BuiltinSignatures.nistp256, BuiltinSignatures.nistp384, BuiltinSignatures.nistp521,
            BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256);

    /** Largest channel data packet the server may send; well under OpenSSH's 256 KiB packet limit. */
    static final long MAX_PACKET_SIZE = 128 * 1024;

    /** Bytes read from the socket at a time. */
    static final int READ_BUFFER_SIZE = 256 * 1024;

    /** A client with everything but the per-run options; see {@link #configure}. */
    public static SshClient create() {
        SshClient client = ClientBuilder.builder()
                .cipherFactories(CIPHERS)
                .macFactories(MACS)
                .keyExchangeFactories(NamedFactory.setUpTransformedFactories(false, KEX, HostCertificateKex.DH2KEX))
                .signatureFactories(HOST_KEY_ALGORITHMS)
                .compressionFactories(List.of(BuiltinCompressions.none))
                .serverKeyVerifier(new PinnedHostKeyVerifier())
                .hostConfigEntryResolver(HostConfigEntryResolver.EMPTY)
                .build();
        client.setIoServiceFactoryFactory(new QuickAckConnections());
        client.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory(USER_AUTH_SIGNATURES)));
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setAgentFactory(null);
        client.addSessionListener(new HostKeyAlgorithmOrder());
        // a silent deploy is not idle: the heartbeat decides whether the peer is gone
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        CoreModuleProperties.NIO2_READ_TIMEOUT.set(client, Duration.ZERO);
        // Bulk output: let sshd send 128 KiB channel packets (MINA's default is 32 KiB) and read the
        // socket 256 KiB at a time (default 32 KiB), so a relayed stream costs a quarter of the packet
        // decryptions, window adjustments and reads. 1 GiB relayed here: 2.6 s -> 1.8 s (ssh 1.8 s).
        // The window stays at MINA's 2 MiB: 8 MiB was slower (2.3 s).
        CoreModuleProperties.MAX_PACKET_SIZE.set(client, MAX_PACKET_SIZE);
        // Our own small packets (NEWKEYS then SERVICE_REQUEST, CHANNEL_OPEN then exec) must not wait
        // for sshd's delayed acknowledgement of the one before: 40 ms each time with Nagle on.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(client, READ_BUFFER_SIZE);
        return client;
    }

    /** Applies a run's options; they take effect from the next connection. */
    public static void configure(SshClient client, RunOptions options) {
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, options.connectTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(client, options.authTimeout());
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, options.heartbeat());
        CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, options.heartbeat());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 4);
    }
}
