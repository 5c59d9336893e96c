package dev.delegator.certificates;

import dev.delegator.keys.KeyFormatException;

/** A file or line that should hold an OpenSSH user certificate does not; the message says where and why. */
public class CertificateFormatException extends KeyFormatException {
    public CertificateFormatException(String message) {
        super(message);
    }

    public CertificateFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
