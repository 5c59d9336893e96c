package dev.delegator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code delegator --version}: the version Maven built ({@code version.properties}, filtered) and,
 * when the build ran in a git checkout, the commit it was built from ({@code git.properties},
 * written by git-commit-id-maven-plugin), with {@code modified} when tracked files differed from
 * that commit. Both files are in the jar, so the answer is the build's, not the machine's.
 */
public final class DelegatorVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {describe(resource("version.properties"), resource("git.properties"))};
    }

    /** The one line {@code --version} prints, from the two property sets (either may be empty). */
    static String describe(Properties build, Properties git) {
        String version = build.getProperty("version", "");
        // unfiltered (an IDE build from the source tree) the value is still the placeholder
        if (version.isBlank() || version.startsWith("${")) {
            version = "development build";
        }
        String commit = git.getProperty("git.commit.id.abbrev", "");
        if (commit.isBlank()) {
            return "delegator " + version;
        }
        boolean modified = Boolean.parseBoolean(git.getProperty("git.dirty", "false"));
        return "delegator " + version + " (commit " + commit + (modified ? ", modified" : "") + ")";
    }

    private static Properties resource(String name) {
        Properties p = new Properties();
        try (InputStream in = DelegatorVersion.class.getResourceAsStream(name)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name + " from the jar", e);
        }
        return p;
    }
}
