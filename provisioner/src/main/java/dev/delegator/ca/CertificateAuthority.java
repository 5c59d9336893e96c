package dev.delegator.ca;

import com.google.gson.stream.JsonWriter;
import dev.delegator.certificates.SourceAddress;
import dev.delegator.certificates.UserCertificate;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.ExclusiveLock;
import dev.delegator.files.FileSnapshot;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.systemtools.SystemTool;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * A delegator user CA in one directory (default {@code /var/lib/delegator/ca}, root 0700):
 * {@code ca_ed25519} (root 0600) and its {@code .pub}, after a rotation ({@code ca init --next})
 * also {@code ca_ed25519-2}, {@code -3}, … (the newest signs), {@code serial} (the last serial used, shared by every key),
 * {@code signed.jsonl} (one JSON line per signature) and {@code revoked.krl}.
 *
 * <p>Signing is done by {@code ssh-keygen -s}, the reference implementation sshd is tested
 * against, with every field given explicitly ({@code -O clear} first, so no extension is
 * granted; {@code -z} and {@code -V}, since a default serial 0 cannot be revoked by serial and a
 * default validity is forever). The result is then decoded and compared with what was asked; a
 * certificate that differs in any field is never written.
 */
public final class CertificateAuthority {
    /** Validity starts this much before now, so a delegate host whose clock is behind accepts it. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);
    /** The default validity: short, so a leaked certificate stops working within a day even where the KRL has not arrived. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);
    /** Longer is refused: a long-lived certificate is a key that revocation must reach every host to stop. */
    public static final Duration MAX_VALIDITY = Duration.ofDays(31);
    /** At least a minute: shorter would expire before the login it was made for. */
    public static final Duration MIN_VALIDITY = Duration.ofMinutes(1);

    static final String KEY = "ca_ed25519";
    /** Present in a host CA's directory only ({@code ca init --host}). */
    static final String HOST_MARKER = "host-ca";
    private static final Set<PosixFilePermission> DIR_0700 = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_0600 = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FILE_0644 = PosixFilePermissions.fromString("rw-r--r--");
    private static final DateTimeFormatter KEYGEN_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;

    private CertificateAuthority(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates the CA: {@code dir} (root 0700; created, or an existing empty directory) and an ed25519
     * key in it, by {@code ssh-keygen -t ed25519}.
     *
     * @throws CaException REFUSED when the directory already holds a CA key or another owner's files
     */
    public static CertificateAuthority init(Path dir, String comment) throws CaException, IOException {
        return init(dir, comment, false);
    }

    /**
     * Creates a CA as {@link #init(Path, String)}; with {@code host} a host CA, marked by a
     * {@value #HOST_MARKER} file, so {@link #signHost} signs only with it and {@link #sign} never does:
     * the key that vouches for hosts is never the one that lets callers in.
     */
    public static CertificateAuthority init(Path dir, String comment, boolean host) throws CaException, IOException {
        Path d = dir.toAbsolutePath().normalize();
        if (Files.exists(d.resolve(KEY), LinkOption.NOFOLLOW_LINKS) || Files.exists(d.resolve(KEY + ".pub"), LinkOption.NOFOLLOW_LINKS)) {
            throw new CaException(CaException.Kind.REFUSED, d.resolve(KEY) + " exists: this directory already holds a CA key "
                    + "(nothing changed; use another --dir)");
        }
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(d.getParent());
            Files.createDirectory(d, PosixFilePermissions.asFileAttribute(DIR_0700));
        }
        Files.setPosixFilePermissions(d, DIR_0700);
        CertificateAuthority ca = new CertificateAuthority(d);
        ca.checkDirectory();
        if (host) {
            Files.write(d.resolve(HOST_MARKER), new byte[0]);
            Files.setPosixFilePermissions(d.resolve(HOST_MARKER), FILE_0600);
        }
        ca.generate(d.resolve(KEY), comment);
        return ca;
    }

