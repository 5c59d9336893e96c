package dev.delegator.sshdconfig;

import dev.delegator.layout.Layout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sshd drop-in for delegates: for members of group {@code delegator}, keys come only from
 * the central root-owned file (the delegate can never write what authorizes it), only public
 * keys authenticate, and forwarding, ttys and {@code ~/.ssh/rc} are off even if a line lacked
 * {@code restrict}. A Match block in an included file stays scoped to that file (OpenSSH 9.2).
 *
 * <p>It also sets {@code AcceptEnv} to {@link #NO_CLIENT_ENVIRONMENT}: sshd hands the client's
 * {@code env} requests that AcceptEnv allows to the forced command, and the delegate's
 * {@code /bin/sh -c …} is dynamically linked, so a host config saying {@code AcceptEnv *} would let
 * a caller key send {@code LD_PRELOAD} into the dispatcher before any check. A Match block's
 * AcceptEnv replaces the global list instead of adding to it (servconf.c {@code
 * copy_set_server_options}; checked with {@code sshd -T -C} on OpenSSH 9.2), and AcceptEnv has no
 * "none": a name no client sends is the only way to accept nothing.
 */
public final class DropIn {
    /** The group every delegate joins; the drop-in matches on it. */
    public static final String GROUP = "delegator";

    /**
     * The one environment name delegates accept from a client. No client sends it; one that does
     * only sets this inert variable, which nothing of delegator reads.
     */
    public static final String NO_CLIENT_ENVIRONMENT = "DELEGATOR_ACCEPTS_NO_CLIENT_ENVIRONMENT";

    private DropIn() {}

    /** The drop-in's text for the layout's authorized_keys directory. */
    public static String render(Layout layout) {
        return render(layout, false);
    }

    /**
     * The drop-in's text; with {@code certificates}, also the user CA trust for certificate
     * delegations: {@code TrustedUserCAKeys}, {@code RevokedKeys} and {@code AuthorizedPrincipalsFile}
     * (the files apply writes before this drop-in names them).
     */
    public static String render(Layout layout, boolean certificates) {
        return render(layout, certificates, List.of());
    }

    /**
     * The drop-in's text with the host certificates this host serves ({@code hostCertificates.serve}).
     * {@code HostCertificate} is a global option (sshd refuses it inside {@code Match}), so its lines
     * come before the {@code Match} block, and the drop-in must be included before any {@code Match}
     * of the main config (Debian's {@code Include} is its first line). Each is preceded by a comment
     * naming the certificate's serial and validity: a renewed certificate changes the drop-in, so
     * apply rewrites it, validates it and reloads sshd, which then serves the new certificate.
     */
    public static String render(Layout layout, boolean certificates, List<ServedCertificate> served) {
        StringBuilder out = new StringBuilder();
        out.append("# written by delegator apply; do not edit (see /etc/delegator/delegations.yaml)\n");
        for (ServedCertificate c : served) {
            out.append("# ").append(c.description()).append('\n');
            out.append("HostCertificate ").append(c.path()).append('\n');
        }
        out.append("Match Group ").append(GROUP).append('\n');
        for (Map.Entry<String, String> e : expectedEffect(layout, certificates).entrySet()) {
            out.append("    ").append(canonical(e.getKey())).append(' ').append(e.getValue()).append('\n');
        }
        return out.toString();
    }

    /**
     * What {@code sshd -T -C user=<delegate>,...} must print for a delegate once the drop-in is
     * in effect (keys in sshd -T's lower-case form): each key exactly once, with this value and no
     * other (sshd -T prints one line per AcceptEnv entry).
     */
    public static Map<String, String> expectedEffect(Layout layout) {
        return expectedEffect(layout, false);
    }

    /** As {@link #expectedEffect(Layout)}, with the certificate settings when {@code certificates}. */
    public static Map<String, String> expectedEffect(Layout layout, boolean certificates) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("authorizedkeysfile", layout.authorizedKeysDir() + "/%u");
        m.put("authenticationmethods", "publickey");
        m.put("disableforwarding", "yes");
        m.put("permittty", "no");
        m.put("permituserrc", "no");
        m.put("acceptenv", NO_CLIENT_ENVIRONMENT);
        if (certificates) {
            m.put("trustedusercakeys", layout.trustedUserCaKeys().toString());
            m.put("revokedkeys", layout.revokedKeys().toString());
            m.put("authorizedprincipalsfile", layout.principalsDir() + "/%u");
        }
        return m;
    }

    /**
     * A host certificate the drop-in names.
     *
     * @param path        the certificate file
     * @param description what it is ("host certificate serial 3 for web1.example.org, valid until ..."), for the comment
     */
    public record ServedCertificate(java.nio.file.Path path, String description) {
        public ServedCertificate {
            java.util.Objects.requireNonNull(path, "path");
            if (description.chars().anyMatch(c -> c == '\n' || c == '\r')) {
                throw new IllegalArgumentException("description must be one line");
            }
        }
    }

    private static String canonical(String key) {
        return switch (key) {
            case "authorizedkeysfile" -> "AuthorizedKeysFile";
            case "authenticationmethods" -> "AuthenticationMethods";
            case "disableforwarding" -> "DisableForwarding";
            case "permittty" -> "PermitTTY";
            case "permituserrc" -> "PermitUserRC";
            case "acceptenv" -> "AcceptEnv";
            case "trustedusercakeys" -> "TrustedUserCAKeys";
            case "revokedkeys" -> "RevokedKeys";
            case "authorizedprincipalsfile" -> "AuthorizedPrincipalsFile";
            default -> throw new IllegalArgumentException(key);
        };
    }
}
