package dev.delegator.demo;

import dev.delegator.localsshd.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Debian packages the demo needs, installed with apt-get when missing. During the install a
 * {@code policy-rc.d} that exits 101 keeps the packages from starting the machine's own sshd
 * (invoke-rc.d asks it before starting a service); an existing policy-rc.d is left as it is.
 */
public final class Packages {
    /** What the demo needs: the sshd it runs privately and the Mercurial it pushes with. */
    public static final List<String> NEEDED = List.of("openssh-server", "mercurial");
    private static final Path POLICY_RC_D = Path.of("/usr/sbin/policy-rc.d");

    private Packages() {}

    /** The packages of {@code names} that dpkg does not list as installed. */
    public static List<String> missing(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String p : names) {
            Command.Result r = Command.of("dpkg-query", "-W", "-f=${Status}", p).run();
            if (r.status() != 0 || !r.out().contains("install ok installed")) {
                out.add(p);
            }
        }
        return out;
    }

    /** apt-get update and install, without starting any service. */
    public static void install(List<String> names, Console console) {
        boolean ownPolicy = !Files.exists(POLICY_RC_D);
        try {
            if (ownPolicy) {
                Files.writeString(POLICY_RC_D, "#!/bin/sh\n# written by delegator demo during apt-get install: start no services\nexit 101\n");
                Files.setPosixFilePermissions(POLICY_RC_D, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Command.of("apt-get", "update", "-q").env("DEBIAN_FRONTEND", "noninteractive").timeout(Duration.ofMinutes(5)).check();
            List<String> argv = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
            argv.addAll(names);
            Command.of(argv).env("DEBIAN_FRONTEND", "noninteractive").timeout(Duration.ofMinutes(10)).check();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (ownPolicy) {
                try {
                    Files.deleteIfExists(POLICY_RC_D);
                } catch (IOException e) {
                    console.detail("could not remove " + POLICY_RC_D + ": " + e.getMessage());
                }
            }
        }
    }
}
