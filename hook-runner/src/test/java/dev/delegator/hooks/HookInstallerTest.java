package dev.delegator.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookInstallerTest {
    static final Path LAUNCHER = Path.of("/opt/delegator/delegator");

    @TempDir
    Path dir;

    @Test
    void hgHookIsAddedToAnExistingHooksSectionKeepingEveryOtherLine() throws IOException {
        Files.createDirectories(dir.resolve(".hg"));
        String before = "[paths]\ndefault = https://example.org/repo\n\n[hooks]\n# mail on push\nchangegroup.notify = python:hgext.notify.hook\n";
        Files.writeString(dir.resolve(".hg/hgrc"), before);
        assertEquals(HookInstaller.Change.ADDED, HookInstaller.installHg(dir, "blog", LAUNCHER, List.of()));
        assertEquals("[paths]\ndefault = https://example.org/repo\n\n[hooks]\nchangegroup.delegator-blog = "
                + "/opt/delegator/delegator hook hg blog\n# mail on push\nchangegroup.notify = python:hgext.notify.hook\n",
                Files.readString(dir.resolve(".hg/hgrc")));
        assertEquals(HookInstaller.Change.UNCHANGED, HookInstaller.installHg(dir, "blog", LAUNCHER, List.of()));
        assertEquals(HookInstaller.Change.UPDATED, HookInstaller.installHg(dir, "blog", Path.of("/usr/bin/delegator"),
                List.of("--each")));
        assertTrue(Files.readString(dir.resolve(".hg/hgrc"))
                .contains("\nchangegroup.delegator-blog = /usr/bin/delegator hook hg blog --each\n"));
    }

    @Test
    void hgrcWithoutHooksSectionGetsOne() throws IOException {
        Files.createDirectories(dir.resolve(".hg"));
        Files.writeString(dir.resolve(".hg/hgrc"), "[ui]\nusername = x\n");
        HookInstaller.installHg(dir, "blog", Path.of("/path with space/delegator"), List.of());
        assertEquals("[ui]\nusername = x\n\n[hooks]\n# run the delegation blog as its delegate user after each push "
                + "(delegator hook install)\nchangegroup.delegator-blog = '/path with space/delegator' hook hg blog\n",
                Files.readString(dir.resolve(".hg/hgrc")));
    }

    @Test
    void newGitHookIsAnExecutableShellScript() throws IOException {
        bareRepo();
        assertEquals(HookInstaller.Change.ADDED, HookInstaller.installGit(dir, "site", LAUNCHER, List.of()));
        Path hook = dir.resolve("hooks/post-receive");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(hook)));
        String text = Files.readString(hook);
        assertTrue(text.startsWith("#!/bin/sh\n"), text);
        assertTrue(text.contains("\n/opt/delegator/delegator hook git site <\"$delegator_refs\"\n"), text);
        assertTrue(text.endsWith("exit \"$delegator_status\"\n"), text);
        assertEquals(HookInstaller.Change.UNCHANGED, HookInstaller.installGit(dir, "site", LAUNCHER, List.of()));
    }

    @Test
    void existingShellHookGetsTheBlockFirstAndKeepsItsBody() throws IOException {
        bareRepo();
        Path hook = dir.resolve("hooks/post-receive");
        Files.writeString(hook, "#!/bin/bash\nset -e\nwhile read a b c; do echo $c; done\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-x---"));
        assertEquals(HookInstaller.Change.UPDATED, HookInstaller.installGit(dir, "site", LAUNCHER, List.of()));
        String text = Files.readString(hook);
        assertTrue(text.startsWith("#!/bin/bash\n# >>> delegator site >>>\n"), text);
        assertTrue(text.endsWith("# <<< delegator site <<<\nset -e\nwhile read a b c; do echo $c; done\n"), text);
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(hook)));
    }

    @Test
    void aNonShellHookIsRefusedWithTheLinesToAdd() throws IOException {
        bareRepo();
        Files.writeString(dir.resolve("hooks/post-receive"), "#!/usr/bin/python3\nprint('hi')\n");
        IOException e = assertThrows(IOException.class, () -> HookInstaller.installGit(dir, "site", LAUNCHER, List.of()));
        assertTrue(e.getMessage().startsWith(dir.resolve("hooks/post-receive") + " exists and is not a POSIX shell script"),
                e.getMessage());
    }

    @Test
    void relativeLauncherIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HookInstaller.installHg(dir, "blog", Path.of("delegator"), List.of()));
        assertEquals("delegator path (delegator) must be absolute: hooks run in the repository with another working "
                + "directory and PATH", e.getMessage());
    }

    private void bareRepo() throws IOException {
        Files.writeString(dir.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.createDirectories(dir.resolve("objects"));
        Files.createDirectories(dir.resolve("hooks"));
    }
}
