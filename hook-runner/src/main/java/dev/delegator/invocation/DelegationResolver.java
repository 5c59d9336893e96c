package dev.delegator.invocation;

import dev.delegator.client.DelegationTarget;
import dev.delegator.client.Material;
import dev.delegator.client.PinAdvice;
import dev.delegator.knownhosts.HostPort;
import dev.delegator.layout.Layout;
import dev.delegator.manifest.Auth;
import dev.delegator.manifest.DelegateHost;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.ManifestException;
import dev.delegator.manifest.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a delegation to the runner's targets: by NAME from the manifest and the provisioned
 * caller directory ({@code /var/lib/delegator/callers/<caller>/<name>/}), or from the explicit form.
 */
public final class DelegationResolver {
    private DelegationResolver() {}

    /** What a NAME resolves to: the targets and, from the manifest, the delegation (for its verbs). */
    public record Resolved(List<DelegationTarget> targets, Optional<Delegation> delegation) {}

    /**
     * @param name the delegation's name ("-" for the explicit form, where it only labels the audit line)
     * @param env the environment the {@code *Env} variables are read from
     */
    public static Resolved resolve(String name, TargetSpec spec, Map<String, String> env) throws ResolveException {
        if (spec.explicit()) {
            return new Resolved(explicit(name, spec, env), Optional.empty());
        }
        if (spec.user() != null || spec.identity() != null || spec.identityEnv() != null || spec.knownHosts() != null
                || spec.knownHostsEnv() != null || spec.certificate() != null || spec.certificateEnv() != null) {
            throw new ResolveException(ResolveException.Kind.USAGE,
                    "--user, --identity, --known-hosts and --certificate belong to the explicit form, which needs --host");
        }
        Layout layout = Layout.forRoot(spec.root());
        Path manifestFile = spec.manifest() != null ? spec.manifest() : layout.manifest();
        Manifest manifest;
        try {
            manifest = ManifestLoader.load(manifestFile);
        } catch (ManifestException e) {
            throw new ResolveException(ResolveException.Kind.INVALID_INPUT, e.getMessage(), e);
        }
        Delegation d = manifest.delegation(name).orElseThrow(() -> new ResolveException(ResolveException.Kind.INVALID_INPUT,
                "no delegation named " + name + " in " + manifestFile));
        String caller = d.caller().user();
        Path key = layout.callerKey(caller, d.name());
        Path knownHosts = layout.callerKnownHosts(caller, d.name());
        // a certificate delegation offers <key>-cert.pub (OpenSSH's convention); the runner refuses a missing or stale one
        Optional<Material> certificate = d.auth() == Auth.CERTIFICATE ? Optional.of(Material.file(certificateBeside(key))) : Optional.empty();
        List<DelegationTarget> targets = new ArrayList<>();
        for (DelegateHost h : d.hosts()) {
            targets.add(new DelegationTarget(d.name(), h.host(), h.port(), d.delegate().user(), Material.file(key),
                    Material.file(knownHosts), PinAdvice.MANIFEST, certificate));
        }
        return new Resolved(targets, Optional.of(d));
    }

    /** {@code <key>-cert.pub}: where OpenSSH (and {@code delegator ca sign}) put a key's certificate. */
    public static Path certificateBeside(Path key) {
        return key.resolveSibling(key.getFileName() + "-cert.pub");
    }

    private static List<DelegationTarget> explicit(String name, TargetSpec spec, Map<String, String> env) throws ResolveException {
        if (spec.user() == null) {
            throw new ResolveException(ResolveException.Kind.USAGE, "the explicit form needs --user");
        }
        Material identity = material("--identity", spec.identity(), "--identity-env", spec.identityEnv(), env);
        Material knownHosts = material("--known-hosts", spec.knownHosts(), "--known-hosts-env", spec.knownHostsEnv(), env);
        Optional<Material> certificate;
        if (spec.certificate() != null || spec.certificateEnv() != null) {
            certificate = Optional.of(material("--certificate", spec.certificate(), "--certificate-env", spec.certificateEnv(), env));
        } else if (spec.identity() != null && Files.isRegularFile(certificateBeside(spec.identity()))) {
            certificate = Optional.of(Material.file(certificateBeside(spec.identity())));
        } else {
            certificate = Optional.empty();
        }
        List<HostPort> hosts = new ArrayList<>();
        for (String h : spec.hosts()) {
            try {
                hosts.add(HostPort.parse(h, spec.port()));
            } catch (IllegalArgumentException e) {
                throw new ResolveException(ResolveException.Kind.USAGE, "--host " + h + ": " + e.getMessage(), e);
            }
        }
        if (spec.hostsFile() != null) {
            for (HostPort hp : HostsFile.read(spec.hostsFile(), spec.port())) {
                if (hosts.contains(hp)) {
                    throw new ResolveException(ResolveException.Kind.USAGE, hp.display() + " is both a --host and in "
                            + spec.hostsFile() + " (it would run twice)");
                }
                hosts.add(hp);
            }
        }
        List<DelegationTarget> out = new ArrayList<>();
        for (HostPort hp : hosts) {
            out.add(new DelegationTarget(name, hp.host(), hp.port(), spec.user(), identity, knownHosts, PinAdvice.KNOWN_HOSTS_LINE,
                    certificate));
        }
        return out;
    }

    private static Material material(String fileOpt, Path file, String envOpt, String var, Map<String, String> env)
            throws ResolveException {
        if ((file == null) == (var == null)) {
            throw new ResolveException(ResolveException.Kind.USAGE,
                    "the explicit form needs exactly one of " + fileOpt + " and " + envOpt);
        }
        if (file != null) {
            return Material.file(file);
        }
        String value = env.get(var);
        if (value == null || value.isBlank()) {
            throw new ResolveException(ResolveException.Kind.USAGE,
                    "environment variable " + var + " (" + envOpt + ") is not set or empty");
        }
        return Material.env(var, value);
    }
}
