package dev.delegator.cli.run;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.client.DelegationTarget;
import dev.delegator.client.Material;
import dev.delegator.client.PinAdvice;
import dev.delegator.layout.Layout;
import dev.delegator.manifest.DelegateHost;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.ManifestException;
import dev.delegator.manifest.ManifestLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps the command line (explicit form) or the manifest and the provisioned caller directory
 * (NAME form) to the runner's targets. Kept here, in the CLI, so hook-runner does not depend on
 * the admin library.
 */
final class Targets {
    private Targets() {}

    /** {@code host:port} or {@code [v6-address]:port} in --host; a bare host takes --port. */
    private static final java.util.regex.Pattern HOST_PORT =
            java.util.regex.Pattern.compile("\\[([^\\]]+)\\]:(\\d{1,5})|([^:\\[\\]]+):(\\d{1,5})");

    /** What a NAME resolves to: the targets and the delegation (for its verbs), if from the manifest. */
    record Resolved(List<DelegationTarget> targets, Delegation delegation) {}

    static Resolved resolve(String name, TargetOptions o, Map<String, String> env) {
        if (o.explicit()) {
            return new Resolved(explicit(name, o, env), null);
        }
        if (o.user != null || o.identity != null || o.identityEnv != null || o.knownHosts != null
                || o.knownHostsEnv != null) {
            throw new UserFacingException(ExitCodes.USAGE,
                    "--user, --identity and --known-hosts belong to the explicit form, which needs --host");
        }
        Layout layout = o.root == null ? Layout.system() : Layout.under(o.root);
        Path manifestFile = o.manifest != null ? o.manifest : layout.manifest();
        Manifest manifest;
        try {
            manifest = ManifestLoader.load(manifestFile);
        } catch (ManifestException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, e.getMessage(), e);
        }
        Delegation d = manifest.delegation(name).orElseThrow(() -> new UserFacingException(ExitCodes.INVALID_INPUT,
                "no delegation named " + name + " in " + manifestFile));
        String caller = d.caller().user();
        Path key = layout.callerKey(caller, d.name());
        Path knownHosts = layout.callerKnownHosts(caller, d.name());
        List<DelegationTarget> targets = new ArrayList<>();
        for (DelegateHost h : d.hosts()) {
            targets.add(new DelegationTarget(d.name(), h.host(), h.port(), d.delegate().user(), Material.file(key),
                    Material.file(knownHosts), PinAdvice.MANIFEST));
        }
        return new Resolved(targets, d);
    }

    private static List<DelegationTarget> explicit(String name, TargetOptions o, Map<String, String> env) {
        if (o.user == null) {
            throw new UserFacingException(ExitCodes.USAGE, "the explicit form needs --user");
        }
        Material identity = material("--identity", o.identity, "--identity-env", o.identityEnv, env);
        Material knownHosts = material("--known-hosts", o.knownHosts, "--known-hosts-env", o.knownHostsEnv, env);
        List<DelegationTarget> out = new ArrayList<>();
        for (String h : o.hosts) {
            try {
                java.util.regex.Matcher m = HOST_PORT.matcher(h);
                String host = m.matches() ? (m.group(1) != null ? m.group(1) : m.group(3)) : h;
                int port = m.matches() ? Integer.parseInt(m.group(m.group(1) != null ? 2 : 4)) : o.port;
                out.add(new DelegationTarget(name, host, port, o.user, identity, knownHosts));
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(ExitCodes.USAGE, e.getMessage(), e);
            }
        }
        return out;
    }

    private static Material material(String fileOpt, Path file, String envOpt, String var, Map<String, String> env) {
        if ((file == null) == (var == null)) {
            throw new UserFacingException(ExitCodes.USAGE, "the explicit form needs exactly one of " + fileOpt + " and " + envOpt);
        }
        if (file != null) {
            return Material.file(file);
        }
        String value = env.get(var);
        if (value == null || value.isBlank()) {
            throw new UserFacingException(ExitCodes.USAGE, "environment variable " + var + " (" + envOpt + ") is not set or empty");
        }
        return Material.env(var, value);
    }
}
