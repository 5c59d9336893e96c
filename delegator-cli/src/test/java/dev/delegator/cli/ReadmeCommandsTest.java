package dev.delegator.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Keeps README from drifting away from the tool: every {@code delegator …} command line shown in a
 * code block of README.md must parse with the real command line (same subcommands, options and
 * arity). What the commands then do is proven by the module tests, the it suite and the demo; this
 * test catches a renamed option or subcommand that README still shows.
 */
class ReadmeCommandsTest {

    @Test
    void everyCommandReadmeShowsParses() throws IOException {
        List<String> commands = commandsIn(Files.readAllLines(readme()));
        assertTrue(commands.size() >= 20, "expected README to show at least 20 delegator commands, found " + commands);
        List<String> failures = new ArrayList<>();
        for (String command : commands) {
            List<String> words = ShellWords.split(command);
            String[] args = words.subList(1, words.size()).toArray(String[]::new);
            try {
                DelegatorCommand.newCommandLine().parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                failures.add(command + "\n    -> " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            fail("README shows commands the CLI does not accept:\n" + String.join("\n", failures));
        }
    }

    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("delegator-cli"))) {
                return dir.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Command lines in fenced code blocks that start with {@code delegator} or {@code ./delegator}
     * (after an optional {@code $ } prompt), continuation lines joined, trailing comments removed.
     * Usage synopses ({@code [--option]}, {@code ...}) are not commands and are left out.
     */
    static List<String> commandsIn(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder pending = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                pending = null;
                continue;
            }
            if (!inBlock) {
                continue;
            }
            if (pending != null) {
                pending.append(' ').append(line);
            } else {
                String body = line.startsWith("$ ") ? line.substring(2) : line;
                if (!body.startsWith("delegator ") && !body.startsWith("./delegator ")) {
                    continue;
                }
                pending = new StringBuilder(body);
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                continue;
            }
            String command = ShellWords.stripComment(pending.toString()).strip();
            pending = null;
            if (!command.contains("[") && !command.contains("...") && !command.contains("|")) {
                out.add(command);
            }
        }
        return out;
    }

    /** Just enough of sh's word splitting for README examples: single and double quotes, comments. */
    static final class ShellWords {
        private ShellWords() {}

        static String stripComment(String line) {
            boolean single = false;
            boolean dbl = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\'' && !dbl) {
                    single = !single;
                } else if (c == '"' && !single) {
                    dbl = !dbl;
                } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    return line.substring(0, i);
                }
            }
            return line;
        }

        static List<String> split(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        word.append(c);
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                    word = word == null ? new StringBuilder() : word;
                } else if (Character.isWhitespace(c)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                } else {
                    word = word == null ? new StringBuilder() : word;
                    word.append(c);
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
