package dev.delegator.authorizedkeys;

import java.util.List;
import java.util.Objects;

/**
 * One line of an sshd AuthorizedPrincipalsFile: {@code options principal}. sshd takes the
 * principal after the line's last space or tab and parses what comes before as key options
 * (auth2-pubkey.c {@code check_principals_line}), so a principal can hold no white space, and the
 * options are written by the same renderer as authorized_keys lines. A line starting with
 * {@code #} is a comment there, hence no {@code #} either.
 *
 * @param options the options, rendered with {@link LineRenderer}'s quoting
 * @param principal the principal a certificate must name
 */
public record PrincipalsLine(List<KeyOption> options, String principal) {
    public PrincipalsLine {
        options = List.copyOf(options);
        Objects.requireNonNull(principal, "principal");
        if (principal.isEmpty() || !principal.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',' && c != '#' && c != '"' && c != '\\')) {
            throw new UnsafeLineException("principal " + LineRenderer.describe(principal)
                    + " must be printable ASCII without white space, comma, #, quote or backslash");
        }
    }

    /**
     * Reads a principals line as sshd does (auth2-pubkey.c {@code check_principals_line}): trailing
     * white space trimmed; with internal white space, the principal is what follows the last space
     * (else the last tab) and the options are what precedes it, parsed by the authorized_keys
     * option reader.
     *
     * @throws AuthorizedKeysSyntaxException with the column, for options sshd would refuse or a principal it would never match
     */
    public static PrincipalsLine parse(String line) {
        String t = line.stripTrailing();
        int sp = t.lastIndexOf(' ');
        if (sp < 0) {
            sp = t.lastIndexOf('\t');
        }
        List<KeyOption> options = List.of();
        String principal = t;
        if (sp >= 0) {
            int start = sp;
            while (start > 0 && (t.charAt(start - 1) == ' ' || t.charAt(start - 1) == '\t')) {
                start--;
            }
            options = LineParser.parseOptionsOnly(t.substring(0, start));
            principal = t.substring(sp + 1);
        }
        try {
            return new PrincipalsLine(options, principal);
        } catch (UnsafeLineException e) {
            throw new AuthorizedKeysSyntaxException(sp + 2, e.getMessage(), "no certificate names it");
        }
    }

    /** The line for {@code options} and {@code principal}, validated. */
    public static PrincipalsLine of(List<KeyOption> options, String principal) {
        PrincipalsLine line = new PrincipalsLine(options, principal);
        line.render(); // every option checked now, not when the file is written
        return line;
    }

    /** {@code opt,opt="v" principal}, without newline. */
    public String render() {
        StringBuilder b = new StringBuilder();
        for (KeyOption o : options) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(LineRenderer.option(o));
        }
        if (b.length() > 0) {
            b.append(' ');
        }
        return b.append(principal).toString();
    }

    /** The {@code command=} value, if any. */
    public java.util.Optional<String> command() {
        return options.stream().filter(o -> o.is(OptionKind.COMMAND)).findFirst().flatMap(KeyOption::value);
    }
}
