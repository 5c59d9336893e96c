package dev.delegator.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.cli.DelegatorCommand;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The .deb and the tarball this module built, checked as files: lintian (Debian's package checker)
 * without errors or warnings, the control fields, every path and mode, one man page per command of
 * the picocli model, maintainer scripts that touch no account or key, the systemd unit's hardening
 * as systemd itself scores it. Installing them on a clean host is it/'s DebianPackageIT.
 */
class PackageIT {
    private static final Path TARGET = Path.of(System.getProperty("delegator.packaging.target", "target"));
    private static final String VERSION = System.getProperty("delegator.packaging.version");

    static Path deb() {
        Path deb = TARGET.resolve("delegator_" + debianVersion() + "_all.deb");
        assertTrue(Files.isRegularFile(deb), "no package at " + deb + " (mvn -pl packaging -am verify builds it)");
        return deb;
    }

    static String debianVersion() {
        return VERSION.replaceFirst("-SNAPSHOT$", "~SNAPSHOT");
    }

    @Test
    void lintianFindsNoErrorOrWarning() {
        Prerequisites.requireCommand("lintian");
        CommandResult r = ExternalCommand.run("lintian", "--fail-on", "error,warning", "--display-info", deb().toString());
        assertEquals(0, r.exitCode(), "lintian:\n" + r.stdout() + r.stderr());
        assertFalse(r.stdout().lines().anyMatch(l -> l.startsWith("E:") || l.startsWith("W:")), r.stdout());
    }

    @Test
    void controlFieldsSayWhatItNeeds() {
        assertEquals("delegator", field("Package"));
        assertEquals(debianVersion(), field("Version"));
        assertEquals("all", field("Architecture"));
        assertEquals("default-jre-headless (>= 2:1.17) | java17-runtime-headless, openssh-client, util-linux (>= 2.38), passwd, procps",
                field("Depends"));
        assertEquals("openssh-server", field("Recommends"));
        // the changelog's newest entry is this version (dpkg-parsechangelog reads it the way Debian does)
        CommandResult changelog = ExternalCommand.run("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xO ./usr/share/doc/delegator/changelog.gz | gzip -dc | head -n 1",
                "sh", deb().toString());
        assertTrue(changelog.stdout().startsWith("delegator (" + debianVersion() + ") "), changelog.stdout());
    }

    @Test
    void everyPathIsWhereAdminsLookAndOwnedByRoot() {
        Map<String, String> entries = debEntries();
        Map<String, String> expected = Map.ofEntries(
                Map.entry("./usr/bin/delegator", "lrwxrwxrwx -> ../lib/delegator/delegator"),
                Map.entry("./usr/lib/delegator/delegator", "-rwxr-xr-x"),
                Map.entry("./usr/lib/delegator/delegator.jar", "-rw-r--r--"),
                Map.entry("./usr/lib/delegator/dispatch", "-rwxr-xr-x"),
                Map.entry("./usr/lib/delegator/deploy/hg-deploy", "-rwxr-xr-x"),
                Map.entry("./usr/lib/delegator/deploy/git-deploy", "-rwxr-xr-x"),
                Map.entry("./usr/share/man/man5/delegator-manifest.5.gz", "-rw-r--r--"),
                Map.entry("./usr/share/bash-completion/completions/delegator", "-rw-r--r--"),
                Map.entry("./usr/share/delegator/manifest.schema.json", "-rw-r--r--"),
                Map.entry("./usr/share/doc/delegator/copyright", "-rw-r--r--"),
                Map.entry("./usr/share/doc/delegator/changelog.gz", "-rw-r--r--"),
                Map.entry("./usr/share/doc/delegator/README.md", "-rw-r--r--"),
                Map.entry("./usr/share/doc/delegator/examples/delegations.yaml", "-rw-r--r--"),
                Map.entry("./lib/systemd/system/delegator-apply.service", "-rw-r--r--"),
                Map.entry("./lib/systemd/system/delegator-apply.timer", "-rw-r--r--"));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String got = entries.get(e.getKey());
            assertTrue(got != null, "the package lacks " + e.getKey() + "; it has " + entries.keySet());
            if (e.getValue().startsWith("l")) {
                assertTrue(got.startsWith("l") && got.endsWith(e.getValue().substring(e.getValue().indexOf(" ->"))), e.getKey() + ": " + got);
            } else {
                assertTrue(got.startsWith(e.getValue() + " root/root "), e.getKey() + ": " + got);
            }
        }
        entries.forEach((path, line) -> assertTrue(line.contains(" root/root "), "not owned by root: " + line));
        assertFalse(entries.keySet().stream().anyMatch(p -> p.startsWith("./etc/")),
                "the package ships nothing under /etc: /etc/delegator is the admin's and apply's");
    }

    @Test
    void everyCommandHasItsManPage() {
        Set<String> pages = debEntries().keySet().stream()
                .filter(p -> p.startsWith("./usr/share/man/man1/"))
                .map(p -> p.substring("./usr/share/man/man1/".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>();
        commandPages(DelegatorCommand.newCommandLine(), "delegator", expected);
        assertTrue(expected.size() > 10, "the model has only " + expected);
        assertEquals(expected, pages);
    }

    @Test
    void maintainerScriptsTouchNoAccountOrKey(@TempDir Path dir) throws IOException {
        CommandResult r = ExternalCommand.run("dpkg-deb", "-e", deb().toString(), dir.toString());
        assertEquals(0, r.exitCode(), r::toString);
        List<String> scripts;
        try (Stream<Path> s = Files.list(dir)) {
            scripts = s.map(p -> p.getFileName().toString()).filter(n -> Set.of("preinst", "postinst", "prerm", "postrm").contains(n)).toList();
        }
        assertEquals(List.of("postrm"), scripts, "only postrm, which says what purge leaves");
        String code = Files.readAllLines(dir.resolve("postrm")).stream().map(l -> l.replaceFirst("^\\s*(#|echo ).*", "")).collect(Collectors.joining("\n"));
        for (String forbidden : List.of("userdel", "deluser", "groupdel", "delgroup", "useradd", "ssh-keygen", "rm ", "sed ", "systemctl", "> /", ">/")) {
            assertFalse(code.contains(forbidden), "postrm runs '" + forbidden + "':\n" + code);
        }
    }

    @Test
    void theApplyUnitIsHardenedAsSystemdScoresIt(@TempDir Path root) {
        Prerequisites.requireCommand("systemd-analyze");
        CommandResult x = ExternalCommand.run("dpkg-deb", "-x", deb().toString(), root.toString());
        assertEquals(0, x.exitCode(), x::toString);
        // offline: parses the unit as systemd would and scores its exposure (0 safest .. 10); 3.2 when written
        CommandResult r = ExternalCommand.run("systemd-analyze", "security", "--offline=yes", "--root=" + root,
                "--threshold=35", "delegator-apply.service");
        assertEquals(0, r.exitCode(), "exposure above 3.5 or a unit the parser refused:\n" + r.stdout() + r.stderr());
        assertFalse(r.stderr().contains("Unknown key") || r.stderr().contains("Failed to parse"), r.stderr());
        assertTrue(r.stdout().contains("Overall exposure level for delegator-apply.service"), r.stdout());
    }

    @Test
    void theTarballHasLauncherJarScriptsAndManPages() {
        Path tarball = TARGET.resolve("delegator-" + VERSION + ".tar.gz");
        CommandResult r = ExternalCommand.run("tar", "-tzvf", tarball.toString());
        assertEquals(0, r.exitCode(), r::toString);
        String base = "delegator-" + VERSION + "/";
        for (String path : List.of("lib/delegator/delegator", "lib/delegator/delegator.jar", "lib/delegator/dispatch",
                "lib/delegator/deploy/hg-deploy", "share/man/man1/delegator-run.1", "share/man/man5/delegator-manifest.5",
                "share/bash-completion/completions/delegator", "share/delegator/manifest.schema.json")) {
            assertTrue(r.stdout().lines().anyMatch(l -> l.endsWith(" " + base + path)), "the tarball lacks " + path + ":\n" + r.stdout());
        }
        assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith("-rwxr-xr-x root/root") && l.endsWith(" " + base + "lib/delegator/delegator")),
                "the launcher is not an executable owned by root:\n" + r.stdout());
    }

    private static void commandPages(CommandLine cl, String name, Set<String> out) {
        out.add(name + ".1.gz");
        cl.getSubcommands().forEach((sub, child) -> {
            // a hidden command (agent serve: started by run itself) has no page, as in --help
            if (child.getCommandSpec().name().equals(sub) && !child.getCommandSpec().usageMessage().hidden()) {
                commandPages(child, name + "-" + sub, out);
            }
        });
    }

    private static String field(String name) {
        CommandResult r = ExternalCommand.run("dpkg-deb", "-f", deb().toString(), name);
        assertEquals(0, r.exitCode(), r::toString);
        return r.stdout().trim();
    }

    /** Path to its {@code tar -tv} line (mode, owner, size, date, path[ -> target]) in the data archive. */
    private static Map<String, String> debEntries() {
        CommandResult r = ExternalCommand.run("dpkg-deb", "-c", deb().toString());
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String> out = new java.util.TreeMap<>();
        for (String line : r.stdout().lines().toList()) {
            List<String> f = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
            String path = f.get(5);
            out.put(path.endsWith("/") && path.length() > 2 ? path.substring(0, path.length() - 1) : path, line.trim());
        }
        return out;
    }
}
