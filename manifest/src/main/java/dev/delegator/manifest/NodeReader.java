package dev.delegator.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Walks a composed YAML node tree and collects problems with their position and field path.
 * Values are read from the scalar text as written, never through YAML's implicit typing
 * ({@code 0755} stays the text {@code 0755}, {@code no} stays {@code no}).
 */
final class NodeReader {
    private final String source;
    private final List<ManifestProblem> problems = new ArrayList<>();

    NodeReader(String source) {
        this.source = source;
    }

    List<ManifestProblem> problems() {
        return problems;
    }

    void problem(Node node, String field, String message) {
        Mark m = node == null ? null : node.getStartMark();
        problems.add(new ManifestProblem(source, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, field, message));
    }

    void problemAt(Mark m, String field, String message) {
        problems.add(new ManifestProblem(source, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, field, message));
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * Reads a mapping's entries, refusing non-string keys, duplicate keys (both positions named)
     * and keys not in {@code allowed} (the allowed ones are listed). Empty if the node is not a mapping.
     */
    Optional<Map<String, Node>> mapping(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            problem(node, path, "expected a mapping (key: value) here, found " + describe(node));
            return Optional.empty();
        }
        Map<String, Node> out = new LinkedHashMap<>();
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks)) {
                problem(k, path, "keys must be plain names, found " + describe(k));
                continue;
            }
            String key = ks.getValue();
            if (keys.containsKey(key)) {
                Mark first = keys.get(key).getStartMark();
                problem(k, child(path, key), "duplicate key '" + key + "' (first at line " + (first.getLine() + 1) + ":" + (first.getColumn() + 1) + "); remove one");
                continue;
            }
            keys.put(key, k);
            if (allowed != null && !allowed.contains(key)) {
                problem(k, child(path, key), "unknown key '" + key + "'; allowed here: " + String.join(", ", new TreeSet<>(allowed)));
                continue;
            }
            out.put(key, t.getValueNode());
        }
        return Optional.of(out);
    }

    /** The key node of a mapping entry, for positions of per-entry problems. */
    static Map<String, Node> keyNodes(MappingNode map) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode ks) {
                out.putIfAbsent(ks.getValue(), t.getKeyNode());
            }
        }
        return out;
    }

    Optional<List<Node>> sequence(Node node, String path) {
        if (!(node instanceof SequenceNode seq)) {
            problem(node, path, "expected a list here, found " + describe(node));
            return Optional.empty();
        }
        return Optional.of(seq.getValue());
    }

    Optional<String> scalar(Node node, String path) {
        if (!(node instanceof ScalarNode s)) {
            problem(node, path, "expected a single value here, found " + describe(node));
            return Optional.empty();
        }
        return Optional.of(s.getValue());
    }

    /** A list of scalars; a single scalar is accepted as a one-element list. */
    Optional<List<String>> scalars(Node node, String path) {
        if (node instanceof ScalarNode s) {
            return Optional.of(List.of(s.getValue()));
        }
        Optional<List<Node>> seq = sequence(node, path);
        if (seq.isEmpty()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.get().size(); i++) {
            Optional<String> v = scalar(seq.get().get(i), path + "[" + i + "]");
            if (v.isPresent()) {
                out.add(v.get());
            } else {
                ok = false;
            }
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    static String describe(Node node) {
        if (node == null) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode s) {
            return s.getValue().isEmpty() ? "an empty value" : "'" + s.getValue() + "'";
        }
        return node.getNodeId().toString();
    }
}
