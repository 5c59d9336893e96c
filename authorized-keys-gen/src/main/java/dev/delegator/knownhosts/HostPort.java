package dev.delegator.knownhosts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * A host and its sshd port, read and shown one way everywhere (manifest {@code hosts:}, the
 * command line's {@code --host}, messages, fan-out prefixes, the summary, the audit log).
 *
 * <p>Accepted: {@code host}, {@code host:port}, {@code [address]} and {@code [address]:port}
 * (the form known_hosts and ssh use), and a bare IPv6 address, which takes the default port.
 * Shown as {@code host}, {@code host:port}, and an IPv6 address always in brackets
 * ({@code [::1]:2222}, never the ambiguous {@code ::1:2222}).
 *
 * @param host a host name or address, without brackets
 * @param port 1..65535
 */
public record HostPort(String host, int port) {
    /** sshd's port when none is given. */
    public static final int SSH_PORT = 22;

    public HostPort {
        Objects.requireNonNull(host, "host");
        problem(host, port).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    /**
     * Why {@code host} and {@code port} cannot be a target, or empty when they can.
     * The one rule: every reader calls it and adds its own position.
     */
    public static Optional<String> problem(String host, int port) {
        if (host.isEmpty()) {
            return Optional.of("empty host name");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == ',' || c == '[' || c == ']' || c == '@' || c == '/' || c == '\\') {
                return Optional.of("'" + host + "' is not a host name or address (character '"
                        + (c <= 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c)) + "' at " + (i + 1) + ")");
            }
        }
        if (host.indexOf(':') >= 0 && !isIpv6(host)) {
            return Optional.of("'" + host + "' is not a host name or address");
        }
        if (port < 1 || port > 65535) {
            return Optional.of("port " + port + " is outside 1-65535");
        }
        return Optional.empty();
    }

    /**
     * Reads {@code text} as {@code host}, {@code host:port}, {@code [address]:port} or a bare IPv6
     * address; without a port, {@code defaultPort}.
     *
     * @throws IllegalArgumentException saying what is wrong, naming {@code text}
     */
    public static HostPort parse(String text, int defaultPort) {
        Objects.requireNonNull(text, "text");
        String host;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has '[' without ']': write [address]:port");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "' is not 'host', 'host:port' or '[address]:port'");
                }
                portText = rest.substring(1);
            }
        } else if (isIpv6(text)) {
            host = text;
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
        }
        int port = defaultPort;
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' has no valid port after ':' (want 1-65535)");
            }
            port = Integer.parseInt(portText);
        }
        Optional<String> p = problem(host, port);
        if (p.isPresent()) {
            throw new IllegalArgumentException(p.get());
        }
        return new HostPort(host, port);
    }

    /** True when the host is an IPv6 address (it holds a colon, which no host name does). */
    public boolean ipv6() {
        return host.indexOf(':') >= 0;
    }

    /** {@code host}, {@code host:port} when the port is not 22; an IPv6 address in brackets. */
    public String display() {
        String h = ipv6() ? "[" + host + "]" : host;
        return port == SSH_PORT ? h : h + ":" + port;
    }

    /** The host as known_hosts names it: {@code host} for port 22, else {@code [host]:port}. */
    public String knownHostsPattern() {
        return port == SSH_PORT ? host : "[" + host + "]:" + port;
    }

    @Override
    public String toString() {
        return display();
    }

    /** An IPv6 address as ssh reads one: hex digits, colons (at least two), dots for an embedded IPv4, a %zone. */
    private static boolean isIpv6(String s) {
        int colons = 0;
        int zone = s.indexOf('%');
        String addr = zone < 0 ? s : s.substring(0, zone);
        for (int i = 0; i < addr.length(); i++) {
            char c = addr.charAt(i);
            if (c == ':') {
                colons++;
            } else if (!(Character.digit(c, 16) >= 0 || c == '.')) {
                return false;
            }
        }
        if (colons < 2 || (zone >= 0 && zone == s.length() - 1)) {
            return false;
        }
        try {
            // a bracketed literal is parsed, never looked up (an IPv4-mapped one comes back as IPv4)
            InetAddress.getByName("[" + addr + "]");
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
