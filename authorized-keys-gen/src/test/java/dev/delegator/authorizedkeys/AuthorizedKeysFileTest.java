package dev.delegator.authorizedkeys;

import dev.delegator.keys.KeyType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizedKeysFileTest {
    private static final String ED = KeyFixtures.of(KeyType.ED25519).line();
    private static final String RSA = KeyFixtures.of(KeyType.RSA).line();
    private static final String EC = KeyFixtures.of(KeyType.ECDSA_NISTP384).line();

    private static AuthorizedKeyLine delegation(String pub, String command) {
        return DelegationLine.builder().publicKey(pub).command(command).from(List.of("127.0.0.1")).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "\n",
        "# only a comment",
        "# comment\n\n  \t\n",
        "ssh-ed25519-line-placeholder",
        "  \t ssh-ed25519-line-placeholder   \n#x\r\n\r\n",
        "no-ptty ssh-ed25519-line-placeholder\nbroken line \"\n\n",
        "ssh-ed25519-line-placeholder\r\nrsa-placeholder\r\n",
        "ssh-ed25519-line-placeholder\nrsa-placeholder",
    })
    void unchangedFileRendersByteIdentical(String template) {
        String content = template.replace("ssh-ed25519-line-placeholder", ED).replace("rsa-placeholder", RSA);
        AuthorizedKeysFile f = AuthorizedKeysFile.parse(content, "ak");
        assertEquals(content, f.render());
        assertEquals(content, AuthorizedKeysFile.parse(f.render(), "ak").render());
    }

    @Test
    void linesAreClassifiedAsSshdReadsThem() {
        String content = "# c\n\n" + ED + "\nno-ptty " + RSA + "\r\n   \t\n";
        AuthorizedKeysFile f = AuthorizedKeysFile.parse(content, "ak");
        assertEquals(List.of(FileLine.Kind.COMMENT, FileLine.Kind.BLANK, FileLine.Kind.KEY, FileLine.Kind.INVALID, FileLine.Kind.BLANK),
                f.lines().stream().map(FileLine::kind).toList());
        AuthorizedKeysSyntaxException e = f.lines().get(3).error().orElseThrow();
        assertEquals("ak:4:1: unknown option \"no-ptty\": sshd skips this line", e.getMessage());
        assertEquals("\r\n", f.lines().get(3).terminator());
    }

    @Test
    void managedBlockIsAppendedAndForeignLinesStayByteForByte() {
        String foreign = "# admin keys\n  " + RSA + "   \r\n\n# trailing, no newline";
        AuthorizedKeysFile f = AuthorizedKeysFile.parse(foreign, "ak");
        assertFalse(f.hasManagedBlock());
        AuthorizedKeyLine a = delegation(ED, "/usr/lib/delegator/dispatch blog");
        AuthorizedKeysFile g = f.withManagedBlock(List.of(a));
        assertEquals(foreign + "\n" + AuthorizedKeysFile.BEGIN_MARKER + "\n" + a.render() + "\n" + AuthorizedKeysFile.END_MARKER + "\n",
                g.render());
        assertEquals(List.of(a), g.managedLines());
        assertTrue(g.hasManagedBlock());
    }

    @Test
    void managedBlockIsReplacedInPlace() {
        AuthorizedKeyLine a = delegation(ED, "one");
        AuthorizedKeyLine b = delegation(EC, "two \"quoted\"");
        String before = "#top\n" + RSA + "\n";
        String after = "\n# bottom  \r\n";
        AuthorizedKeysFile f = AuthorizedKeysFile.parse(before + AuthorizedKeysFile.BEGIN_MARKER + "\n" + a.render() + "\n"
                + AuthorizedKeysFile.END_MARKER + "\n" + after, "ak");
        assertEquals(List.of(a), f.managedLines());
        AuthorizedKeysFile g = f.withManagedBlock(List.of(b, a.equals(b) ? a : delegation(ED, "one, again")));
        String rendered = g.render();
        assertTrue(rendered.startsWith(before + AuthorizedKeysFile.BEGIN_MARKER + "\n" + b.render() + "\n"), rendered);
        assertTrue(rendered.endsWith(AuthorizedKeysFile.END_MARKER + "\n" + after), rendered);
        assertEquals(2, g.managedLines().size());
        assertEquals(b, g.managedLines().get(0));
        AuthorizedKeysFile emptied = g.withManagedBlock(List.of());
        assertEquals(before + AuthorizedKeysFile.BEGIN_MARKER + "\n" + AuthorizedKeysFile.END_MARKER + "\n" + after, emptied.render());
    }

    @Test
    void sameKeyTwiceIsDetectedAndNeverWritten() {
        String content = "# x\n" + ED + "\n" + RSA + "\nrestrict,command=\"y\" " + ED + "\n";
        AuthorizedKeysFile f = AuthorizedKeysFile.parse(content, "/home/u/.ssh/authorized_keys");
        String fp = KeyFixtures.of(KeyType.ED25519).fingerprint();
        assertEquals(List.of(new AuthorizedKeysFile.Duplicate(fp, 2, 4)), f.duplicates());
        DuplicateKeyException e = assertThrows(DuplicateKeyException.class, f::render);
        assertEquals(2, e.firstLine());
        assertEquals(4, e.secondLine());
        assertEquals("/home/u/.ssh/authorized_keys:4: duplicate of line 2 (same key " + fp
                + "): sshd uses the first; refusing to write the file", e.getMessage());
        assertThrows(DuplicateKeyException.class, f::requireWritable);
    }

    @Test
    void aManagedLineDuplicatingAForeignKeyIsRefused() {
        AuthorizedKeysFile f = AuthorizedKeysFile.parse(ED + "\n", "ak").withManagedBlock(List.of(delegation(ED, "x")));
        DuplicateKeyException e = assertThrows(DuplicateKeyException.class, f::render);
        assertEquals(1, e.firstLine());
        assertEquals(3, e.secondLine());
    }

    @Test
    void brokenManagedBlocksAreRefused() {
        AuthorizedKeysFile open = AuthorizedKeysFile.parse("x\n" + AuthorizedKeysFile.BEGIN_MARKER + "\n" + ED + "\n", "ak");
        AuthorizedKeysSyntaxException e = assertThrows(AuthorizedKeysSyntaxException.class, open::render);
        assertEquals("ak:2:1: managed block is never closed: delegator refuses to rewrite this file", e.getMessage());
        assertThrows(AuthorizedKeysSyntaxException.class, open::managedLines);
        assertThrows(AuthorizedKeysSyntaxException.class, () -> open.withManagedBlock(List.of()));

        AuthorizedKeysFile stray = AuthorizedKeysFile.parse(AuthorizedKeysFile.END_MARKER + "\n", "ak");
        assertEquals("ak:1:1: managed block end without a start: delegator refuses to rewrite this file",
                assertThrows(AuthorizedKeysSyntaxException.class, stray::render).getMessage());

        AuthorizedKeysFile badInside = AuthorizedKeysFile.parse(AuthorizedKeysFile.BEGIN_MARKER + "\nno-ptty " + ED + "\n"
                + AuthorizedKeysFile.END_MARKER + "\n", "ak");
        assertEquals("ak:2:1: unknown option \"no-ptty\": sshd skips this line",
                assertThrows(AuthorizedKeysSyntaxException.class, badInside::render).getMessage());
    }

    @Test
    void readKeepsBytesAndRefusesNonUtf8WithItsPosition(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("authorized_keys");
        String content = "# é 日本\n" + ED + " ünïcode\n";
        Files.writeString(p, content, StandardCharsets.UTF_8);
        AuthorizedKeysFile f = AuthorizedKeysFile.read(p);
        assertEquals(content, f.render());
        assertEquals(p.toString(), f.sourceName());

        byte[] bad = ("# ok\n" + "ab").getBytes(StandardCharsets.UTF_8);
        byte[] withBad = new byte[bad.length + 1];
        System.arraycopy(bad, 0, withBad, 0, bad.length);
        withBad[bad.length] = (byte) 0xff;
        Files.write(p, withBad);
        AuthorizedKeysSyntaxException e = assertThrows(AuthorizedKeysSyntaxException.class, () -> AuthorizedKeysFile.read(p));
        assertEquals(2, e.line());
        assertEquals(3, e.column());
        assertEquals(p + ":2:3: byte 0xff is not UTF-8 text: delegator cannot keep this file byte for byte and refuses it", e.getMessage());
    }
}
