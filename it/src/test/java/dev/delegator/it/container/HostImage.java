package dev.delegator.it.container;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;

/**
 * The name of the container host image for the current inputs, and the check that Docker and the
 * image are there. The image is built by {@code it/image/build-image.sh} (run by {@code ./run-tests}),
 * never by a test: building takes a minute and needs debootstrap, and a test that silently built
 * (or pulled) would hide a broken CI setup. Locally a missing daemon or image skips the container
 * tests; with {@code CI=true} it fails them.
 */
public final class HostImage {
    /** System property (set by it/pom.xml) with the path of build-image.sh. */
    static final String SCRIPT_PROPERTY = "delegator.it.imageScript";
    /** Environment variable that names an image explicitly instead of asking build-image.sh. */
    static final String IMAGE_ENV = "DELEGATOR_IT_IMAGE";
    /**
     * System property naming the Debian suite of this matrix leg (bookworm, the default, or trixie):
     * it/pom.xml runs the container tests once per suite, each against its own image.
     */
    static final String SUITE_PROPERTY = "delegator.it.suite";

    private HostImage() {}

    /** Fails in CI (skips locally) unless a Docker daemon answers and the image exists; returns its name. */
    public static String require() {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();
        Prerequisites.require(docker, "a Docker daemon (start one: dockerd >/var/log/dockerd.log 2>&1 &)");
        String name = name();
        Prerequisites.require(exists(name), "the container host image " + name + " (build it: it/image/build-image.sh --suite " + suite().codename() + ")");
        return name;
    }

    /** The Debian suite this run's container hosts are (the matrix leg). */
    public static DebianSuite suite() {
        return DebianSuite.of(System.getProperty(SUITE_PROPERTY, DebianSuite.BOOKWORM.codename()));
    }

    /** {@code delegator-it-host:<suite>-<hash of the build inputs>}, as build-image.sh names it. */
    public static String name() {
        String explicit = System.getenv(IMAGE_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        Path script = Path.of(System.getProperty(SCRIPT_PROPERTY, "image/build-image.sh"));
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("build-image.sh not found at " + script.toAbsolutePath()
                    + " (set -D" + SCRIPT_PROPERTY + " or " + IMAGE_ENV + ")");
        }
        CommandResult result = ExternalCommand.run(script.toString(), "--suite", suite().codename(), "--print-name");
        if (result.exitCode() != 0) {
            throw new IllegalStateException(script + " --print-name failed: " + result);
        }
        return result.stdout().trim();
    }

    static boolean exists(String name) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
