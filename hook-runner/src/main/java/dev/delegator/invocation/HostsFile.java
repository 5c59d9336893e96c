package dev.delegator.invocation;

import dev.delegator.knownhosts.HostPort;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code run --hosts-file}: one {@code host}, {@code host:port} or {@code [address]:port} per
 * line (the one {@link HostPort} reader, as {@code --host} and the manifest), blank lines and
 * {@code #} comments (a whole line, or after the host and a space) ignored. Strict: a person edits this file, and a fan-out that silently skips a mistyped line would
 * leave a host out while looking like success. A host named twice is a problem too (it would run
 * twice).
 */
public final class HostsFile {
    private HostsFile() {}

    /** What one line holds: a host, nothing (blank or comment), or a problem at a 1-based column. */
    public sealed interface Line {
        /** A blank or comment line. */
        record Empty() implements Line {}

        /** A host, starting at {@code column}. */
        record Host(HostPort host, int column) implements Line {}

        /** The line is not one host; {@code column} points at the offending text. */
        record Problem(int column, String message) implements Line {}
    }

    /** Reads one line (no line terminator) with sshd's port {@code defaultPort} for hosts without one. */
    public static Line parseLine(String line, int defaultPort) {
        int start = 0;
        while (start < line.length() && isBlank(line.charAt(start))) {
            start++;
        }
        if (start == line.length() || line.charAt(start) == '#') {
            return new Line.Empty();
        }
        int end = start;
        while (end < line.length() && !isBlank(line.charAt(end))) {
            end++;
        }
        String text = line.substring(start, end);
        int rest = end;
        while (rest < line.length() && isBlank(line.charAt(rest))) {
            rest++;
        }
        if (rest < line.length() && line.charAt(rest) != '#') {
            return new Line.Problem(rest + 1, "one host[:port] per line; '" + line.substring(rest).strip()
                    + "' follows '" + text + "' (a comment starts with #)");
        }
        try {
            return new Line.Host(HostPort.parse(text, defaultPort), start + 1);
        } catch (IllegalArgumentException e) {
            return new Line.Problem(start + 1, e.getMessage());
        }
    }

    /**
     * The hosts of {@code file}, in its order.
     *
     * @throws ResolveException {@link ResolveException.Kind#INVALID_INPUT}: the file cannot be read,
     *     is not UTF-8, names no host, or has problems: the first as {@code file:line:column: problem},
 *     then how many more there are
     */
    public static List<HostPort> read(Path file, int defaultPort) throws ResolveException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new ResolveException(ResolveException.Kind.INVALID_INPUT, "cannot read hosts file " + file + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new ResolveException(ResolveException.Kind.INVALID_INPUT, "hosts file " + file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ResolveException(ResolveException.Kind.INVALID_INPUT, "cannot read hosts file " + file + ": "
                    + (Files.isDirectory(file) ? "is a directory" : e.getMessage()), e);
        }
        List<HostPort> hosts = new ArrayList<>();
        Map<HostPort, Integer> firstLine = new HashMap<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            Line parsed = parseLine(lines[i], defaultPort);
            if (parsed instanceof Line.Problem p) {
                problems.add(file + ":" + number + ":" + p.column() + ": " + p.message());
            } else if (parsed instanceof Line.Host h) {
                Optional<Integer> earlier = Optional.ofNullable(firstLine.putIfAbsent(h.host(), number));
                if (earlier.isPresent()) {
                    problems.add(file + ":" + number + ":" + h.column() + ": " + h.host().display() + " is already on line "
                            + earlier.get() + " (it would run twice)");
                } else {
                    hosts.add(h.host());
                }
            }
        }
        if (!problems.isEmpty()) {
            // one line, as run reports a bad manifest: the first problem, and how many more there are
            throw new ResolveException(ResolveException.Kind.INVALID_INPUT, problems.get(0) + (problems.size() == 1 ? ""
                    : " (and " + (problems.size() - 1) + " more problem" + (problems.size() == 2 ? "" : "s") + ")"));
        }
        if (hosts.isEmpty()) {
            throw new ResolveException(ResolveException.Kind.INVALID_INPUT, file + ": no host in the hosts file");
        }
        return List.copyOf(hosts);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
