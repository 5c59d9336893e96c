package dev.delegator.dispatchconfig;

import dev.delegator.layout.Layout;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nftables table of {@code sandbox: {network: loopback}} and the systemd unit that loads it at
 * boot. The table (family {@code inet}: IPv4 and IPv6) holds a set of the delegate accounts and
 * one output chain rejecting their packets to every interface but {@code lo}: TCP with a reset (a
 * connect fails at once, ECONNREFUSED), everything else with an ICMP error the kernel turns into
 * EPERM for the sender, which is what the dispatcher probes before each request. A table of our
 * own: it is replaced as a whole, atomically ({@code nft -f} runs a file as one transaction), and
 * nothing else of the host's ruleset is touched.
 */
public final class LoopbackRules {
    /** The two rules as {@code nft list} prints them: the drift check looks for exactly these. */
    public static final List<String> RULES = List.of(
            "meta skuid @loopback_only oifname != \"lo\" meta l4proto tcp reject with tcp reset",
            "meta skuid @loopback_only oifname != \"lo\" reject with icmpx admin-prohibited");

    private static final Pattern ELEMENTS = Pattern.compile("elements = \\{([^}]*)\\}");

    private LoopbackRules() {}

    /** The {@code nft -f} file for {@code users} (account names; nft resolves them when it loads the file). */
    public static String render(String table, Collection<String> users) {
        StringBuilder out = new StringBuilder();
        out.append("#!/usr/sbin/nft -f\n");
        out.append("# written by delegator apply; do not edit. sandbox network loopback: these delegate accounts'\n");
        out.append("# packets may leave only through lo (Linux routes the host's own addresses over it too).\n");
        // declare, delete, define: one transaction that replaces the table whether it exists or not
        out.append("table inet ").append(table).append('\n');
        out.append("delete table inet ").append(table).append('\n');
        out.append("table inet ").append(table).append(" {\n");
        out.append("\tset loopback_only {\n\t\ttype uid\n");
        if (!users.isEmpty()) {
            out.append("\t\telements = { ");
            out.append(String.join(", ", new TreeSet<>(users).stream().map(u -> "\"" + u + "\"").toList()));
            out.append(" }\n");
        }
        out.append("\t}\n\n\tchain output {\n\t\ttype filter hook output priority filter; policy accept;\n");
        for (String rule : RULES) {
            out.append("\t\t").append(rule).append('\n');
        }
        out.append("\t}\n}\n");
        return out.toString();
    }

    /**
     * The unit that loads the table at boot, before the network comes up, and again after
     * {@code nftables.service} (whose {@code flush ruleset} would remove it) starts or restarts.
     */
    public static String unit(Layout layout) {
        return "# written by delegator apply; do not edit\n"
                + "[Unit]\n"
                + "Description=delegator: loopback-only network for delegate accounts (sandbox network loopback)\n"
                + "DefaultDependencies=no\n"
                + "Wants=network-pre.target\n"
                + "Before=network-pre.target shutdown.target\n"
                + "After=local-fs.target nftables.service\n"
                + "PartOf=nftables.service\n"
                + "Conflicts=shutdown.target\n"
                + "\n"
                + "[Service]\n"
                + "Type=oneshot\n"
                + "RemainAfterExit=yes\n"
                + "ExecStart=/usr/sbin/nft -f " + layout.loopbackRules() + "\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    /**
     * Whether {@code listing} ({@code nft list table inet TABLE}) holds exactly the rules and the
     * uids {@code uids}: anything else (another element, a rule missing or changed) is drift.
     */
    public static boolean matches(String listing, Set<Integer> uids) {
        for (String rule : RULES) {
            if (!listing.contains(rule)) {
                return false;
            }
        }
        Set<Integer> found = new TreeSet<>();
        Matcher m = ELEMENTS.matcher(listing);
        if (m.find()) {
            for (String e : m.group(1).split(",")) {
                String v = e.trim();
                if (!v.matches("[0-9]+")) {
                    return false;
                }
                found.add(Integer.parseInt(v));
            }
        }
        return found.equals(new TreeSet<>(uids));
    }
}
