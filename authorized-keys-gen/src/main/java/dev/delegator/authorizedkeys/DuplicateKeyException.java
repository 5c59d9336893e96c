package dev.delegator.authorizedkeys;

/**
 * The same key (by SHA256 fingerprint) appears on two lines. sshd uses the first line that
 * matches, so a later copy with other options is either dead or, if the first copy fails its
 * {@code from=} or {@code expiry-time=}, the one that lets the key in. We never write such a file.
 */
public class DuplicateKeyException extends AuthorizedKeysException {
    private static final long serialVersionUID = 1L;

    private final String fingerprint;
    private final int firstLine;
    private final int secondLine;

    public DuplicateKeyException(String source, String fingerprint, int firstLine, int secondLine) {
        super((source == null ? "" : source + ":") + secondLine + ": duplicate of line " + firstLine
                + " (same key " + fingerprint + "): sshd uses the first; refusing to write the file");
        this.fingerprint = fingerprint;
        this.firstLine = firstLine;
        this.secondLine = secondLine;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public int firstLine() {
        return firstLine;
    }

    public int secondLine() {
        return secondLine;
    }
}
