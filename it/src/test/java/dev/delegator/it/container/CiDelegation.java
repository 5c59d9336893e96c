package dev.delegator.it.container;

import dev.delegator.it.ssh.ClientKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One delegation of the CI form the container tests apply inside their hosts: caller {@code ci} on
 * {@code build1.it.example}, a delegate with its home under {@code /var/lib}, container hosts
 * pinned by their own host keys, {@code from=} the address the containers see for the caller, and
 * the caller key. The manifest text is written in one place, so a change to the manifest format
 * reaches every container test.
 */
public final class CiDelegation {
    private final String name;
    private String delegate;
    private Integer delegateUid;
    private final Map<String, ContainerHost> hosts = new LinkedHashMap<>();
    private final Map<String, String> verbs = new LinkedHashMap<>();
    private String sandbox;
    private boolean certificateAuth;
    private ClientKey callerKey;

    private CiDelegation(String name) {
        this.name = name;
    }

    public static CiDelegation named(String name) {
        return new CiDelegation(name);
    }

    /** The delegate account, home {@code /var/lib/USER}. */
    public CiDelegation delegate(String user) {
        this.delegate = user;
        return this;
    }

    /** A fixed uid for the delegate (see CaRotationIT for why a test may want one). */
    public CiDelegation delegateUid(int uid) {
        this.delegateUid = uid;
        return this;
    }

    /** A host of the delegation by its manifest name, pinned by the container's host key. */
    public CiDelegation host(String hostName, ContainerHost host) {
        hosts.put(hostName, host);
        return this;
    }

    /** A verb, its definition as YAML flow text, e.g. {@code {run: /usr/local/bin/x, args: ['v[0-9]+']}}. */
    public CiDelegation verb(String verb, String definition) {
        verbs.put(verb, definition);
        return this;
    }

    /** The sandbox as YAML flow text, e.g. {@code {filesystem: jail}}. */
    public CiDelegation sandbox(String definition) {
        this.sandbox = definition;
        return this;
    }

    /** {@code auth: certificate}: no caller key in the manifest, the hosts trust the manifest's CA. */
    public CiDelegation certificateAuth() {
        this.certificateAuth = true;
        return this;
    }

    public CiDelegation callerKey(ClientKey key) {
        this.callerKey = key;
        return this;
    }

    /** {@code version: 1}, then {@code header} (top-level settings such as {@code ca:}), then the delegations. */
    public static String manifest(String header, CiDelegation... delegations) {
        StringBuilder m = new StringBuilder("version: 1\n").append(header).append("delegations:\n");
        for (CiDelegation d : delegations) {
            d.appendTo(m);
        }
        return m.toString();
    }

    public static String manifest(CiDelegation... delegations) {
        return manifest("", delegations);
    }

    private void appendTo(StringBuilder m) {
        if (delegate == null || hosts.isEmpty() || verbs.isEmpty() || (callerKey == null && !certificateAuth)) {
            throw new IllegalStateException("delegation " + name + " needs a delegate, a host, a verb and a caller key or auth: certificate");
        }
        m.append("  ").append(name).append(":\n");
        if (certificateAuth) {
            m.append("    auth: certificate\n");
        }
        m.append("    caller: {user: ci, host: build1.it.example}\n");
        m.append("    delegate: {user: ").append(delegate).append(", home: /var/lib/").append(delegate);
        if (delegateUid != null) {
            m.append(", uid: ").append(delegateUid);
        }
        m.append("}\n    hosts:\n");
        hosts.forEach((hostName, host) -> m.append("      - {host: '").append(hostName).append("', hostKey: '")
                .append(host.hostPublicKey()).append("'}\n"));
        List<String> callers = new ArrayList<>();
        hosts.values().stream().map(ContainerHost::callerAddress).distinct().forEach(callers::add);
        m.append("    from: ['").append(String.join("', '", callers)).append("']\n    verbs:\n");
        verbs.forEach((verb, definition) -> m.append("      ").append(verb).append(": ").append(definition).append('\n'));
        if (sandbox != null) {
            m.append("    sandbox: ").append(sandbox).append('\n');
        }
        if (callerKey != null) {
            m.append("    callerPublicKey: '").append(callerKey.publicKey()).append(" ci@build1'\n");
        }
    }
}
