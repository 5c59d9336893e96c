package dev.delegator.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's "Exit codes" table has a row for every code in {@link ExitCodes}, so a new code cannot go undocumented. */
class ReadmeExitCodesTest {

    @Test
    void everyExitCodeHasARowInReadme() throws IOException, IllegalAccessException {
        String table = exitCodeSection();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Field f : ExitCodes.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) {
                continue;
            }
            int code = f.getInt(null);
            checked++;
            String row = code == ExitCodes.SIGNAL_BASE ? "| 128+N |" : "| " + code + " |";
            if (!table.contains(row)) {
                missing.add(f.getName() + " = " + code);
            }
        }
        assertTrue(checked >= 10, "expected at least 10 exit codes, found " + checked);
        assertTrue(missing.isEmpty(), "README's Exit codes table lacks " + missing);
    }

    private static String exitCodeSection() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(dir.resolve("README.md")) || !Files.isDirectory(dir.resolve("delegator-cli"))) {
            dir = dir.getParent();
        }
        String readme = Files.readString(dir.resolve("README.md"));
        int start = readme.indexOf("\n## Exit codes\n");
        assertTrue(start >= 0, "README has no '## Exit codes' section");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
