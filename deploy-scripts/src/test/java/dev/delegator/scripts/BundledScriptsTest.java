package dev.delegator.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BundledScriptsTest {

    @Test
    void everyListedScriptLoadsWithAShebangAndAVersion() {
        List<BundledScript> all = BundledScripts.all();
        assertEquals(BundledScripts.INSTALL_PATHS, all.stream().map(BundledScript::installPath).toList());
        for (BundledScript s : all) {
            String text = new String(s.content(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("#!/bin/sh\n"), s.installPath() + " starts with #!/bin/sh");
            assertEquals(1, s.version(), s.installPath());
        }
    }

    @Test
    void theListMatchesTheResourceDirectory() throws IOException, URISyntaxException {
        Path root = Path.of(BundledScripts.class.getClassLoader()
                .getResource(BundledScripts.RESOURCE_ROOT + BundledScripts.DISPATCHER).toURI()).getParent();
        try (Stream<Path> files = Files.walk(root)) {
            // the Java classes share the package directory with the scripts
            List<String> found = files.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
            assertEquals(BundledScripts.INSTALL_PATHS.stream().sorted().toList(), found);
        }
    }

    @Test
    void theDispatcherCarriesItsVersionLine() {
        BundledScript d = BundledScripts.dispatcher();
        assertEquals("dispatch", d.installPath());
        assertTrue(new String(d.content(), StandardCharsets.UTF_8).contains("\n# delegator-dispatch-version: 1\n"));
    }

    @Test
    void versionOfReadsTheHeaderLine() {
        assertEquals(OptionalInt.of(7), BundledScripts.versionOf(bytes("#!/bin/sh\n# delegator-dispatch-version: 7\necho\n")));
        assertEquals(OptionalInt.of(12), BundledScripts.versionOf(bytes("#!/bin/sh\n# delegator-deploy-version: 12\n")));
    }

    @Test
    void versionOfIsEmptyWithoutALineOrBeyondTheHeader() {
        assertEquals(OptionalInt.empty(), BundledScripts.versionOf(bytes("#!/bin/sh\necho hi\n")));
        assertEquals(OptionalInt.empty(), BundledScripts.versionOf(bytes("#!/bin/sh\n# delegator-dispatch-version: x\n")));
        assertEquals(OptionalInt.empty(), BundledScripts.versionOf(bytes("#!/bin/sh\n#" + " ".repeat(600) + "\n# delegator-dispatch-version: 3\n")));
    }

    @Test
    void sameContentAsComparesBytes() {
        BundledScript d = BundledScripts.dispatcher();
        assertTrue(d.sameContentAs(d.content()));
        byte[] changed = d.content();
        changed[changed.length - 1] ^= 1;
        assertFalse(d.sameContentAs(changed));
    }

    @Test
    void contentIsCopiedInAndOut() {
        byte[] original = bytes("#!/bin/sh\n");
        BundledScript s = new BundledScript("deploy/x", original, 1);
        original[0] = 'X';
        assertArrayEquals(bytes("#!/bin/sh\n"), s.content());
        s.content()[0] = 'Y';
        assertArrayEquals(bytes("#!/bin/sh\n"), s.content());
    }

    @Test
    void installPathMustStayUnderTheRoot() {
        IllegalArgumentException abs = assertThrows(IllegalArgumentException.class,
                () -> new BundledScript("/usr/bin/x", bytes("x"), 1));
        assertEquals("installPath (/usr/bin/x) must be a non-empty relative path", abs.getMessage());
        IllegalArgumentException up = assertThrows(IllegalArgumentException.class,
                () -> new BundledScript("deploy/../../x", bytes("x"), 1));
        assertEquals("installPath (deploy/../../x) has an empty, . or .. segment", up.getMessage());
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> new BundledScript("dispatch", bytes("x"), 0));
        assertEquals("version (0) of dispatch must be at least 1", version.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
