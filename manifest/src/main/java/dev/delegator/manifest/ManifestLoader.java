package dev.delegator.manifest;

import dev.delegator.authorizedkeys.DelegationLine;
import dev.delegator.authorizedkeys.FromPattern;
import dev.delegator.keys.KeyFormatException;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.knownhosts.HostPort;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Loads a delegation manifest. SnakeYAML only composes the document into nodes (no object
 * construction at all, so no arbitrary types), under limits: {@value #MAX_CODE_POINTS} code
 * points, nesting depth {@value #MAX_NESTING}, {@value #MAX_ALIASES} aliases to collections
 * (a billion-laughs document fails at composition, before anything expands). This class then
 * walks the nodes itself so that every problem names {@code file:line:column} and the field
 * path. It reports every problem it finds and refuses the manifest if there is any.
 */
public final class ManifestLoader {
    /** Largest manifest accepted, in code points (about 1 MiB of text). */
    public static final int MAX_CODE_POINTS = 1 << 20;
    /** Deepest nesting of mappings and lists accepted. */
    public static final int MAX_NESTING = 20;
    /** Most aliases of mappings or lists in one document. */
    public static final int MAX_ALIASES = 20;

    /** Where the manifest lives by default. */
    public static final Path DEFAULT_PATH = Path.of("/etc/delegator/delegations.yaml");

    private static final Set<String> TOP = Set.of("version", "uidRange", "gidRange", "groups", "delegations", "ca",
            "hostCertificates");
    private static final Set<String> HOST_CERTIFICATES = Set.of("authorities", "revoked", "serve");
    private static final Set<String> AUTHORITY = Set.of("hosts", "key");
    private static final Set<String> CA = Set.of("keys", "krl");
    private static final Set<String> DELEGATION = Set.of("caller", "delegate", "hosts", "from", "allowHostNames",
            "expires", "verbs", "resources", "sandbox", "settings", "callerPublicKey", "auth");
    private static final Set<String> CALLER = Set.of("user", "host", "reuse");
    private static final Set<String> DELEGATE = Set.of("user", "home", "uid", "groups");
    private static final Set<String> HOST = Set.of("host", "hostKey", "knownHosts");
    private static final Set<String> VERB = Set.of("run", "args", "capabilities");
    private static final Set<String> RESOURCE = Set.of("path", "mode", "owner", "group", "kind", "readOnly");
    private static final Set<String> SANDBOX = Set.of("network", "timeout", "processes", "memory", "filesize", "filesystem");
    private static final Set<String> GROUP = Set.of("name", "gid");

    private static final Pattern RANGE = Pattern.compile("([0-9]{1,10})-([0-9]{1,10})");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");

    private ManifestLoader() {}

    /** Reads and loads a manifest file; an unreadable or non-UTF-8 file is a problem with no position. */
    public static Manifest load(Path file) throws ManifestException {
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ManifestException(List.of(new ManifestProblem(source, 0, 0, "",
                    "no manifest here; write one (see README, \"Manifest\") or give another with --manifest FILE")));
        } catch (IOException e) {
            throw new ManifestException(List.of(new ManifestProblem(source, 0, 0, "",
                    "cannot read the manifest: " + e.getMessage() + " (give another with --manifest FILE)")));
        }
        if (bytes.length > 4L * MAX_CODE_POINTS) {
            throw new ManifestException(List.of(new ManifestProblem(source, 0, 0, "",
                    "the manifest is " + bytes.length + " bytes; at most " + MAX_CODE_POINTS + " characters are accepted")));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ManifestException(List.of(new ManifestProblem(source, 0, 0, "", "the manifest is not valid UTF-8; save it as UTF-8")));
        }
        return parse(text, source);
    }

    /** Loads a manifest from text; {@code source} names it in messages. */
    public static Manifest parse(String text, String source) throws ManifestException {
        NodeReader r = new NodeReader(source);
        Node root = compose(text, source);
        if (root == null) {
            throw new ManifestException(List.of(new ManifestProblem(source, 1, 1, "",
                    "the manifest is empty; start with 'version: 1' and 'delegations:'")));
        }
        Manifest m = new Walker(r, source).manifest(root);
        if (!r.problems().isEmpty() || m == null) {
            if (r.problems().isEmpty()) {
                r.problem(root, "", "the manifest could not be read");
            }
            throw new ManifestException(r.problems());
        }
        return m;
    }

    private static Node compose(String text, String source) throws ManifestException {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(false);
        opts.setMaxAliasesForCollections(MAX_ALIASES);
        opts.setNestingDepthLimit(MAX_NESTING);
        opts.setCodePointLimit(MAX_CODE_POINTS);
        opts.setAllowRecursiveKeys(false);
        opts.setProcessComments(false);
        DumperOptions dump = new DumperOptions();
        Yaml yaml = new Yaml(new SafeConstructor(opts), new Representer(dump), dump, opts);
        try {
            return yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            org.yaml.snakeyaml.error.Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new ManifestException(List.of(new ManifestProblem(source, m == null ? 0 : m.getLine() + 1,
                    m == null ? 0 : m.getColumn() + 1, "", "not valid YAML: " + oneLine(what) + advice(what))));
        } catch (YAMLException e) {
            throw new ManifestException(List.of(new ManifestProblem(source, 0, 0, "", "refused: " + oneLine(e.getMessage()) + advice(e.getMessage()))));
        }
    }

    private static String advice(String what) {
        if (what == null) {
            return "";
        }
        if (what.contains("aliases")) {
            return " (too many aliases: a manifest needs few or none; this looks like an alias bomb)";
        }
        if (what.contains("Nesting Depth")) {
            return " (nested deeper than " + MAX_NESTING + " levels)";
        }
        if (what.contains("code points")) {
            return " (the manifest is larger than " + MAX_CODE_POINTS + " characters)";
        }
        return "";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    /** The tree walk: one method per manifest element, each reporting into the reader. */
    private static final class Walker {
        private final NodeReader r;
        private final String source;
        /** Read before the delegations: a remote host they cover needs no hostKey. */
        private Optional<HostCertificates> hostCertificates = Optional.empty();
        private boolean hostCertificatesBroken;

        Walker(NodeReader r, String source) {
            this.r = r;
            this.source = source;
        }

        Manifest manifest(Node root) {
            Optional<Map<String, Node>> top = r.mapping(root, "", TOP);
            if (top.isEmpty()) {
                return null;
            }
            Map<String, Node> f = top.get();
            int version = 0;
            if (!f.containsKey("version")) {
                r.problem(root, "version", "missing; add 'version: 1' at the top");
            } else {
                Optional<String> v = r.scalar(f.get("version"), "version");
                if (v.isPresent() && !v.get().equals("1")) {
                    r.problem(f.get("version"), "version", "unsupported version '" + v.get() + "'; this delegator reads version 1");
                } else if (v.isPresent()) {
                    version = 1;
                }
            }
            Optional<IdRange> uidRange = range(f.get("uidRange"), "uidRange");
            Optional<IdRange> gidRange = range(f.get("gidRange"), "gidRange");
            List<SharedGroup> groups = groups(f.get("groups"));
            int beforeCa = r.problems().size();
            Optional<CaTrust> ca = ca(f.get("ca"));
            boolean caBroken = r.problems().size() > beforeCa;
            int beforeHostCa = r.problems().size();
            hostCertificates = hostCertificates(f.get("hostCertificates"));
            hostCertificatesBroken = r.problems().size() > beforeHostCa;
            List<Delegation> delegations = new ArrayList<>();
            if (!f.containsKey("delegations")) {
                r.problem(root, "delegations", "missing; add 'delegations:' with one entry per delegation, keyed by its name");
            } else {
                delegations = delegations(f.get("delegations"), groups, ca.isPresent() || caBroken);
            }
            if (!r.problems().isEmpty()) {
                return null;
            }
            return new Manifest(source, version, uidRange, gidRange, groups, delegations, ca, hostCertificates);
        }

        Optional<HostCertificates> hostCertificates(Node node) {
            if (node == null) {
                return Optional.empty();
            }
            Optional<Map<String, Node>> m = r.mapping(node, "hostCertificates", HOST_CERTIFICATES);
            if (m.isEmpty()) {
                return Optional.empty();
            }
            List<HostCertificates.Authority> authorities = new ArrayList<>();
            Node an = m.get().get("authorities");
            Optional<List<Node>> aseq = an == null ? Optional.of(List.of()) : r.sequence(an, "hostCertificates.authorities");
            for (int i = 0; aseq.isPresent() && i < aseq.get().size(); i++) {
                String p = "hostCertificates.authorities[" + i + "]";
                Node item = aseq.get().get(i);
                Optional<Map<String, Node>> a = r.mapping(item, p, AUTHORITY);
                if (a.isEmpty()) {
                    continue;
                }
                if (!a.get().containsKey("hosts") || !a.get().containsKey("key")) {
                    r.problem(item, p, "needs 'hosts:' (patterns such as '*.example.org') and 'key:' (the line 'delegator ca init --host' printed)");
                    continue;
                }
                Optional<String> hosts = r.scalar(a.get().get("hosts"), p + ".hosts");
                Optional<String> key = r.scalar(a.get().get("key"), p + ".key");
                if (hosts.isEmpty() || key.isEmpty()) {
                    continue;
                }
                Optional<String> hp = dev.delegator.knownhosts.HostPatterns.listProblem(hosts.get());
                if (hp.isPresent()) {
                    r.problem(a.get().get("hosts"), p + ".hosts", hp.get());
                    continue;
                }
                PublicKeyLine k;
                try {
                    k = PublicKeyLine.parse(key.get());
                } catch (KeyFormatException e) {
                    r.problem(a.get().get("key"), p + ".key", "not a public key line (" + e.getMessage() + "); paste the line 'delegator ca init --host' printed");
                    continue;
                }
                if (k.type().certificate()) {
                    r.problem(a.get().get("key"), p + ".key", "a certificate, not a CA key; list the host CA's public key (ca_ed25519.pub)");
                    continue;
                }
                authorities.add(new HostCertificates.Authority(hosts.get(), k.toLine()));
            }
            List<String> revoked = new ArrayList<>();
            Node rn = m.get().get("revoked");
            Optional<List<Node>> rseq = rn == null ? Optional.of(List.of()) : r.sequence(rn, "hostCertificates.revoked");
            for (int i = 0; rseq.isPresent() && i < rseq.get().size(); i++) {
                String p = "hostCertificates.revoked[" + i + "]";
                Optional<String> v = r.scalar(rseq.get().get(i), p);
                if (v.isEmpty()) {
                    continue;
                }
                try {
                    revoked.add(PublicKeyLine.parse(v.get()).toLine());
                } catch (KeyFormatException e) {
                    r.problem(rseq.get().get(i), p, "not a public key line (" + e.getMessage() + ")");
                }
            }
            List<Path> serve = new ArrayList<>();
            Node sn = m.get().get("serve");
            Optional<List<Node>> sseq = sn == null ? Optional.of(List.of()) : r.sequence(sn, "hostCertificates.serve");
            for (int i = 0; sseq.isPresent() && i < sseq.get().size(); i++) {
                String p = "hostCertificates.serve[" + i + "]";
                Path path = absolutePath(sseq.get().get(i), p);
                if (path == null) {
                    continue;
                }
                if (serve.contains(path)) {
                    r.problem(sseq.get().get(i), p, "'" + path + "' is listed twice");
                    continue;
                }
                serve.add(path);
            }
            if (authorities.isEmpty() && revoked.isEmpty() && serve.isEmpty()) {
                r.problem(node, "hostCertificates", "empty; give 'authorities:' (callers) and/or 'serve:' (delegate hosts)");
                return Optional.empty();
            }
            return Optional.of(new HostCertificates(authorities, revoked, serve));
        }

        Optional<IdRange> range(Node node, String path) {
            if (node == null) {
                return Optional.empty();
            }
            Optional<String> v = r.scalar(node, path);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            Matcher m = RANGE.matcher(v.get());
            if (m.matches()) {
                long a = Long.parseLong(m.group(1));
                long b = Long.parseLong(m.group(2));
                if (a >= 1 && b >= a && b < 4294967295L && b <= Integer.MAX_VALUE) {
                    return Optional.of(new IdRange((int) a, (int) b));
                }
            }
            r.problem(node, path, "'" + v.get() + "' is not an id range; write 'FIRST-LAST', e.g. '61000-61999'");
            return Optional.empty();
        }

        List<SharedGroup> groups(Node node) {
            List<SharedGroup> out = new ArrayList<>();
            if (node == null) {
                return out;
            }
            Optional<List<Node>> seq = r.sequence(node, "groups");
            if (seq.isEmpty()) {
                return out;
            }
            Map<String, Node> seen = new HashMap<>();
            for (int i = 0; i < seq.get().size(); i++) {
                String path = "groups[" + i + "]";
                Node item = seq.get().get(i);
                Optional<Map<String, Node>> g = r.mapping(item, path, GROUP);
                if (g.isEmpty()) {
                    continue;
                }
                String name = linuxName(g.get().get("name"), item, path + ".name", "group");
                OptionalInt gid = id(g.get().get("gid"), path + ".gid");
                if (name != null) {
                    if (seen.containsKey(name)) {
                        r.problem(g.get().get("name"), path + ".name", "group '" + name + "' is declared twice");
                    } else {
                        seen.put(name, item);
                        out.add(new SharedGroup(name, gid));
                    }
                }
            }
            return out;
        }

        /** {@code ca: {keys: [...], krl: FILE}}; every key read by the formats library's one public-key reader. */
        Optional<CaTrust> ca(Node node) {
            if (node == null) {
                return Optional.empty();
            }
            Optional<Map<String, Node>> m = r.mapping(node, "ca", CA);
            if (m.isEmpty()) {
                return Optional.empty();
            }
            List<String> keys = new ArrayList<>();
            Node keysNode = m.get().get("keys");
            if (keysNode == null) {
                r.problem(node, "ca.keys", "missing; add 'keys: [ssh-ed25519 AAAA... ]' with the public key 'delegator ca init' printed");
            } else {
                Optional<List<Node>> seq = r.sequence(keysNode, "ca.keys");
                if (seq.isPresent() && seq.get().isEmpty()) {
                    r.problem(keysNode, "ca.keys", "empty; list at least one CA public key");
                }
                Map<String, Integer> seen = new HashMap<>();
                for (int i = 0; seq.isPresent() && i < seq.get().size(); i++) {
                    String p = "ca.keys[" + i + "]";
                    Node item = seq.get().get(i);
                    Optional<String> v = r.scalar(item, p);
                    if (v.isEmpty()) {
                        continue;
                    }
                    dev.delegator.keys.PublicKeyLine key;
                    try {
                        key = dev.delegator.keys.PublicKeyLine.parse(v.get());
                    } catch (dev.delegator.keys.KeyFormatException e) {
                        r.problem(item, p, "not a public key line (" + e.getMessage() + "); paste the line 'delegator ca init' printed");
                        continue;
                    }
                    if (key.type().certificate()) {
                        r.problem(item, p, "a certificate, not a CA key; list the CA's public key (ca_ed25519.pub)");
                        continue;
                    }
                    Integer other = seen.putIfAbsent(key.fingerprint(), i);
                    if (other != null) {
                        r.problem(item, p, "the same key as ca.keys[" + other + "]");
                        continue;
                    }
                    keys.add(key.toLine());
                }
            }
            Optional<Path> krl = Optional.empty();
            if (m.get().containsKey("krl")) {
                Path k = absolutePath(m.get().get("krl"), "ca.krl");
                krl = Optional.ofNullable(k);
            }
            if (keys.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new CaTrust(keys, krl));
        }

        List<Delegation> delegations(Node node, List<SharedGroup> groups, boolean haveCa) {
            List<Delegation> out = new ArrayList<>();
            Optional<Map<String, Node>> map = r.mapping(node, "delegations", null);
            if (map.isEmpty()) {
                return out;
            }
            Map<String, Node> keyNodes = NodeReader.keyNodes((MappingNode) node);
            Map<String, String> delegateUsers = new HashMap<>();
            for (Map.Entry<String, Node> e : map.get().entrySet()) {
                String name = e.getKey();
                String path = "delegations." + name;
                if (!Names.isDelegationName(name)) {
                    r.problem(keyNodes.get(name), path, "delegation name '" + name
                            + "' must be 1-31 characters of a-z, 0-9 and '-', starting with a letter");
                    continue;
                }
                Delegation d = delegation(name, e.getValue(), path, groups, haveCa);
                if (d != null) {
                    String other = delegateUsers.putIfAbsent(d.delegate().user(), name);
                    if (other != null) {
                        r.problem(keyNodes.get(name), path + ".delegate.user", "delegate user '" + d.delegate().user()
                                + "' is already the delegate of '" + other + "'; give each delegation its own delegate user");
                        continue;
                    }
                    out.add(d);
                }
            }
            // an empty map is valid: apply then removes whatever delegator left on the host
            return out;
        }

        Delegation delegation(String name, Node node, String path, List<SharedGroup> groups, boolean haveCa) {
            int before = r.problems().size();
            Optional<Map<String, Node>> m = r.mapping(node, path, DELEGATION);
            if (m.isEmpty()) {
                return null;
            }
            Map<String, Node> f = m.get();
            CallerSpec caller = required(f, node, path, "caller", "add 'caller: {user: hg}'") ? caller(f.get("caller"), path + ".caller") : null;
            DelegateSpec delegate = required(f, node, path, "delegate", "add 'delegate: {user: dlg-" + name + ", home: /var/lib/dlg-" + name + "}'")
                    ? delegate(f.get("delegate"), path + ".delegate") : null;
            List<DelegateHost> hosts = required(f, node, path, "hosts", "add 'hosts: [localhost]'") ? hosts(f.get("hosts"), path + ".hosts") : List.of();
            boolean allowHostNames = bool(f.get("allowHostNames"), path + ".allowHostNames", false);
            List<String> from = from(f.get("from"), node, path, caller, hosts, allowHostNames);
            Optional<Expiry> expires = expiry(f.get("expires"), path + ".expires");
            TreeMap<String, Verb> verbs = required(f, node, path, "verbs", "add 'verbs: {deploy: {run: /usr/lib/delegator/deploy/hg-deploy, args: [\"[0-9a-f]{40}\"]}}'")
                    ? verbs(f.get("verbs"), path + ".verbs") : new TreeMap<>();
            List<Resource> resources = resources(f.get("resources"), path + ".resources");
            Sandbox sandbox = sandbox(f.get("sandbox"), path + ".sandbox");
            TreeMap<String, String> settings = settings(f.get("settings"), path + ".settings");
            readOnlyNeedsJail(f.get("resources"), sandbox, path + ".resources");
            capabilitiesNeedHostSandbox(f.get("verbs"), verbs, sandbox, path + ".verbs");
            Optional<String> callerKey = Optional.empty();
            if (f.containsKey("callerPublicKey")) {
                Optional<String> k = r.scalar(f.get("callerPublicKey"), path + ".callerPublicKey");
                if (k.isPresent()) {
                    String key = k.get().trim();
                    Optional<String> problem = callerKeyProblem(key);
                    if (problem.isPresent()) {
                        r.problem(f.get("callerPublicKey"), path + ".callerPublicKey", problem.get()
                                + "; paste the 'ssh-ed25519 AAAA... comment' line 'delegator apply' printed on the caller host");
                    } else {
                        callerKey = Optional.of(key);
                    }
                }
            }
            Auth auth = auth(f, path, from, haveCa);
            if (r.problems().size() > before || caller == null || delegate == null || hosts.isEmpty() || verbs.isEmpty() || from.isEmpty()) {
                if (r.problems().size() == before) {
                    r.problem(node, path, "incomplete delegation");
                }
                return null;
            }
            return new Delegation(name, caller, delegate, hosts, from, allowHostNames, expires, verbs, resources, sandbox, settings, callerKey, auth);
        }

        /** {@code auth: key|certificate}; a certificate needs the top-level ca: and a from a source-address can express. */
        private Auth auth(Map<String, Node> f, String path, List<String> from, boolean haveCa) {
            Node node = f.get("auth");
            if (node == null) {
                return Auth.KEY;
            }
            Optional<String> v = r.scalar(node, path + ".auth");
            if (v.isEmpty()) {
                return Auth.KEY;
            }
            if (v.get().equals("key")) {
                return Auth.KEY;
            }
            if (!v.get().equals("certificate")) {
                r.problem(node, path + ".auth", "'" + v.get() + "' is not an auth; write 'key' (the default) or 'certificate'");
                return Auth.KEY;
            }
            if (!haveCa) {
                r.problem(node, path + ".auth", "certificate needs the CA keys: add a top-level 'ca: {keys: [...]}' with the key 'delegator ca init' printed");
            }
            if (f.containsKey("callerPublicKey")) {
                r.problem(f.get("callerPublicKey"), path + ".callerPublicKey", "a certificate delegation needs no caller key on the delegate host; remove callerPublicKey");
            }
            if (!from.isEmpty()) {
                Optional<String> sa = dev.delegator.certificates.SourceAddress.problem(from);
                if (sa.isPresent()) {
                    Node at = f.containsKey("from") ? f.get("from") : node;
                    r.problem(at, path + ".from", sa.get());
                }
            }
            return Auth.CERTIFICATE;
        }

        /**
         * A read-only resource is only read-only inside a jail's mount namespace; on the host's
         * filesystem the delegate owns it and nothing could stop a write, so the promise is refused.
         */
        private void readOnlyNeedsJail(Node node, Sandbox sandbox, String path) {
            if (sandbox.filesystem() == Sandbox.Filesystem.JAIL || !(node instanceof SequenceNode seq)) {
                return;
            }
            for (int i = 0; i < seq.getValue().size(); i++) {
                if (seq.getValue().get(i) instanceof MappingNode item) {
                    Node value = valueOf(item, "readOnly");
                    if (value instanceof ScalarNode sc && sc.getValue().equals("true")) {
                        r.problem(value, path + "[" + i + "].readOnly",
                                "read-only needs 'sandbox: {filesystem: jail}': on the host's filesystem nothing stops the delegate writing what it owns");
                    }
                }
            }
        }

        private static Node valueOf(MappingNode m, String key) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
            return null;
        }

        private boolean required(Map<String, Node> f, Node parent, String path, String key, String todo) {
            if (!f.containsKey(key)) {
                r.problem(parent, NodeReader.child(path, key), "missing; " + todo);
                return false;
            }
            return true;
        }

        CallerSpec caller(Node node, String path) {
            Optional<Map<String, Node>> m = r.mapping(node, path, CALLER);
            if (m.isEmpty()) {
                return null;
            }
            String user = linuxName(m.get().get("user"), node, path + ".user", "user");
            String host = "localhost";
            if (m.get().containsKey("host")) {
                Optional<String> h = r.scalar(m.get().get("host"), path + ".host");
                if (h.isPresent() && (HOST_NAME.matcher(h.get()).matches() || isAddress(h.get()))) {
                    host = h.get();
                } else if (h.isPresent()) {
                    r.problem(m.get().get("host"), path + ".host", "'" + h.get() + "' is not a host name or address");
                    return null;
                }
            }
            Optional<Duration> reuse = Optional.empty();
            if (m.get().containsKey("reuse")) {
                Optional<String> v = r.scalar(m.get().get("reuse"), path + ".reuse");
                Optional<Duration> d = v.flatMap(Quantities::duration);
                if (v.isPresent() && (d.isEmpty() || d.get().isZero())) {
                    r.problem(m.get().get("reuse"), path + ".reuse", "'" + v.get() + "' is not a positive duration; give e.g. 10m "
                            + "(N seconds, or N followed by s, m, h, d or w)");
                    return null;
                }
                reuse = d;
            }
            return user == null ? null : new CallerSpec(user, host, reuse);
        }

        DelegateSpec delegate(Node node, String path) {
            Optional<Map<String, Node>> m = r.mapping(node, path, DELEGATE);
            if (m.isEmpty()) {
                return null;
            }
            String user = linuxName(m.get().get("user"), node, path + ".user", "user");
            Path home = null;
            if (!m.get().containsKey("home")) {
                r.problem(node, path + ".home", "missing; give the delegate's home directory, e.g. 'home: /var/lib/" + (user == null ? "dlg-NAME" : user) + "'");
            } else {
                home = absolutePath(m.get().get("home"), path + ".home");
                Optional<String> tree = home == null ? Optional.empty() : Names.systemTreeOf(home.toString());
                if (tree.isPresent() || (home != null && home.getNameCount() < 2)) {
                    r.problem(m.get().get("home"), path + ".home", "'" + home + "' is " + tree.map(t -> "in the system tree " + t).orElse("too close to /")
                            + "; the delegate owns its home: give it one of its own, e.g. /var/lib/" + (user == null ? "dlg-NAME" : user));
                    home = null;
                }
            }
            OptionalInt uid = id(m.get().get("uid"), path + ".uid");
            List<String> groups = new ArrayList<>();
            if (m.get().containsKey("groups")) {
                Node gn = m.get().get("groups");
                Optional<List<String>> gs = r.scalars(gn, path + ".groups");
                if (gs.isPresent()) {
                    for (int i = 0; i < gs.get().size(); i++) {
                        String g = gs.get().get(i);
                        if (!Names.isLinuxName(g)) {
                            r.problem(gn, path + ".groups[" + i + "]", "'" + g + "' is not a valid Linux group name ([a-z_][a-z0-9_-]*, at most 32)");
                        } else if (g.equals("delegator")) {
                            r.problem(gn, path + ".groups[" + i + "]", "every delegate joins 'delegator'; leave it out");
                        } else if (!groups.contains(g)) {
                            groups.add(g);
                        }
                    }
                }
            }
            if (user == null || home == null) {
                return null;
            }
            return new DelegateSpec(user, home, uid, groups);
        }

        List<DelegateHost> hosts(Node node, String path) {
            List<DelegateHost> out = new ArrayList<>();
            Optional<List<Node>> seq = node instanceof ScalarNode ? Optional.of(List.of(node)) : r.sequence(node, path);
            if (seq.isEmpty()) {
                return out;
            }
            if (seq.get().isEmpty()) {
                r.problem(node, path, "empty; name at least one host, e.g. [localhost]");
            }
            for (int i = 0; i < seq.get().size(); i++) {
                Node item = seq.get().get(i);
                String p = path + "[" + i + "]";
                Node hostNode = item;
                Optional<String> hostKey = Optional.empty();
                Optional<Path> knownHosts = Optional.empty();
                if (item instanceof MappingNode) {
                    Optional<Map<String, Node>> m = r.mapping(item, p, HOST);
                    if (m.isEmpty()) {
                        continue;
                    }
                    if (!m.get().containsKey("host")) {
                        r.problem(item, p + ".host", "missing; give 'host: NAME' or 'host: NAME:PORT'");
                        continue;
                    }
                    hostNode = m.get().get("host");
                    if (m.get().containsKey("hostKey")) {
                        Optional<String> k = r.scalar(m.get().get("hostKey"), p + ".hostKey");
                        Optional<String> problem = k.flatMap(key -> hostKeyProblem(key.trim()));
                        if (problem.isPresent()) {
                            r.problem(m.get().get("hostKey"), p + ".hostKey", problem.get() + "; paste the host's /etc/ssh/ssh_host_ed25519_key.pub");
                            continue; // one problem for one bad key, not also "needs its host key pinned"
                        } else {
                            hostKey = k.map(String::trim);
                        }
                    }
                    if (m.get().containsKey("knownHosts")) {
                        Path kh = absolutePath(m.get().get("knownHosts"), p + ".knownHosts");
                        knownHosts = Optional.ofNullable(kh);
                    }
                }
                Optional<String> text = r.scalar(hostNode, p);
                if (text.isEmpty()) {
                    continue;
                }
                HostPort hp;
                try {
                    hp = HostPort.parse(text.get(), HostPort.SSH_PORT);
                } catch (IllegalArgumentException e) {
                    r.problem(hostNode, p, e.getMessage());
                    continue;
                }
                String host = hp.host();
                int port = hp.port();
                if (!(HOST_NAME.matcher(host).matches() || isAddress(host))) {
                    r.problem(hostNode, p, "'" + host + "' is not a host name or address");
                    continue;
                }
                boolean local = host.equals("localhost");
                boolean underCa = hostCertificates.map(hc -> hc.covers(new HostPort(host, port))).orElse(false);
                if (!local && hostKey.isEmpty() && knownHosts.isEmpty() && !underCa) {
                    if (!hostCertificatesBroken) {
                        r.problem(hostNode, p, "remote host '" + host + "' needs its host key pinned: write {host: " + text.get()
                                + ", hostKey: 'ssh-ed25519 AAAA...'} (or knownHosts: FILE), or list a host CA for it under "
                                + "hostCertificates.authorities; delegator never trusts on first use");
                    }
                    continue;
                }
                if (local && (hostKey.isPresent() || knownHosts.isPresent())) {
                    r.problem(item, p, "localhost is pinned by this machine's own host keys; remove hostKey/knownHosts");
                    continue;
                }
                DelegateHost dh = new DelegateHost(host, port, hostKey, knownHosts);
                if (out.stream().anyMatch(o -> o.host().equals(dh.host()) && o.port() == dh.port())) {
                    r.problem(hostNode, p, "host '" + dh.display() + "' is listed twice");
                    continue;
                }
                out.add(dh);
            }
            return out;
        }

        List<String> from(Node node, Node parent, String path, CallerSpec caller, List<DelegateHost> hosts, boolean allowHostNames) {
            String p = path + ".from";
            if (node == null) {
                boolean allLocal = caller != null && caller.host().equals("localhost") && hosts.stream().allMatch(DelegateHost::isLocalhost);
                if (allLocal) {
                    return List.of("127.0.0.1", "::1");
                }
                if (caller != null && !hosts.isEmpty()) {
                    r.problem(parent, p, "missing; a caller on '" + caller.host() + "' reaching "
                            + (hosts.stream().allMatch(DelegateHost::isLocalhost) ? "localhost" : "a remote host")
                            + " needs its addresses listed, e.g. from: ['192.0.2.10', '2001:db8::10']");
                }
                return List.of();
            }
            Optional<List<String>> items = r.scalars(node, p);
            if (items.isEmpty()) {
                return List.of();
            }
            if (items.get().isEmpty()) {
                r.problem(node, p, "empty; list the caller's addresses or CIDRs");
                return List.of();
            }
            List<String> out = new ArrayList<>();
            boolean allRead = true;
            for (int i = 0; i < items.get().size(); i++) {
                String a = items.get().get(i);
                Optional<String> problem = fromProblem(a, allowHostNames);
                if (problem.isPresent()) {
                    allRead = false;
                    r.problem(node, p + "[" + i + "]", problem.get());
                } else if (!out.contains(a)) {
                    out.add(a);
                }
            }
            if (allRead) {
                FromPattern.listProblem(out).ifPresent(problem -> r.problem(node, p, problem));
            }
            return out;
        }

        Optional<Expiry> expiry(Node node, String path) {
            if (node == null) {
                return Optional.empty();
            }
            Optional<String> v = r.scalar(node, path);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            Optional<Duration> d = Quantities.duration(v.get());
            if (d.isPresent() && !v.get().matches("[0-9]+")) {
                if (d.get().isZero()) {
                    r.problem(node, path, "a zero lifetime would never work; give e.g. 90d");
                    return Optional.empty();
                }
                return Optional.of(new Expiry.After(d.get()));
            }
            Optional<java.time.Instant> at = Quantities.instant(v.get());
            if (at.isPresent()) {
                return Optional.of(new Expiry.At(at.get()));
            }
            r.problem(node, path, "'" + v.get() + "' is neither a date (2027-01-31, 2027-01-31T12:00:00Z) nor a duration (90d, 12h, 4w)");
            return Optional.empty();
        }

        TreeMap<String, Verb> verbs(Node node, String path) {
            TreeMap<String, Verb> out = new TreeMap<>();
            Optional<Map<String, Node>> m = r.mapping(node, path, null);
            if (m.isEmpty()) {
                return out;
            }
            if (m.get().isEmpty()) {
                r.problem(node, path, "empty; a delegation needs at least one verb");
            }
            Map<String, Node> keys = NodeReader.keyNodes((MappingNode) node);
            for (Map.Entry<String, Node> e : m.get().entrySet()) {
                String verb = e.getKey();
                String p = path + "." + verb;
                if (!Names.isVerbName(verb)) {
                    r.problem(keys.get(verb), p, "verb name '" + verb + "' must match [a-z][a-z0-9_-]{0,31}");
                    continue;
                }
                Optional<Map<String, Node>> vm = r.mapping(e.getValue(), p, VERB);
                if (vm.isEmpty()) {
                    continue;
                }
                Path run = null;
                if (!vm.get().containsKey("run")) {
                    r.problem(e.getValue(), p + ".run", "missing; give the script to run, e.g. run: /usr/lib/delegator/deploy/hg-deploy");
                } else {
                    run = absolutePath(vm.get().get("run"), p + ".run");
                }
                Optional<List<String>> args = checkedScalars(vm.get().get("args"), p + ".args",
                        pat -> ArgPattern.problem(pat).map(problem -> "pattern '" + pat + "': " + problem), false);
                Optional<List<String>> caps = checkedScalars(vm.get().get("capabilities"), p + ".capabilities", Capabilities::problem, true);
                if (run != null && args.isPresent() && caps.isPresent()) {
                    out.put(verb, new Verb(verb, run, args.get(), caps.get()));
                }
            }
            return out;
        }

        /**
         * A sequence of scalars (a verb's {@code args}, its {@code capabilities}), each checked by
         * {@code problem}, whose message is reported at the item; {@code unique} also refuses a
         * repeated value. Empty when absent; {@link Optional#empty()} after any problem.
         */
        private Optional<List<String>> checkedScalars(Node node, String path, java.util.function.Function<String, Optional<String>> problem,
                boolean unique) {
            List<String> out = new ArrayList<>();
            if (node == null) {
                return Optional.of(out);
            }
            Optional<List<Node>> seq = r.sequence(node, path);
            if (seq.isEmpty()) {
                return Optional.empty();
            }
            boolean ok = true;
            for (int i = 0; i < seq.get().size(); i++) {
                Node item = seq.get().get(i);
                Optional<String> value = r.scalar(item, path + "[" + i + "]");
                if (value.isEmpty()) {
                    ok = false;
                    continue;
                }
                Optional<String> why = problem.apply(value.get());
                if (why.isEmpty() && unique && out.contains(value.get())) {
                    why = Optional.of("'" + value.get() + "' is listed twice");
                }
                if (why.isPresent()) {
                    r.problem(item, path + "[" + i + "]", why.get());
                    ok = false;
                } else {
                    out.add(value.get());
                }
            }
            return ok ? Optional.of(out) : Optional.empty();
        }

        /**
         * Real capabilities and a user namespace do not combine: bwrap refuses a caller that holds
         * capabilities, and in a user namespace they would only be namespaced ones. The jail and
         * {@code network: none} are built on user namespaces, so a verb with capabilities is refused
         * with either, at the verb's {@code capabilities} (the sandbox key is named in the message).
         */
        private void capabilitiesNeedHostSandbox(Node verbsNode, Map<String, Verb> verbs, Sandbox sandbox, String path) {
            String conflict = sandbox.filesystem() == Sandbox.Filesystem.JAIL ? "filesystem: jail"
                    : sandbox.network() == Sandbox.Network.NONE ? "network: none" : null;
            if (conflict == null || !(verbsNode instanceof MappingNode vm)) {
                return;
            }
            for (NodeTuple t : vm.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof MappingNode v && verbs.containsKey(k.getValue())
                        && !verbs.get(k.getValue()).capabilities().isEmpty()) {
                    r.problem(valueOf(v, "capabilities"), path + "." + k.getValue() + ".capabilities", "capabilities cannot combine with 'sandbox: {"
                            + conflict + "}' (it needs a user namespace, in which capabilities are not real ones); remove one of them");
                }
            }
        }

        List<Resource> resources(Node node, String path) {
            List<Resource> out = new ArrayList<>();
            if (node == null) {
                return out;
            }
            Optional<List<Node>> seq = r.sequence(node, path);
            if (seq.isEmpty()) {
                return out;
            }
            for (int i = 0; i < seq.get().size(); i++) {
                Node item = seq.get().get(i);
                String p = path + "[" + i + "]";
                Optional<Map<String, Node>> m = r.mapping(item, p, RESOURCE);
                if (m.isEmpty()) {
                    continue;
                }
                Map<String, Node> f = m.get();
                Path rp = null;
                if (!f.containsKey("path")) {
                    r.problem(item, p + ".path", "missing; give the absolute path");
                } else {
                    rp = absolutePath(f.get("path"), p + ".path");
                    Optional<String> tree = rp == null ? Optional.empty() : Names.systemTreeOf(rp.toString());
                    if (tree.isPresent()) {
                        r.problem(f.get("path"), p + ".path", "'" + rp + "' is in the system tree " + tree.get()
                                + "; apply would hand it to the delegate: use a path of its own, e.g. under /srv");
                        rp = null;
                    } else if (rp != null && rp.getNameCount() < 2) {
                        r.problem(f.get("path"), p + ".path", "'" + rp + "' is too close to / to hand to a delegate; use a path at least two levels deep");
                        rp = null;
                    }
                }
                Integer mode = null;
                if (!f.containsKey("mode")) {
                    r.problem(item, p + ".mode", "missing; give the mode in quotes, e.g. mode: '0750'");
                } else {
                    Optional<String> mt = r.scalar(f.get("mode"), p + ".mode");
                    if (mt.isPresent()) {
                        if (!MODE.matcher(mt.get()).matches()) {
                            r.problem(f.get("mode"), p + ".mode", "'" + mt.get() + "' is not an octal mode; write it in quotes, e.g. '0750'");
                        } else {
                            int v = Integer.parseInt(mt.get(), 8);
                            if ((v & 07000) != 0) {
                                r.problem(f.get("mode"), p + ".mode", "'" + mt.get() + "' sets setuid, setgid or sticky bits; delegator does not hand those out");
                            } else {
                                mode = v;
                            }
                        }
                    }
                }
                Resource.Owner owner = choice(f.get("owner"), p + ".owner", Resource.Owner.class, Resource.Owner.DELEGATE);
                Resource.Kind kind = choice(f.get("kind"), p + ".kind", Resource.Kind.class, Resource.Kind.DIR);
                Optional<String> group = Optional.empty();
                if (f.containsKey("group")) {
                    String g = linuxName(f.get("group"), item, p + ".group", "group");
                    group = Optional.ofNullable(g);
                }
                if (rp != null && mode != null && owner != null && kind != null && (group.isPresent() || !f.containsKey("group"))) {
                    out.add(new Resource(rp, mode, owner, group, kind, bool(f.get("readOnly"), p + ".readOnly", false)));
                }
            }
            return out;
        }

        Sandbox sandbox(Node node, String path) {
            if (node == null) {
                return Sandbox.DEFAULT;
            }
            Optional<Map<String, Node>> m = r.mapping(node, path, SANDBOX);
            if (m.isEmpty()) {
                return Sandbox.DEFAULT;
            }
            Map<String, Node> f = m.get();
            Sandbox.Network network = choice(f.get("network"), path + ".network", Sandbox.Network.class, Sandbox.Network.FULL);
            Duration timeout = Duration.ZERO;
            if (f.containsKey("timeout")) {
                Optional<String> t = r.scalar(f.get("timeout"), path + ".timeout");
                Optional<Duration> d = t.flatMap(Quantities::duration);
                if (t.isPresent() && d.isEmpty()) {
                    r.problem(f.get("timeout"), path + ".timeout", "'" + t.get() + "' is not a duration; write e.g. 600, 10m, 2h (0 for none)");
                } else if (d.isPresent()) {
                    timeout = d.get();
                }
            }
            OptionalLong processes = OptionalLong.empty();
            if (f.containsKey("processes")) {
                Optional<String> t = r.scalar(f.get("processes"), path + ".processes");
                if (t.isPresent() && (!t.get().matches("[0-9]{1,7}") || Long.parseLong(t.get()) < 1)) {
                    r.problem(f.get("processes"), path + ".processes", "'" + t.get() + "' is not a positive number of processes");
                } else if (t.isPresent()) {
                    processes = OptionalLong.of(Long.parseLong(t.get()));
                }
            }
            OptionalLong memory = size(f.get("memory"), path + ".memory");
            OptionalLong filesize = size(f.get("filesize"), path + ".filesize");
            Sandbox.Filesystem filesystem = choice(f.get("filesystem"), path + ".filesystem", Sandbox.Filesystem.class, Sandbox.Filesystem.HOST);
            if (network == null || filesystem == null) {
                return Sandbox.DEFAULT;
            }
            return new Sandbox(network, timeout, processes, memory, filesize, filesystem);
        }

        TreeMap<String, String> settings(Node node, String path) {
            TreeMap<String, String> out = new TreeMap<>();
            if (node == null) {
                return out;
            }
            Optional<Map<String, Node>> m = r.mapping(node, path, null);
            if (m.isEmpty()) {
                return out;
            }
            Map<String, Node> keys = NodeReader.keyNodes((MappingNode) node);
            for (Map.Entry<String, Node> e : m.get().entrySet()) {
                String p = path + "." + e.getKey();
                if (!Names.isSettingName(e.getKey())) {
                    r.problem(keys.get(e.getKey()), p, "setting name '" + e.getKey() + "' must match [a-z][a-z0-9_]{0,31} (it becomes DELEGATOR_" + e.getKey().toUpperCase(java.util.Locale.ROOT) + ")");
                    continue;
                }
                Optional<String> v = r.scalar(e.getValue(), p);
                if (v.isPresent() && v.get().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    r.problem(e.getValue(), p, "control characters (newline, tab, ...) are not allowed in a setting");
                } else if (v.isPresent()) {
                    out.put(e.getKey(), v.get());
                }
            }
            return out;
        }

        private OptionalLong size(Node node, String path) {
            if (node == null) {
                return OptionalLong.empty();
            }
            Optional<String> t = r.scalar(node, path);
            Optional<Long> s = t.flatMap(Quantities::size);
            if (t.isPresent() && (s.isEmpty() || s.get() < 1)) {
                r.problem(node, path, "'" + t.get() + "' is not a positive size; write e.g. 536870912, 512M, 1G");
                return OptionalLong.empty();
            }
            return s.map(OptionalLong::of).orElse(OptionalLong.empty());
        }

        private <E extends Enum<E>> E choice(Node node, String path, Class<E> type, E dflt) {
            if (node == null) {
                return dflt;
            }
            Optional<String> v = r.scalar(node, path);
            if (v.isEmpty()) {
                return null;
            }
            List<String> allowed = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                String n = e.name().toLowerCase(java.util.Locale.ROOT);
                allowed.add(n);
                if (n.equals(v.get())) {
                    return e;
                }
            }
            r.problem(node, path, "'" + v.get() + "' is not one of: " + String.join(", ", allowed));
            return null;
        }

        private boolean bool(Node node, String path, boolean dflt) {
            if (node == null) {
                return dflt;
            }
            Optional<String> v = r.scalar(node, path);
            if (v.isPresent() && (v.get().equals("true") || v.get().equals("false"))) {
                return Boolean.parseBoolean(v.get());
            }
            v.ifPresent(s -> r.problem(node, path, "'" + s + "' is not true or false"));
            return dflt;
        }

        private OptionalInt id(Node node, String path) {
            if (node == null) {
                return OptionalInt.empty();
            }
            Optional<String> v = r.scalar(node, path);
            if (v.isPresent() && v.get().matches("[0-9]{1,10}")) {
                long n = Long.parseLong(v.get());
                if (n >= 1 && n <= Integer.MAX_VALUE && n != 65534 && n != 65535) {
                    return OptionalInt.of((int) n);
                }
            }
            v.ifPresent(s -> r.problem(node, path, "'" + s + "' is not a usable numeric id (1..2147483647, not 0 or nobody's)"));
            return OptionalInt.empty();
        }

        private String linuxName(Node node, Node parent, String path, String what) {
            if (node == null) {
                r.problem(parent, path, "missing; give the " + what + " name");
                return null;
            }
            Optional<String> v = r.scalar(node, path);
            if (v.isEmpty()) {
                return null;
            }
            if (!Names.isLinuxName(v.get())) {
                r.problem(node, path, "'" + v.get() + "' is not a valid Linux " + what + " name (useradd's rule: [a-z_][a-z0-9_-]*[$]?, at most 32 characters)");
                return null;
            }
            return v.get();
        }

        private Path absolutePath(Node node, String path) {
            Optional<String> v = r.scalar(node, path);
            if (v.isEmpty()) {
                return null;
            }
            if (!Names.isAbsoluteNormalPath(v.get())) {
                r.problem(node, path, "'" + v.get() + "' must be an absolute path without '.', '..', '//' or a trailing '/'");
                return null;
            }
            return Path.of(v.get());
        }
    }

    /**
     * Empty when {@code key} may be a delegation's {@code callerPublicKey}: exactly what the line
     * writer takes ({@link DelegationLine#publicKeyProblem}, through the one public-key model).
     */
    static Optional<String> callerKeyProblem(String key) {
        return DelegationLine.publicKeyProblem(key);
    }

    /**
     * Empty when {@code key} may pin a host: a public key line ({@link PublicKeyLine}'s grammar),
     * and, the manifest's rule on top, a plain key: a host certificate pins nothing by itself.
     */
    static Optional<String> hostKeyProblem(String key) {
        try {
            PublicKeyLine k = PublicKeyLine.parse(key);
            return k.type().certificate()
                    ? Optional.of("a host certificate (" + k.typeName() + ") is not a host key; pin the plain key it certifies")
                    : Optional.empty();
        } catch (KeyFormatException e) {
            return Optional.of("not a public key line: " + e.getMessage());
        }
    }

    /**
     * Empty when {@code a} may stand in a delegation's {@code from}: {@link FromPattern}'s grammar
     * (the one the line writer uses, so both accept and refuse the same entries with the same
     * reason), and host names only with {@code allowHostNames: true}, the manifest's rule on top.
     */
    static Optional<String> fromProblem(String a, boolean allowHostNames) {
        Optional<String> grammar = FromPattern.problem(a);
        if (grammar.isPresent()) {
            return grammar;
        }
        if (!allowHostNames && FromPattern.parse(a).kind() == FromPattern.Kind.HOSTNAME) {
            return Optional.of("'" + a + "' is a host name; sshd only matches names with UseDNS yes: write addresses, or set allowHostNames: true");
        }
        return Optional.empty();
    }

    static boolean isAddress(String s) {
        if (s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            for (String part : s.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (s.contains(":") && s.matches("[0-9a-fA-F:.]+")) {
            try {
                InetAddress.getByName(s);
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
