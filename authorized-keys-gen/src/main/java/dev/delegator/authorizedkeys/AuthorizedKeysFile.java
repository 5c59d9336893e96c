package dev.delegator.authorizedkeys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An authorized_keys file as a value: every line kept byte for byte, each classified as sshd reads
 * it, and delegator's own lines in a marked managed block:
 *
 * <pre>
 * # >>> delegator managed block (do not edit; delegator apply rewrites it)
 * restrict,from="127.0.0.1",command="…" ssh-ed25519 AAAA… delegator:blog
 * # <<< delegator managed block
 * </pre>
 *
 * <p>Reading is lenient (a line sshd skips is kept and reported, a file a person edits may hold
 * anything); writing is strict: {@link #render()} refuses a file in which a key appears twice, a
 * managed block that is not well formed, or an unparsable line inside the block (fail closed).
 * {@link #withManagedBlock(List)} replaces only the block; lines outside it stay exactly as read.
 */
public final class AuthorizedKeysFile {
    /** First line of the managed block. */
    public static final String BEGIN_MARKER = "# >>> delegator managed block (do not edit; delegator apply rewrites it)";
    /** Last line of the managed block. */
    public static final String END_MARKER = "# <<< delegator managed block";

    private final String sourceName;
    private final String content;
    private final List<FileLine> lines;
    private final List<AuthorizedKeysSyntaxException> structureProblems;
    private final int beginIndex;
    private final int endIndex;

    private AuthorizedKeysFile(String sourceName, String content) {
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        this.content = Objects.requireNonNull(content, "content");
        List<String[]> split = split(content);
        List<AuthorizedKeysSyntaxException> problems = new ArrayList<>();
        int begin = -1;
        int end = -1;
        for (int i = 0; i < split.size(); i++) {
            String t = split.get(i)[0];
            if (t.equals(BEGIN_MARKER)) {
                if (begin >= 0) {
                    problems.add(new AuthorizedKeysSyntaxException(1, "second managed block start (first on line " + (begin + 1) + ")",
                            "delegator refuses to rewrite this file").at(sourceName, i + 1));
                } else {
                    begin = i;
                }
            } else if (t.equals(END_MARKER)) {
                if (begin < 0 || end >= 0) {
                    problems.add(new AuthorizedKeysSyntaxException(1, "managed block end without a start",
                            "delegator refuses to rewrite this file").at(sourceName, i + 1));
                } else {
                    end = i;
                }
            }
        }
        if (begin >= 0 && end < 0) {
            problems.add(new AuthorizedKeysSyntaxException(1, "managed block is never closed",
                    "delegator refuses to rewrite this file").at(sourceName, begin + 1));
        }
        List<FileLine> out = new ArrayList<>(split.size());
        for (int i = 0; i < split.size(); i++) {
            boolean managed = begin >= 0 && i >= begin && (end < 0 || i <= end);
            out.add(classify(i + 1, split.get(i)[0], split.get(i)[1], managed));
        }
        this.lines = List.copyOf(out);
        this.structureProblems = List.copyOf(problems);
        this.beginIndex = begin;
        this.endIndex = end;
    }

    /** Parses {@code content}; {@code sourceName} (usually the path) prefixes every error. Never throws for bad lines. */
    public static AuthorizedKeysFile parse(String content, String sourceName) {
        return new AuthorizedKeysFile(sourceName, content);
    }

    /** An empty file named {@code sourceName}. */
    public static AuthorizedKeysFile empty(String sourceName) {
        return parse("", sourceName);
    }

    /**
     * Reads {@code path} as UTF-8. A file that is not valid UTF-8 is refused with the line and column
     * of the first bad byte: we could not promise to write it back byte for byte.
     */
    public static AuthorizedKeysFile read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        return parse(decode(bytes, path.toString()), path.toString());
    }

    static String decode(byte[] bytes, String source) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) {
            r = d.flush(out);
        }
        if (r.isError()) {
            int bad = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            String before = new String(bytes, lineStart, bad - lineStart, StandardCharsets.UTF_8);
            int col = before.codePointCount(0, before.length()) + 1;
            throw new AuthorizedKeysSyntaxException(col, "byte 0x" + String.format("%02x", bytes[bad] & 0xff) + " is not UTF-8 text",
                    "delegator cannot keep this file byte for byte and refuses it").at(source, line);
        }
        out.flip();
        return out.toString();
    }

    private static List<String[]> split(String content) {
        List<String[]> out = new ArrayList<>();
        int start = 0;
        while (start < content.length()) {
            int nl = content.indexOf('\n', start);
            if (nl < 0) {
                out.add(new String[] {content.substring(start), ""});
                break;
            }
            boolean crlf = nl > start && content.charAt(nl - 1) == '\r';
            out.add(new String[] {content.substring(start, crlf ? nl - 1 : nl), crlf ? "\r\n" : "\n"});
            start = nl + 1;
        }
        return out;
    }

    private FileLine classify(int number, String text, String terminator, boolean managed) {
        if (LineParser.ignoredBySshd(text)) {
            int p = LineParser.skipSpace(text, 0);
            FileLine.Kind kind = p < text.length() && text.charAt(p) == '#' ? FileLine.Kind.COMMENT : FileLine.Kind.BLANK;
            if (p < text.length() && text.charAt(p) == '\0') {
                kind = FileLine.Kind.BLANK;
            }
            return new FileLine(number, text, terminator, kind, Optional.empty(), Optional.empty(), managed);
        }
        try {
            return new FileLine(number, text, terminator, FileLine.Kind.KEY, Optional.of(AuthorizedKeyLine.parse(text)),
                    Optional.empty(), managed);
        } catch (AuthorizedKeysSyntaxException e) {
            return new FileLine(number, text, terminator, FileLine.Kind.INVALID, Optional.empty(),
                    Optional.of(e.at(sourceName, number)), managed);
        }
    }

    /** The name errors are reported under (usually the path). */
    public String sourceName() {
        return sourceName;
    }

    /** The content exactly as read. */
    public String text() {
        return content;
    }

    /** Every physical line, in order. */
    public List<FileLine> lines() {
        return lines;
    }

    /** Lines sshd reads as keys, in order. */
    public List<FileLine> keyLines() {
        return lines.stream().filter(l -> l.kind() == FileLine.Kind.KEY).toList();
    }

    /** Problems with the managed block's markers (a start without an end, two starts, …). */
    public List<AuthorizedKeysSyntaxException> structureProblems() {
        return structureProblems;
    }

    /** True when the file has a (well-formed) managed block. */
    public boolean hasManagedBlock() {
        return beginIndex >= 0 && endIndex > beginIndex;
    }

    /**
     * The key lines inside the managed block, in order.
     *
     * @throws AuthorizedKeysSyntaxException when the block's markers are broken or a line inside it does not parse
     */
    public List<AuthorizedKeyLine> managedLines() {
        requireWellFormedBlock();
        return lines.stream().filter(l -> l.managed() && l.kind() == FileLine.Kind.KEY).map(l -> l.key().orElseThrow()).toList();
    }

    /**
     * A new file with the managed block holding exactly {@code newLines} (appended at the end if the
     * file had no block). Lines outside the block are kept byte for byte; block lines end in {@code \n}.
     */
    public AuthorizedKeysFile withManagedBlock(List<AuthorizedKeyLine> newLines) {
        requireWellFormedBlock();
        StringBuilder b = new StringBuilder();
        StringBuilder block = new StringBuilder();
        block.append(BEGIN_MARKER).append('\n');
        for (AuthorizedKeyLine l : newLines) {
            block.append(l.render()).append('\n');
        }
        block.append(END_MARKER).append('\n');
        if (hasManagedBlock()) {
            for (int i = 0; i < beginIndex; i++) {
                b.append(lines.get(i).raw());
            }
            b.append(block);
            for (int i = endIndex + 1; i < lines.size(); i++) {
                b.append(lines.get(i).raw());
            }
        } else {
            b.append(content);
            if (!content.isEmpty() && !content.endsWith("\n")) {
                b.append('\n');
            }
            b.append(block);
        }
        return parse(b.toString(), sourceName);
    }

    /**
     * Every pair of key lines with the same key (by SHA256 fingerprint): the later line refers to the
     * first. A certificate counts as the key it certifies (its fingerprint is that key's, as in
     * {@code ssh-keygen -l}), so a certificate line next to its plain key is reported too.
     */
    public List<Duplicate> duplicates() {
        Map<String, Integer> first = new HashMap<>();
        List<Duplicate> out = new ArrayList<>();
        for (FileLine l : keyLines()) {
            String fp = l.key().orElseThrow().fingerprint();
            Integer prev = first.putIfAbsent(fp, l.number());
            if (prev != null) {
                out.add(new Duplicate(fp, prev, l.number()));
            }
        }
        return out;
    }

    /** The same key on two lines of one file. */
    public record Duplicate(String fingerprint, int firstLine, int secondLine) {}

    /**
     * Checks that this file may be written: no key twice, a well-formed managed block, and every line
     * inside the block parses.
     *
     * @throws DuplicateKeyException naming both line numbers
     * @throws AuthorizedKeysSyntaxException for a broken block
     */
    public void requireWritable() {
        List<Duplicate> dups = duplicates();
        if (!dups.isEmpty()) {
            Duplicate d = dups.get(0);
            throw new DuplicateKeyException(sourceName, d.fingerprint(), d.firstLine(), d.secondLine());
        }
        requireWellFormedBlock();
    }

    private void requireWellFormedBlock() {
        if (!structureProblems.isEmpty()) {
            throw structureProblems.get(0);
        }
        for (FileLine l : lines) {
            if (l.managed() && l.kind() == FileLine.Kind.INVALID) {
                throw l.error().orElseThrow();
            }
        }
    }

    /** The content to write, after {@link #requireWritable()}: byte-identical to what was read for an unchanged file. */
    public String render() {
        requireWritable();
        StringBuilder b = new StringBuilder(content.length());
        for (FileLine l : lines) {
            b.append(l.raw());
        }
        return b.toString();
    }
}
