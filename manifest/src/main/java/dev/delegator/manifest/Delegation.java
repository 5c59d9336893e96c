package dev.delegator.manifest;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One delegation of the manifest: the caller may run these verbs as the delegate on these hosts,
 * from these addresses, until it expires.
 *
 * @param name the delegation's name ({@code [a-z][a-z0-9-]{0,30}}), also the dispatcher config's name
 * @param caller who starts it
 * @param delegate the account the work runs as
 * @param hosts where the delegate lives (at least one)
 * @param from client addresses/CIDRs allowed ({@code from=}); never empty after loading
 * @param allowHostNames whether host names are allowed in {@code from} (they need {@code UseDNS yes}; default false)
 * @param expires when the key stops working; empty for never
 * @param verbs the allowed verbs, by name, in name order (at least one)
 * @param resources paths apply creates for the delegate
 * @param sandbox the dispatcher's limits
 * @param settings extra context for the verb scripts; key {@code source} becomes {@code DELEGATOR_SOURCE}
 * @param callerPublicKey the caller's public key line, needed on a delegate host where the caller does not run
 */
public record Delegation(
        String name,
        CallerSpec caller,
        DelegateSpec delegate,
        List<DelegateHost> hosts,
        List<String> from,
        boolean allowHostNames,
        Optional<Expiry> expires,
        SortedMap<String, Verb> verbs,
        List<Resource> resources,
        Sandbox sandbox,
        SortedMap<String, String> settings,
        Optional<String> callerPublicKey) {

    public Delegation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(callerPublicKey, "callerPublicKey");
        hosts = List.copyOf(hosts);
        from = List.copyOf(from);
        verbs = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(verbs));
        resources = List.copyOf(resources);
        settings = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(settings));
        if (!Names.isDelegationName(name)) {
            throw new IllegalArgumentException("delegation name (" + name + ") must match [a-z][a-z0-9-]{0,30}");
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("delegation " + name + " needs at least one host");
        }
        if (from.isEmpty()) {
            throw new IllegalArgumentException("delegation " + name + " needs at least one from address");
        }
        for (String entry : from) {
            // the loader's rule, by the same method: a Delegation built in code is held to it too
            ManifestLoader.fromProblem(entry, allowHostNames).ifPresent(p -> {
                throw new IllegalArgumentException("delegation " + name + ": " + p);
            });
        }
        dev.delegator.authorizedkeys.FromPattern.listProblem(from).ifPresent(p -> {
            throw new IllegalArgumentException("delegation " + name + ": " + p);
        });
        callerPublicKey.flatMap(ManifestLoader::callerKeyProblem).ifPresent(p -> {
            throw new IllegalArgumentException("delegation " + name + " callerPublicKey: " + p);
        });
        if (verbs.isEmpty()) {
            throw new IllegalArgumentException("delegation " + name + " needs at least one verb");
        }
        for (Map.Entry<String, Verb> e : verbs.entrySet()) {
            if (!e.getKey().equals(e.getValue().name())) {
                throw new IllegalArgumentException("verb key (" + e.getKey() + ") differs from its name (" + e.getValue().name() + ")");
            }
        }
    }

    /** The environment variable name a setting becomes: {@code source} -> {@code DELEGATOR_SOURCE}. */
    public static String settingVariable(String key) {
        return "DELEGATOR_" + key.toUpperCase(java.util.Locale.ROOT);
    }
}
