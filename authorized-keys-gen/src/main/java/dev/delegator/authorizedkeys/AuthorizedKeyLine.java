package dev.delegator.authorizedkeys;

import dev.delegator.keys.KeyType;
import dev.delegator.keys.PublicKeyLine;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One key line of an authorized_keys file, as sshd(8) reads it (AUTHORIZED_KEYS FILE FORMAT):
 * options, then the public key ({@link PublicKeyLine}: key type, base64 key data, comment), as
 * MINA's {@code AuthorizedKeyEntry extends PublicKeyEntry}. Immutable; it keeps its original {@link #text()},
 * so {@link #render()} of a parsed line gives back exactly what was read, and a file we rewrite
 * keeps every line we did not change byte for byte.
 *
 * <p>Two ways to get one: {@link #parse(String)} (sshd's grammar, strict, throws
 * {@link AuthorizedKeysSyntaxException} with the column), and {@link #of} / {@link DelegationLine}
 * for lines we write (canonical quoting; a value sshd would misread is refused with
 * {@link UnsafeLineException}). For a written line {@code x}, {@code parse(x.render()).equals(x)}.
 */
public final class AuthorizedKeyLine {
    private final String text;
    private final List<KeyOption> options;
    private final PublicKeyLine key;
    private final List<Integer> strayCommaColumns;
    private final List<Integer> optionColumns;
    private final int keyTypeColumn;

    private AuthorizedKeyLine(String text, LineParser.Parsed p) {
        this.text = text;
        this.options = List.copyOf(p.options());
        this.key = p.key();
        this.strayCommaColumns = p.strayCommaColumns();
        this.optionColumns = p.optionColumns();
        this.keyTypeColumn = locateType(text, p);
    }

    /**
     * Parses one line (without its line terminator) the way sshd does. A blank or comment line,
     * and any line sshd would skip, throws {@link AuthorizedKeysSyntaxException} with the 1-based
     * column of the problem and what sshd does with the line.
     */
    public static AuthorizedKeyLine parse(String line) {
        Objects.requireNonNull(line, "line");
        return new AuthorizedKeyLine(line, LineParser.parse(line));
    }

    /**
     * Renders a line from its parts with canonical quoting (every value in double quotes, {@code "}
     * written as {@code \"}, everything else as is) and checks that sshd reads back exactly these
     * parts. This is the low-level writer: it refuses only what sshd would misread; the delegation
     * policy ({@code restrict} first, no weakening options) is {@link DelegationLine}'s job.
     *
     * @throws UnsafeLineException when a value or the comment holds a character sshd would misread
     *     (line break, carriage return, NUL, other control characters), a value ends in a backslash,
     *     an option name is not one sshd documents, or the comment starts with a space
     */
    public static AuthorizedKeyLine of(List<KeyOption> options, KeyType type, String keyBase64, String comment) {
        String text = LineRenderer.render(options, type, keyBase64, comment);
        AuthorizedKeyLine line;
        try {
            line = parse(text);
        } catch (AuthorizedKeysSyntaxException e) {
            throw new UnsafeLineException("the line we would write is not one sshd reads: " + e.getMessage());
        }
        if (!line.options.equals(options) || line.type() != type || !line.keyBase64().equals(keyBase64)
                || !line.comment().equals(comment)) {
            throw new UnsafeLineException("sshd would not read back what we meant to write: " + text);
        }
        return line;
    }

    /** The line exactly as read or written, without a line terminator. */
    public String text() {
        return text;
    }

    /** The options in the order written; stray commas, which sshd ignores, are not listed. */
    public List<KeyOption> options() {
        return options;
    }

    /** The public key part: type, key data and comment. */
    public PublicKeyLine key() {
        return key;
    }

    /** The key type as written, e.g. {@code ssh-ed25519}. */
    public String keyType() {
        return key.typeName();
    }

    /** The key type as sshd understands it. */
    public KeyType type() {
        return key.type();
    }

    /** The base64 key data as written. */
    public String keyBase64() {
        return key.base64();
    }

    /** The comment after the key data, or the empty string. sshd ignores it. */
    public String comment() {
        return key.comment();
    }

    /** {@code SHA256:…}, equal to what {@code ssh-keygen -l} prints ({@link PublicKeyLine#fingerprint()}). */
    public String fingerprint() {
        return key.fingerprint();
    }

    /** The line's text: the original for a parsed line, the canonical form for a written one. */
    public String render() {
        return text;
    }

    /** The line's {@code type base64} part, as a {@code .pub} file or known_hosts holds it. */
    public String publicKey() {
        return key.keyText();
    }

    /** The first option of this kind (either form of a negatable flag). */
    public Optional<KeyOption> option(OptionKind kind) {
        return options.stream().filter(o -> o.is(kind)).findFirst();
    }

    /** The value of the first option of this kind. */
    public Optional<String> value(OptionKind kind) {
        return option(kind).flatMap(KeyOption::value);
    }

    /** 1-based columns of commas sshd skips (empty options such as {@code restrict,,pty} or a trailing comma). */
    public List<Integer> strayCommaColumns() {
        return strayCommaColumns;
    }

    /** 1-based column where option {@code index} starts. */
    public int optionColumn(int index) {
        return optionColumns.get(index);
    }

    /** 1-based column where the key type starts. */
    public int keyTypeColumn() {
        return keyTypeColumn;
    }

    private static int locateType(String text, LineParser.Parsed p) {
        // the key type follows the options (or leading blanks); find it after the last option's end
        int from = 0;
        if (!p.options().isEmpty() || !p.strayCommaColumns().isEmpty()) {
            int i = LineParser.skipSpace(text, 0);
            boolean quoted = false;
            for (; i < text.length() && (quoted || (text.charAt(i) != ' ' && text.charAt(i) != '\t')); i++) {
                if (text.charAt(i) == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    i++;
                } else if (text.charAt(i) == '"') {
                    quoted = !quoted;
                }
            }
            from = i;
        }
        int at = LineParser.skipSpace(text, from);
        return text.codePointCount(0, at) + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthorizedKeyLine other && text.equals(other.text) && options.equals(other.options)
                && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, options, key);
    }

    @Override
    public String toString() {
        return text;
    }
}
