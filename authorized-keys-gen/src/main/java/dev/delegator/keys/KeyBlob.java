package dev.delegator.keys;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Decodes and checks the base64 key blob of a line the way sshd's {@code sshkey_read} does: the
 * blob must be canonical base64 (padding present, unused bits zero; whitespace other than space and
 * tab is skipped, as {@code b64_pton} does), its embedded type must be the line's type, its fields
 * must be complete, and nothing may follow them. Keeping this check here means a key we call valid
 * is one sshd can load, and a fingerprint we compute belongs to a key sshd would match.
 * {@link PublicKeyLine} is its one caller.
 */
final class KeyBlob {
    /** sshd 9.2 refuses RSA keys below this modulus size (SSH_RSA_MINIMUM_MODULUS_SIZE). */
    static final int RSA_MINIMUM_BITS = 1024;

    private KeyBlob() {}

    /** Why a blob was refused; the caller adds the position. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /** Decodes {@code token} (the text between the type and the next space or tab) into the blob. */
    static byte[] decode(String token) throws Invalid {
        StringBuilder clean = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '\r' || c == '\n' || c == 0x0b || c == '\f') {
                continue; // b64_pton skips isspace() characters
            }
            clean.append(c);
        }
        String s = clean.toString();
        if (s.isEmpty()) {
            throw new Invalid("key data is empty");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new Invalid("key data is not valid base64");
        }
        // b64_pton wants the padding and zero unused bits; Java's decoder forgives both.
        if (!Base64.getEncoder().encodeToString(bytes).equals(s)) {
            throw new Invalid("key data is not canonical base64 (padding or trailing bits)");
        }
        return bytes;
    }

    /**
     * Checks the blob's structure against {@code type}; throws with the first thing that is wrong.
     * Returns the plain public-key blob: the blob itself, or for a certificate the key it certifies
     * (what ssh-keygen -l fingerprints).
     */
    static byte[] check(KeyType type, byte[] blob) throws Invalid {
        Reader r = new Reader(blob);
        String embedded = r.string("key type");
        if (!embedded.equals(type.sshName())) {
            throw new Invalid("key data is a " + printable(embedded) + " key, not " + type.sshName());
        }
        if (type.certificate()) {
            r.bytes("certificate nonce");
        }
        int plainStart = r.position();
        plainFields(type, r);
        int plainEnd = r.position();
        if (type.certificate()) {
            r.uint64("serial");
            r.uint32("certificate type");
            r.bytes("key id");
            r.bytes("principals");
            r.uint64("valid after");
            r.uint64("valid before");
            r.bytes("critical options");
            r.bytes("extensions");
            r.bytes("reserved");
            r.bytes("signature key");
            r.bytes("signature");
        }
        if (r.remaining() != 0) {
            throw new Invalid("key data has " + r.remaining() + " unexpected trailing bytes");
        }
        if (!type.certificate()) {
            return blob;
        }
        byte[] name = type.plain().sshName().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer plain = ByteBuffer.allocate(4 + name.length + plainEnd - plainStart);
        plain.putInt(name.length).put(name).put(blob, plainStart, plainEnd - plainStart);
        return plain.array();
    }

    private static void plainFields(KeyType type, Reader r) throws Invalid {
        switch (type) {
            case ED25519, ED25519_CERT -> ed25519(r);
            case SK_ED25519, SK_ED25519_CERT -> {
                ed25519(r);
                r.bytes("application");
            }
            case ECDSA_NISTP256, ECDSA_NISTP256_CERT -> ecdsa(r, "nistp256", 65);
            case ECDSA_NISTP384, ECDSA_NISTP384_CERT -> ecdsa(r, "nistp384", 97);
            case ECDSA_NISTP521, ECDSA_NISTP521_CERT -> ecdsa(r, "nistp521", 133);
            case SK_ECDSA_NISTP256, SK_ECDSA_NISTP256_CERT -> {
                ecdsa(r, "nistp256", 65);
                r.bytes("application");
            }
            case RSA, RSA_CERT -> {
                r.mpint("rsa e");
                BigInteger n = r.mpint("rsa n");
                if (n.bitLength() < RSA_MINIMUM_BITS) {
                    throw new Invalid("RSA key has " + n.bitLength() + " bits, sshd refuses keys below " + RSA_MINIMUM_BITS);
                }
            }
            case DSA, DSA_CERT -> {
                r.mpint("dsa p");
                r.mpint("dsa q");
                r.mpint("dsa g");
                r.mpint("dsa y");
            }
        }
    }

    private static void ed25519(Reader r) throws Invalid {
        byte[] pk = r.bytes("ed25519 public key");
        if (pk.length != 32) {
            throw new Invalid("ed25519 public key has " + pk.length + " bytes, not 32");
        }
    }

    private static void ecdsa(Reader r, String curve, int pointLength) throws Invalid {
        String c = r.string("ecdsa curve");
        if (!c.equals(curve)) {
            throw new Invalid("ecdsa curve " + printable(c) + " does not match the key type (" + curve + ")");
        }
        byte[] q = r.bytes("ecdsa point");
        if (q.length != pointLength || q[0] != 4) {
            throw new Invalid("ecdsa point is not an uncompressed " + curve + " point");
        }
    }

    /** {@code "text"} with control and non-ASCII characters as {@code ?}, at most 60 characters: safe in a message. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 60; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return b.append('"').toString();
    }

    /** Reads SSH wire-format fields (RFC 4251 section 5). */
    private static final class Reader {
        private final ByteBuffer buf;

        Reader(byte[] blob) {
            this.buf = ByteBuffer.wrap(blob);
        }

        int remaining() {
            return buf.remaining();
        }

        int position() {
            return buf.position();
        }

        long uint32(String what) throws Invalid {
            if (buf.remaining() < 4) {
                throw new Invalid("key data ends inside the " + what);
            }
            return buf.getInt() & 0xffffffffL;
        }

        void uint64(String what) throws Invalid {
            if (buf.remaining() < 8) {
                throw new Invalid("key data ends inside the " + what);
            }
            buf.getLong();
        }

        byte[] bytes(String what) throws Invalid {
            long len = uint32(what);
            if (len > buf.remaining()) {
                throw new Invalid("key data ends inside the " + what);
            }
            byte[] out = new byte[(int) len];
            buf.get(out);
            return out;
        }

        String string(String what) throws Invalid {
            return new String(bytes(what), StandardCharsets.ISO_8859_1);
        }

        BigInteger mpint(String what) throws Invalid {
            byte[] b = bytes(what);
            return b.length == 0 ? BigInteger.ZERO : new BigInteger(b);
        }
    }
}