    /**
     * Rotation: makes the next CA key ({@code ca_ed25519-N}) beside the current ones. From now on
     * {@link #sign} uses it; certificates of the older keys stay valid wherever the manifest still
     * trusts those keys, so list both under {@code ca.keys} until the old certificates are gone.
     */
    public PublicKeyLine next(String comment) throws CaException, IOException {
        checkDirectory();
        try (ExclusiveLock lock = ExclusiveLock.acquire(dir.resolve("lock"), Duration.ofSeconds(30), "another delegator ca command is running")) {
            int next = generations().get(generations().size() - 1) + 1;
            Path key = keyOf(next);
            if (Files.exists(key, LinkOption.NOFOLLOW_LINKS) || Files.exists(Path.of(key + ".pub"), LinkOption.NOFOLLOW_LINKS)) {
                throw new CaException(CaException.Kind.REFUSED, key + " exists; nothing changed");
            }
            generate(key, comment);
        }
        return publicKey();
    }

    private void generate(Path key, String comment) throws IOException {
        SystemTool.check(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString()));
        Files.setPosixFilePermissions(key, FILE_0600);
        Files.setPosixFilePermissions(Path.of(key + ".pub"), FILE_0644);
    }

    private Path keyOf(int generation) {
        return dir.resolve(generation == 1 ? KEY : KEY + "-" + generation);
    }

    /** The key generations present, ascending (1 is {@code ca_ed25519}). */
    private List<Integer> generations() throws IOException {
        List<Integer> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.equals(KEY)) {
                    out.add(1);
                } else if (n.matches(KEY + "-[1-9][0-9]{0,5}")) {
                    out.add(Integer.parseInt(n.substring(KEY.length() + 1)));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Opens an existing CA.
     *
     * @throws CaException REFUSED when the directory or key is missing, not ours, or readable by others
     */
    public static CertificateAuthority open(Path dir) throws CaException, IOException {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) || !Files.exists(d.resolve(KEY), LinkOption.NOFOLLOW_LINKS)) {
            throw new CaException(CaException.Kind.REFUSED, "no CA key in " + d + " (create one with: delegator ca init --dir " + d + ")");
        }
        CertificateAuthority ca = new CertificateAuthority(d);
        ca.checkDirectory();
        return ca;
    }

    public Path directory() {
        return dir;
    }

    /** True for a host CA ({@code ca init --host}): it signs host certificates only. */
    public boolean isHostCa() {
        return Files.exists(dir.resolve(HOST_MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    /** The private key file that signs: the newest generation. */
    public Path keyFile() throws IOException {
        List<Integer> g = generations();
        return keyOf(g.get(g.size() - 1));
    }

    /** The signing CA's public key line (what the manifest's {@code ca.keys} lists). */
    public PublicKeyLine publicKey() throws IOException {
        return PublicKeyLine.read(Path.of(keyFile() + ".pub"));
    }

    /** Every CA public key of this directory, oldest first. */
    public List<PublicKeyLine> publicKeys() throws IOException {
        List<PublicKeyLine> out = new ArrayList<>();
        for (int g : generations()) {
            out.add(PublicKeyLine.read(Path.of(keyOf(g) + ".pub")));
        }
        return out;
    }

    /** {@code revoked.krl}: the KRL {@code ca revoke} maintains; the manifest's {@code ca.krl} names it (or a copy). */
    public Path krlFile() {
        return dir.resolve("revoked.krl");
    }

    /**
     * Adds {@code r} to {@link #krlFile()} with {@code ssh-keygen -k -u} (OpenSSH's own KRL writer),
     * on a private copy that is read back with {@code ssh-keygen -Q -l} before it replaces the KRL
     * atomically: the KRL is never partial, and a failed revoke leaves the old one.
     */
    public void revoke(Revocation r) throws CaException, IOException {
        checkDirectory();
        try (ExclusiveLock lock = ExclusiveLock.acquire(dir.resolve("lock"), Duration.ofSeconds(30), "another delegator ca command is running")) {
            Path work = Files.createTempDirectory(dir, ".revoke-");
            try {
                Path copy = work.resolve("krl");
                boolean update = Files.exists(krlFile(), LinkOption.NOFOLLOW_LINKS);
                if (update) {
                    Files.write(copy, Files.readAllBytes(krlFile()));
                }
                List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-k"));
                if (update) {
                    argv.add("-u");
                }
                argv.addAll(List.of("-f", copy.toString()));
                if (r instanceof Revocation.Key k) {
                    Path pub = work.resolve("key.pub");
                    Files.writeString(pub, k.key().keyText() + "\n");
                    argv.add(pub.toString());
                } else {
                    Path spec = work.resolve("spec");
                    String line = r instanceof Revocation.Serial s ? "serial: " + Long.toUnsignedString(s.serial())
                            : "id: " + ((Revocation.KeyId) r).id();
                    Files.writeString(spec, line + "\n");
                    // serials and key ids are unique across the CA's keys: revoke them under every key
                    for (int g : generations()) {
                        List<String> one = new ArrayList<>(argv);
                        if (!one.contains("-u") && Files.exists(copy)) {
                            one.add(3, "-u");
                        }
                        one.addAll(List.of("-s", keyOf(g) + ".pub", spec.toString()));
                        SystemTool.check(one);
                    }
                    argv = null;
                }
                if (argv != null) {
                    SystemTool.check(argv);
                }
                SystemTool.check(List.of("ssh-keygen", "-Q", "-l", "-f", copy.toString()));
                AtomicFile.overwrite(krlFile(), Files.readAllBytes(copy), Optional.empty(), FILE_0644);
            } finally {
                deleteTree(work);
            }
        }
    }

    /** {@code signed.jsonl}: one JSON object per certificate signed. */
    public Path logFile() {
        return dir.resolve("signed.jsonl");
    }

    /**
     * Signs {@code r.publicKey()} for one delegation, writes the certificate to {@code r.out()}
     * (0644, atomically) and appends it to {@link #logFile()}. Serials are unique: the next one is
     * recorded under the CA's lock before ssh-keygen runs, so a crash skips a serial, never reuses one.
     *
     * @throws CaException INVALID_INPUT when the request cannot be expressed in a certificate
     */
    public UserCertificate sign(SignRequest r, Clock clock) throws CaException, IOException {
        if (isHostCa()) {
            throw new CaException(CaException.Kind.REFUSED, dir + " is a host CA (ca init --host): it signs host certificates only; "
                    + "sign caller certificates with the user CA");
        }
        check(r);
        String sourceAddress = SourceAddress.of(r.from());
        return signing(r.publicKey(), r.validity(), clock, (serial, after, before, work, pub) -> {
            String keyId = "delegation=" + r.delegation() + ",caller=" + r.caller() + ",serial=" + Long.toUnsignedString(serial);
            List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", keyFile().toString(),
                    "-I", keyId, "-n", r.principal(), "-z", Long.toUnsignedString(serial),
                    "-V", KEYGEN_TIME.format(after) + ":" + KEYGEN_TIME.format(before),
                    "-O", "clear", "-O", "force-command=" + r.forceCommand(), "-O", "source-address=" + sourceAddress,
                    pub.toString()));
            SystemTool.check(argv);
            String text = Files.readString(work.resolve("key-cert.pub"), StandardCharsets.UTF_8);
            UserCertificate cert = UserCertificate.parse(text);
            verify(cert, r, serial, keyId, sourceAddress, after, before);
            AtomicFile.overwrite(r.out(), text.getBytes(StandardCharsets.UTF_8), Optional.empty(), FILE_0644);
            appendLog(cert, r);
            return cert;
        });
    }

    /** One signature's steps after the checks: under the CA's lock, with its serial, window and a private work directory. */
    @FunctionalInterface
    private interface Signing<T> {
        T sign(long serial, Instant after, Instant before, Path work, Path pub) throws CaException, IOException;
    }

    /**
     * The one way a certificate is made: validity from {@link #BACKDATE} ago for {@code validity},
     * the next serial recorded under the CA's lock before ssh-keygen runs (a crash skips a serial,
     * never reuses one), the key to sign written to a private work directory removed afterwards.
     */
    private <T> T signing(PublicKeyLine key, Duration validity, Clock clock, Signing<T> s) throws CaException, IOException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant after = now.minus(BACKDATE);
        Instant before = now.plus(validity);
        checkDirectory();
        try (ExclusiveLock lock = ExclusiveLock.acquire(dir.resolve("lock"), Duration.ofSeconds(30), "another delegator ca command is running")) {
            long serial = nextSerial();
            Path work = Files.createTempDirectory(dir, ".sign-");
            try {
                Path pub = work.resolve("key.pub");
                Files.writeString(pub, key.keyText() + "\n");
                return s.sign(serial, after, before, work, pub);
            } finally {
                deleteTree(work);
            }
        }
    }

    /**
     * Signs a host's own public key as a host certificate ({@code ssh-keygen -h -s}): principals =
     * the host's names, the validity asked for (backdated {@link #BACKDATE}), a new serial, key id
     * {@code host=<first name>,serial=<n>}, no critical options, no extensions. The result is decoded
     * and compared with the request, as for {@link #sign}; nothing is written if any field differs.
     * Call it on a host CA ({@code ca init --host}): a user CA's key must not vouch for hosts.
     *
     * @throws CaException INVALID_INPUT for a certificate, the CA key itself, or a name that is not one exact host name
     */
    public HostCertificateSigned signHost(HostSignRequest r, Clock clock) throws CaException, IOException {
        if (!isHostCa()) {
            throw new CaException(CaException.Kind.REFUSED, dir + " is a user CA: host certificates are signed by a host CA of "
                    + "their own (create it with: delegator ca init --host)");
        }
        if (r.publicKey().type().certificate()) {
            throw new CaException(CaException.Kind.INVALID_INPUT, "the key to sign is already a certificate: give the host's plain "
                    + "/etc/ssh/ssh_host_*_key.pub");
        }
        if (r.publicKey().fingerprint().equals(publicKey().fingerprint())) {
            throw new CaException(CaException.Kind.INVALID_INPUT, "the key to sign is the CA key itself: give the host's key");
        }
        if (r.validity().compareTo(HostSignRequest.MIN_VALIDITY) < 0 || r.validity().compareTo(HostSignRequest.MAX_VALIDITY) > 0) {
            throw new CaException(CaException.Kind.INVALID_INPUT, "validity (" + r.validity().toString().substring(2).toLowerCase()
                    + ") must be between 1h and 366d");
        }
        return signing(r.publicKey(), r.validity(), clock, (serial, after, before, work, pub) -> {
            String keyId = "host=" + r.names().get(0) + ",serial=" + Long.toUnsignedString(serial);
            SystemTool.check(List.of("ssh-keygen", "-q", "-h", "-s", keyFile().toString(),
                    "-I", keyId, "-n", String.join(",", r.names()), "-z", Long.toUnsignedString(serial),
                    "-V", KEYGEN_TIME.format(after) + ":" + KEYGEN_TIME.format(before), pub.toString()));
            String text = Files.readString(work.resolve("key-cert.pub"), StandardCharsets.UTF_8);
            HostCertificateSigned signed = verifyHost(text, r, serial, keyId, after, before);
            AtomicFile.overwrite(r.out(), text.getBytes(StandardCharsets.UTF_8), Optional.empty(), FILE_0644);
            appendHostLog(signed);
            return signed;
        });
    }

    /** Fails closed: the host certificate must hold exactly what was asked, and nothing else. */
    private HostCertificateSigned verifyHost(String text, HostSignRequest r, long serial, String keyId, Instant after, Instant before)
            throws CaException, IOException {
        OpenSshCertificate c;
        try {
            java.security.PublicKey k = PublicKeyLine.parse(text).toPublicKey();
            if (!(k instanceof OpenSshCertificate oc)) {
                throw new CaException(CaException.Kind.REFUSED, "ssh-keygen wrote no certificate; nothing written");
            }
            c = oc;
        } catch (dev.delegator.keys.KeyFormatException e) {
            throw new CaException(CaException.Kind.REFUSED, "ssh-keygen's certificate cannot be read (" + e.getMessage() + "); nothing written");
        }
        List<String> wrong = new ArrayList<>();
        if (c.getType() != OpenSshCertificate.Type.HOST) {
            wrong.add("type " + c.getType());
        }
        if (!List.copyOf(c.getPrincipals()).equals(r.names())) {
            wrong.add("principals " + c.getPrincipals());
        }
        if (!c.getCriticalOptions().isEmpty() || !c.getExtensions().isEmpty()) {
            wrong.add("options " + c.getCriticalOptionsMap() + " " + c.getExtensionsMap());
        }
        if (c.getSerial() != serial || !c.getId().equals(keyId)) {
            wrong.add("serial " + Long.toUnsignedString(c.getSerial()) + " key id " + c.getId());
        }
        if (c.getValidAfter() != after.getEpochSecond() || c.getValidBefore() != before.getEpochSecond()) {
            wrong.add("validity " + c.getValidAfter() + ".." + c.getValidBefore());
        }
        String keyFp = PublicKeyLine.of(c.getCertPubKey(), "").fingerprint();
        String caFp = PublicKeyLine.of(c.getCaPubKey(), "").fingerprint();
        if (!keyFp.equals(r.publicKey().fingerprint()) || !caFp.equals(publicKey().fingerprint())) {
            wrong.add("key or CA");
        }
        if (!wrong.isEmpty()) {
            throw new CaException(CaException.Kind.REFUSED, "ssh-keygen made a host certificate that differs from the request ("
                    + String.join("; ", wrong) + "); nothing written");
        }
        return new HostCertificateSigned(r.out(), serial, keyId, r.names(), after, before, keyFp, caFp);
    }

    private void appendHostLog(HostCertificateSigned c) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject()
                    .name("serial").value(Long.toUnsignedString(c.serial()))
                    .name("key_id").value(c.keyId())
                    .name("type").value("host");
            w.name("principals").beginArray();
            for (String n : c.principals()) {
                w.value(n);
            }
            w.endArray()
                    .name("fingerprint").value(c.keyFingerprint())
                    .name("ca_fingerprint").value(c.caFingerprint())
                    .name("valid_after").value(c.validAfter().toString())
                    .name("valid_before").value(c.validBefore().toString())
                    .name("certificate").value(c.out().toAbsolutePath().toString())
                    .endObject();
        }
        appendLogLine(out + "\n");
    }

    private void check(SignRequest r) throws CaException, IOException {
        if (r.publicKey().type().certificate()) {
            throw new CaException(CaException.Kind.INVALID_INPUT, "the key to sign is already a certificate: give the caller's plain .pub");
        }
        if (r.publicKey().fingerprint().equals(publicKey().fingerprint())) {
            throw new CaException(CaException.Kind.INVALID_INPUT, "the key to sign is the CA key itself: give the caller's .pub");
        }
        if (r.principal().isEmpty() || r.principal().contains(",") || r.principal().contains(" ")) {
            throw new CaException(CaException.Kind.INVALID_INPUT, "principal (" + r.principal() + ") must be one non-empty name");
        }
        if (r.forceCommand().isEmpty() || r.forceCommand().chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
            throw new CaException(CaException.Kind.INVALID_INPUT, "force-command must be one non-empty line");
        }
        if (r.validity().compareTo(MIN_VALIDITY) < 0 || r.validity().compareTo(MAX_VALIDITY) > 0) {
            throw new CaException(CaException.Kind.INVALID_INPUT, "validity (" + r.validity().toString().substring(2).toLowerCase()
                    + ") must be between 1m and 31d: certificates are short-lived by design");
        }
        Optional<String> sa = SourceAddress.problem(r.from());
        if (sa.isPresent()) {
            throw new CaException(CaException.Kind.INVALID_INPUT, "delegation " + r.delegation() + ": " + sa.get());
        }
    }

    /** Fails closed: the certificate must hold exactly what was asked, and nothing else. */
    private void verify(UserCertificate c, SignRequest r, long serial, String keyId, String sourceAddress, Instant after, Instant before)
            throws CaException, IOException {
        List<String> wrong = new ArrayList<>();
        if (!c.principals().equals(List.of(r.principal()))) {
            wrong.add("principals " + c.principals());
        }
        if (!c.extensions().isEmpty()) {
            wrong.add("extensions " + c.extensions().keySet());
        }
        if (!c.criticalOptions().equals(Map.of("force-command", r.forceCommand(), "source-address", sourceAddress))) {
            wrong.add("critical options " + c.criticalOptions());
        }
        if (c.serial() != serial || !c.keyId().equals(keyId)) {
            wrong.add("serial " + c.serialText() + " key id " + c.keyId());
        }
        if (!c.validAfter().equals(after) || !c.validBefore().equals(Optional.of(before))) {
            wrong.add("validity " + c.validAfter() + ".." + c.validBefore().map(Instant::toString).orElse("forever"));
        }
        if (!c.keyFingerprint().equals(r.publicKey().fingerprint()) || !c.caFingerprint().equals(publicKey().fingerprint())) {
            wrong.add("key or CA");
        }
        if (!wrong.isEmpty()) {
            throw new CaException(CaException.Kind.REFUSED, "ssh-keygen made a certificate that differs from the request ("
                    + String.join("; ", wrong) + "); nothing written");
        }
    }

    private long nextSerial() throws IOException {
        Path p = dir.resolve("serial");
        FileSnapshot snap = AtomicFile.read(p);
        long last = 0;
        if (snap.exists()) {
            try {
                last = Long.parseUnsignedLong(snap.text().strip());
            } catch (NumberFormatException e) {
                throw new IOException(p + " does not hold a serial number: " + e.getMessage());
            }
        }
        long next = last + 1; // serial 0 is never used: a KRL cannot revoke it by serial
        AtomicFile.replace(p, (Long.toUnsignedString(next) + "\n").getBytes(StandardCharsets.US_ASCII), Optional.empty(), FILE_0600, snap,
                Duration.ofSeconds(30));
        return next;
    }

    private void appendLog(UserCertificate c, SignRequest r) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject()
                    .name("serial").value(c.serialText())
                    .name("key_id").value(c.keyId())
                    .name("delegation").value(r.delegation())
                    .name("caller").value(r.caller())
                    .name("principal").value(r.principal())
                    .name("fingerprint").value(c.keyFingerprint())
                    .name("ca_fingerprint").value(c.caFingerprint())
                    .name("valid_after").value(c.validAfter().toString())
                    .name("valid_before").value(c.validBefore().orElseThrow().toString())
                    .name("certificate").value(r.out().toAbsolutePath().toString())
                    .endObject();
        }
        appendLogLine(out + "\n");
    }

    private void appendLogLine(String text) throws IOException {
        byte[] line = text.getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(logFile(), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(FILE_0600))) {
            ch.write(java.nio.ByteBuffer.wrap(line));
            ch.force(true);
        }
    }

    private void checkDirectory() throws CaException, IOException {
        List<Path> checked = new ArrayList<>(List.of(dir));
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            for (int g : generations()) {
                checked.add(keyOf(g));
            }
        }
        for (Path p : checked) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                throw new CaException(CaException.Kind.REFUSED, p + " is a symbolic link; the CA directory must be a real directory");
            }
            String me = System.getProperty("user.name");
            if (!a.owner().getName().equals(me)) {
                throw new CaException(CaException.Kind.REFUSED, p + " is owned by " + a.owner().getName() + ", not " + me);
            }
            Set<PosixFilePermission> perms = a.permissions();
            boolean others = perms.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
            if (others) {
                throw new CaException(CaException.Kind.REFUSED, p + " has mode " + PosixFilePermissions.toString(perms)
                        + ": the CA directory and key must be accessible to their owner only (chmod 0700 / 0600)");
            }
        }
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p, e);
        }
    }

}
