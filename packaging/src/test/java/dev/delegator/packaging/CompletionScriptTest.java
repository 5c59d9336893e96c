package dev.delegator.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.cli.DelegatorCommand;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The completion script in a real bash, driven the way bash drives it on Tab (COMP_WORDS,
 * COMP_CWORD, then the function {@code complete} registered): commands and options from picocli's
 * part, delegation names from the manifest where the model says a name goes, and nowhere else.
 */
class CompletionScriptTest {
    @TempDir
    static Path dir;
    private static Path script;
    private static Path manifest;

    @BeforeAll
    static void write() throws IOException {
        Prerequisites.requireCommand("bash");
        script = dir.resolve("delegator");
        Files.writeString(script, CompletionScript.script(DelegatorCommand.newCommandLine()));
        manifest = dir.resolve("delegations.yaml");
        Files.writeString(manifest, """
                version: 1
                delegations:   # two of them
                  blog:
                    caller: {user: hg}
                    verbs:
                      deploy: {run: /usr/lib/delegator/deploy/hg-deploy}
                  restart-blog:
                    caller: {user: www-data}
                groups:
                  - name: not-a-delegation
                """);
    }

    @Test
    void commandsAndOptionsComeFromTheModel() {
        assertEquals("apply", complete("delegator", "ap"));
        assertTrue(complete("delegator", "run", "--con").equals("--connect-timeout"), complete("delegator", "run", "--con"));
    }

    @Test
    void delegationNamesWhereTheFirstPositionalIsOne() {
        String m = manifest.toString();
        assertEquals("blog restart-blog", complete("delegator", "run", "--manifest", m, ""));
        assertEquals("restart-blog", complete("delegator", "revoke", "--manifest", m, "r"));
        // bash splits --manifest=FILE at '='
        assertEquals("blog restart-blog", complete("delegator", "run", "--manifest", "=", m, ""));
        assertEquals("blog", complete("delegator", "hook", "git", "--manifest", m, "--timeout", "10m", "b"));
    }

    @Test
    void noNamesForAnOptionsValueOrALaterPositional() {
        String m = manifest.toString();
        assertEquals("", complete("delegator", "run", "--manifest", m, "blog", ""), "the verb position is not a name");
        assertEquals("", complete("delegator", "run", "--manifest", m, "--timeout", ""), "a value of --timeout");
        assertEquals("", complete("delegator", "list", "--manifest", m, ""), "list takes no name");
    }

    @Test
    void registeredForTheCommand() {
        CommandResult r = ExternalCommand.run(List.of("bash", "-c", ". \"$1\" && complete -p delegator", "bash", script.toString()));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("complete -o default -F _delegator_complete delegator", r.stdout().trim());
    }

    /** What Tab offers for the words (the last one is the word being completed), sorted, space-separated. */
    private static String complete(String... words) {
        String driver = """
                . "$1" 2>/dev/null
                shift
                COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
                _delegator_complete delegator "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
                printf '%s\\n' "${COMPREPLY[@]}" | sort -u | tr '\\n' ' '
                """;
        List<String> argv = new java.util.ArrayList<>(List.of("bash", "-c", driver, "bash", script.toString()));
        argv.addAll(List.of(words));
        CommandResult r = ExternalCommand.run(argv, Map.of(), null, Duration.ofSeconds(30));
        assertEquals(0, r.exitCode(), r::toString);
        return r.stdout().trim();
    }
}
