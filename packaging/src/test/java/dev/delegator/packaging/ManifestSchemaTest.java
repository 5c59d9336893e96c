package dev.delegator.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.delegator.manifest.ManifestException;
import dev.delegator.manifest.ManifestLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * docs/manifest.schema.json and the manifest loader in step: every example in README, the shipped
 * example and the man page validates and loads; a key the loader refuses at any level, a missing
 * required key and a set of bad values are refused by both. Mutations go through JSON, which the
 * loader reads as YAML, so both judge the very same document.
 */
class ManifestSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA_LINE = "# yaml-language-server: $schema=/usr/share/delegator/manifest.schema.json";
    private static JsonSchema schema;
    private static ObjectNode example;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = Files.newInputStream(Checkout.root().resolve("docs/manifest.schema.json"))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        example = (ObjectNode) toJson(readmeExample());
    }

    @Test
    void theSchemasCapabilitiesAreTheLoadersGrantableOnes() throws IOException {
        JsonNode items = JSON.readTree(Checkout.root().resolve("docs/manifest.schema.json").toFile()).at(
                "/$defs/delegation/properties/verbs/additionalProperties/properties/capabilities/items/enum");
        Set<String> names = new java.util.TreeSet<>();
        items.forEach(n -> names.add(n.asText()));
        assertEquals(dev.delegator.manifest.Capabilities.grantable(), names);
    }

    @Test
    void readmesDangerousCapabilitiesAreTheLoadersWithTheSameReasons() throws IOException {
        String readme = Files.readString(Checkout.root().resolve("README.md"));
        Map<String, String> table = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\| `([a-z_]+)` \\| (.+) \\|$")
                .matcher(readme.substring(readme.indexOf("| capability | why it is refused |")));
        while (m.find()) {
            table.put(m.group(1), m.group(2));
        }
        assertEquals(dev.delegator.manifest.Capabilities.DANGEROUS, table);
        for (String name : dev.delegator.manifest.Capabilities.grantable()) {
            assertTrue(readme.contains("`" + name + "`"), name + " is not in README's grantable list");
        }
    }

    @Test
    void theShippedExampleIsReadmesAndNamesTheSchema() throws IOException {
        List<String> lines = Files.readAllLines(Checkout.root().resolve("docs/examples/delegations.yaml"));
        assertEquals(SCHEMA_LINE, lines.get(0), "the example must point editors at the installed schema");
        int body = 0;
        while (lines.get(body).startsWith("#")) {
            body++;
        }
        assertEquals(readmeExample(), String.join("\n", lines.subList(body, lines.size())) + "\n",
                "docs/examples/delegations.yaml and README's Manifest example differ");
    }

    @Test
    void everyDocumentedExampleLoadsAndValidates() throws IOException {
        Map<String, String> examples = Map.of(
                "README.md, Manifest", readmeExample(),
                "docs/examples/delegations.yaml", Files.readString(Checkout.root().resolve("docs/examples/delegations.yaml")),
                "delegator-manifest(5), Example", manPageExample());
        for (Map.Entry<String, String> e : examples.entrySet()) {
            try {
                ManifestLoader.parse(e.getValue(), e.getKey());
            } catch (ManifestException ex) {
                fail(e.getKey() + " does not load: " + ex.problems());
            }
            Set<ValidationMessage> errors = schema.validate(toJson(e.getValue()));
            assertTrue(errors.isEmpty(), e.getKey() + " does not validate: " + errors);
        }
    }

    @Test
    void anUnknownKeyAtAnyLevelIsRefusedByBoth() throws IOException {
        List<String> tried = new ArrayList<>();
        forEachObject(example, "", (object, path) -> {
            ObjectNode doc = example.deepCopy();
            ObjectNode target = (ObjectNode) doc.at(path.isEmpty() ? "" : path);
            if (path.equals("/delegations") || path.endsWith("/verbs") || path.endsWith("/settings")) {
                // keys chosen by the admin: a name outside the rule, with a valid value
                target.set("Not_A_Name", object.elements().next().deepCopy());
            } else {
                target.put("colour", "blue");
            }
            bothRefuse(doc, "an extra key in " + (path.isEmpty() ? "/" : path));
            tried.add(path);
        });
        assertTrue(tried.size() >= 20, "the walk reached only " + tried);
    }

    @Test
    void aMissingRequiredKeyIsRefusedByBoth() throws IOException {
        for (String pointer : List.of("/version", "/delegations", "/delegations/blog/caller", "/delegations/blog/delegate",
                "/delegations/blog/hosts", "/delegations/blog/verbs", "/delegations/blog/caller/user",
                "/delegations/blog/delegate/user", "/delegations/blog/delegate/home", "/delegations/blog/verbs/deploy/run",
                "/delegations/blog/resources/0/path", "/delegations/blog/resources/0/mode", "/delegations/web1-deploy/hosts/0/host")) {
            ObjectNode doc = example.deepCopy();
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = doc.at(pointer.substring(0, slash));
            assertTrue(parent.isObject() && parent.has(pointer.substring(slash + 1)), "the example has no " + pointer);
            ((ObjectNode) parent).remove(pointer.substring(slash + 1));
            bothRefuse(doc, "without " + pointer);
        }
    }

    @Test
    void whatTheSchemaRequiresTheLoaderRequiresToo() throws IOException {
        // the other direction, for presence: removing any one key that the schema then refuses must
        // make the loader refuse as well, or the schema would flag manifests that work
        forEachObject(example, "", (object, path) -> {
            Iterator<String> names = object.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                ObjectNode doc = example.deepCopy();
                ((ObjectNode) doc.at(path)).remove(name);
                if (!schema.validate(doc).isEmpty()) {
                    assertThrows(ManifestException.class, () -> ManifestLoader.parse(JSON.writeValueAsString(doc), "mutated"),
                            "the schema refuses the example without " + path + "/" + name + ", the loader takes it");
                }
            }
        });
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("/version", "2"),
                Arguments.of("/uidRange", "61000"),
                Arguments.of("/delegations/blog/caller/user", "Hg"),
                Arguments.of("/delegations/blog/delegate/home", "var/lib/dlg-blog"),
                Arguments.of("/delegations/blog/delegate/home", "/var/lib/../dlg-blog"),
                Arguments.of("/delegations/blog/delegate/home", "/var//lib/dlg-blog"),
                Arguments.of("/delegations/blog/verbs/deploy/run", "hg-deploy"),
                Arguments.of("/delegations/blog/verbs/deploy/args/0", "\\d{40}"),
                Arguments.of("/delegations/blog/verbs/deploy/args/0", "(?i)[a-f]{40}"),
                Arguments.of("/delegations/blog/verbs/deploy/args/0", "[0-9a-f]+?"),
                Arguments.of("/delegations/blog/resources/0/mode", "4750"),
                Arguments.of("/delegations/blog/resources/0/mode", "rwx"),
                Arguments.of("/delegations/blog/resources/0/owner", "nobody"),
                Arguments.of("/delegations/blog/resources/0/kind", "link"),
                Arguments.of("/delegations/blog/sandbox/network", "sometimes"),
                Arguments.of("/delegations/blog/sandbox/timeout", "soon"),
                Arguments.of("/delegations/blog/sandbox/processes", "0"),
                Arguments.of("/delegations/blog/sandbox/memory", "lots"),
                Arguments.of("/delegations/blog/expires", "soon"),
                Arguments.of("/delegations/web1-deploy/+allowHostNames", "yes please"),
                Arguments.of("/delegations/web1-deploy/callerPublicKey", "ssh-ed25519 AAAA... ci@build1"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badValues")
    void aBadValueIsRefusedByBoth(String pointer, String value) throws IOException {
        ObjectNode doc = example.deepCopy();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = doc.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        // "+key": a key the example leaves out (commented), added with the bad value
        boolean added = last.startsWith("+");
        last = added ? last.substring(1) : last;
        if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), JsonNodeFactory.instance.textNode(value));
        } else {
            assertTrue(parent.isObject() && parent.has(last) != added, "the example has " + (added ? "" : "no ") + pointer);
            ((ObjectNode) parent).put(last, value);
        }
        bothRefuse(doc, pointer + " = " + value);
    }

    private static void bothRefuse(JsonNode doc, String what) throws IOException {
        String text = JSON.writeValueAsString(doc);
        assertThrows(ManifestException.class, () -> ManifestLoader.parse(text, "mutated"), "the loader takes " + what);
        assertFalse(schema.validate(doc).isEmpty(), "the schema takes " + what + ", which the loader refuses");
    }

    interface ObjectVisitor {
        void visit(ObjectNode object, String pointer) throws IOException;
    }

    private static void forEachObject(JsonNode node, String pointer, ObjectVisitor visitor) throws IOException {
        if (node instanceof ObjectNode o) {
            visitor.visit(o, pointer);
            Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                forEachObject(f.getValue(), pointer + "/" + f.getKey(), visitor);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                forEachObject(a.get(i), pointer + "/" + i, visitor);
            }
        }
    }

    /** The YAML block of README's "## Manifest" section. */
    static String readmeExample() throws IOException {
        List<String> lines = Files.readAllLines(Checkout.root().resolve("README.md"));
        int start = lines.indexOf("## Manifest");
        assertTrue(start >= 0, "README has no '## Manifest' section");
        int open = start;
        while (!lines.get(open).equals("```yaml")) {
            open++;
        }
        int close = open + 1;
        while (!lines.get(close).equals("```")) {
            close++;
        }
        return String.join("\n", lines.subList(open + 1, close)) + "\n";
    }

    /** The indented block under "== Example" in delegator-manifest(5), unindented. */
    static String manPageExample() throws IOException {
        List<String> lines = Files.readAllLines(Checkout.root().resolve("packaging/src/man/delegator-manifest.adoc"));
        int i = lines.indexOf("== Example") + 1;
        while (lines.get(i).isBlank()) {
            i++;
        }
        StringBuilder s = new StringBuilder();
        for (; i < lines.size() && lines.get(i).startsWith("  "); i++) {
            s.append(lines.get(i).substring(2)).append('\n');
        }
        assertTrue(s.indexOf("version: 1") >= 0, "no example under '== Example' in delegator-manifest.adoc");
        return s.toString();
    }

    /**
     * YAML as the YAML language server reads it (YAML 1.2 core schema): integers, booleans and null
     * typed, everything else (dates included) a string.
     */
    static JsonNode toJson(String yaml) {
        LoaderOptions opts = new LoaderOptions();
        Node root = new Yaml(new SafeConstructor(opts)).compose(new StringReader(yaml));
        return convert(root);
    }

    private static JsonNode convert(Node node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof MappingNode m) {
            ObjectNode o = f.objectNode();
            for (NodeTuple t : m.getValue()) {
                o.set(((ScalarNode) t.getKeyNode()).getValue(), convert(t.getValueNode()));
            }
            return o;
        }
        if (node instanceof SequenceNode s) {
            ArrayNode a = f.arrayNode();
            s.getValue().forEach(n -> a.add(convert(n)));
            return a;
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        if (tag.equals(Tag.INT) && s.getValue().matches("-?[0-9]+")) {
            return f.numberNode(Long.parseLong(s.getValue()));
        }
        if (tag.equals(Tag.BOOL) && s.getValue().matches("true|false")) {
            return f.booleanNode(Boolean.parseBoolean(s.getValue()));
        }
        if (tag.equals(Tag.NULL)) {
            return f.nullNode();
        }
        return f.textNode(s.getValue());
    }
}
