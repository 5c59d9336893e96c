package dev.delegator.ca;

import dev.delegator.keys.PublicKeyLine;
import java.util.Objects;

/** What {@code ca revoke} adds to the KRL: a serial or key id of this CA's certificates, or a key. */
public sealed interface Revocation permits Revocation.Serial, Revocation.KeyId, Revocation.Key {
    /** How the revocation is shown. */
    String describe();

    /** Every certificate of this CA with this serial. Serial 0 cannot be revoked by serial (a KRL rule), and ca sign never uses it. */
    record Serial(long serial) implements Revocation {
        public Serial {
            if (serial == 0) {
                throw new IllegalArgumentException("serial 0 cannot be revoked by serial (a KRL rule); delegator never signs serial 0: "
                        + "revoke the certificate's --key instead");
            }
        }

        @Override
        public String describe() {
            return "serial " + Long.toUnsignedString(serial);
        }
    }

    /** Every certificate of this CA with this key id. */
    record KeyId(String id) implements Revocation {
        public KeyId {
            Objects.requireNonNull(id, "id");
            if (id.isBlank() || id.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
                throw new IllegalArgumentException("key id must be one non-empty line");
            }
        }

        @Override
        public String describe() {
            return "key id " + id;
        }
    }

    /** A key (a caller key, a certificate, or a CA key: revoking a CA key refuses everything it signed). */
    record Key(PublicKeyLine key) implements Revocation {
        public Key {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String describe() {
            return "key " + key.fingerprint();
        }
    }
}
