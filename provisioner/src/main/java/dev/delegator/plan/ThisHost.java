package dev.delegator.plan;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The names and addresses by which a manifest's host entries mean "this machine": its host name,
 * FQDN and interface addresses, or exactly one name given with {@code --host-name} (tests use
 * that to act as another host). {@code localhost} always means the caller's machine: see
 * {@link #isCallerHere} and {@link #isDelegateHere}.
 */
public record ThisHost(Set<String> names) {
    public ThisHost {
        Set<String> lower = new LinkedHashSet<>();
        for (String n : names) {
            lower.add(n.toLowerCase(Locale.ROOT));
        }
        names = Collections.unmodifiableSet(lower);
    }

    /** Detects the host name, FQDN and every interface address (no DNS beyond the local resolver). */
    public static ThisHost detect() {
        Set<String> names = new LinkedHashSet<>();
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getHostName());
            names.add(local.getCanonicalHostName());
        } catch (UnknownHostException e) {
            // a host without a resolvable name still has its addresses
        }
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    String s = a.getHostAddress();
                    int pct = s.indexOf('%');
                    names.add(pct >= 0 ? s.substring(0, pct) : s);
                }
            }
        } catch (SocketException e) {
            // no interfaces readable: names only
        }
        return new ThisHost(names);
    }

    /** Only this name (and localhost) identify this host. */
    public static ThisHost named(String name) {
        return new ThisHost(Set.of(name));
    }

    /** True when {@code host} names this machine. */
    public boolean is(String host) {
        return names.contains(host.toLowerCase(Locale.ROOT));
    }

    /** The caller runs here: its host is {@code localhost} (a single-machine setup) or names this machine. */
    public boolean isCallerHere(dev.delegator.manifest.Delegation d) {
        return d.caller().host().equals("localhost") || is(d.caller().host());
    }

    /** The delegate lives here: a {@code localhost} entry while the caller runs here, or an entry naming this machine. */
    public boolean isDelegateHere(dev.delegator.manifest.Delegation d) {
        for (dev.delegator.manifest.DelegateHost h : d.hosts()) {
            if (h.isLocalhost() ? isCallerHere(d) : is(h.host())) {
                return true;
            }
        }
        return false;
    }
}
