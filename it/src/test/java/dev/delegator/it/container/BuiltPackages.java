package dev.delegator.it.container;

import dev.delegator.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the packaging module built ({@code packaging/target}): the .deb and the tarball, which the
 * install tests put on a clean container host. They exist after {@code package}: run the it module
 * through the reactor ({@code mvn -pl it -am verify}).
 */
public final class BuiltPackages {
    private BuiltPackages() {}

    /** {@code delegator_VERSION_all.deb}, VERSION in Debian's form (0.1.0~SNAPSHOT); fails in CI, skips locally when absent. */
    public static Path deb() {
        return require("delegator_" + version().replaceFirst("-SNAPSHOT$", "~SNAPSHOT") + "_all.deb");
    }

    /** {@code delegator-VERSION.tar.gz}. */
    public static Path tarball() {
        return require("delegator-" + version() + ".tar.gz");
    }

    /** The Maven version the packages were built as (set by it/pom.xml). */
    public static String version() {
        return System.getProperty("delegator.it.version", "0.1.0-SNAPSHOT");
    }

    private static Path require(String name) {
        Path file = Path.of(System.getProperty("delegator.it.packageDir", "../packaging/target")).resolve(name).toAbsolutePath().normalize();
        Prerequisites.require(Files.isRegularFile(file), "the package " + file + " (build it: mvn -B -pl it -am verify)");
        return file;
    }
}
