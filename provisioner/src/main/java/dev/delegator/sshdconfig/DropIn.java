package dev.delegator.sshdconfig;

import dev.delegator.layout.Layout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sshd drop-in for delegates: for members of group {@code delegator}, keys come only from
 * the central root-owned file (the delegate can never write what authorizes it), only public
 * keys authenticate, and forwarding, ttys and {@code ~/.ssh/rc} are off even if a line lacked
 * {@code restrict}. A Match block in an included file stays scoped to that file (OpenSSH 9.2).
 */
public final class DropIn {
    /** The group every delegate joins; the drop-in matches on it. */
    public static final String GROUP = "delegator";

    private DropIn() {}

    /** The drop-in's text for the layout's authorized_keys directory. */
    public static String render(Layout layout) {
        StringBuilder out = new StringBuilder();
        out.append("# written by delegator apply; do not edit (see /etc/delegator/delegations.yaml)\n");
        out.append("Match Group ").append(GROUP).append('\n');
        for (Map.Entry<String, String> e : expectedEffect(layout).entrySet()) {
            out.append("    ").append(canonical(e.getKey())).append(' ').append(e.getValue()).append('\n');
        }
        return out.toString();
    }

    /**
     * What {@code sshd -T -C user=<delegate>,...} must print for a delegate once the drop-in is
     * in effect (keys in sshd -T's lower-case form).
     */
    public static Map<String, String> expectedEffect(Layout layout) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("authorizedkeysfile", layout.authorizedKeysDir() + "/%u");
        m.put("authenticationmethods", "publickey");
        m.put("disableforwarding", "yes");
        m.put("permittty", "no");
        m.put("permituserrc", "no");
        return m;
    }

    private static String canonical(String key) {
        return switch (key) {
            case "authorizedkeysfile" -> "AuthorizedKeysFile";
            case "authenticationmethods" -> "AuthenticationMethods";
            case "disableforwarding" -> "DisableForwarding";
            case "permittty" -> "PermitTTY";
            case "permituserrc" -> "PermitUserRC";
            default -> throw new IllegalArgumentException(key);
        };
    }
}
