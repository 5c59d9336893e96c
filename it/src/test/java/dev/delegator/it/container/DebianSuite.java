package dev.delegator.it.container;

import dev.delegator.localsshd.OpenSshVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Debian releases the container host is built for ({@code build-image.sh --suite}): each
 * matrix leg of the container tests runs against one of them. What differs for delegator is the
 * sshd (OpenSSH 9.2 on Debian 12, 10.0 on Debian 13) and whether the image has a Java of its own.
 */
public enum DebianSuite {
    /** Debian 12: OpenSSH 9.2, no Java in the image (the test JDK is mounted). */
    BOOKWORM("bookworm", new OpenSshVersion(9, 2), List.of()),
    /** Debian 13: OpenSSH 10.0, Debian's own OpenJDK 21 (the default) and 25. */
    TRIXIE("trixie", new OpenSshVersion(10, 0),
            List.of("/usr/lib/jvm/java-21-openjdk-amd64", "/usr/lib/jvm/java-25-openjdk-amd64"));

    private final String codename;
    private final OpenSshVersion openSsh;
    private final List<String> javaHomes;

    DebianSuite(String codename, OpenSshVersion openSsh, List<String> javaHomes) {
        this.codename = codename;
        this.openSsh = openSsh;
        this.javaHomes = javaHomes;
    }

    /** The name debootstrap and build-image.sh take. */
    public String codename() {
        return codename;
    }

    /** The OpenSSH release the suite's openssh-server package ships. */
    public OpenSshVersion openSsh() {
        return openSsh;
    }

    /** The image's own default JDK, where the image has one. */
    public Optional<String> ownJavaHome() {
        return javaHomes.stream().findFirst();
    }

    /** Every JDK the image has of its own (build-image.sh installs them), the default first. */
    public List<String> javaHomes() {
        return javaHomes;
    }

    /** The suite by its codename; an unknown name fails with the ones there are. */
    public static DebianSuite of(String codename) {
        return Arrays.stream(values()).filter(s -> s.codename.equals(codename)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown Debian suite \"" + codename
                        + "\" (bookworm or trixie)"));
    }
}
