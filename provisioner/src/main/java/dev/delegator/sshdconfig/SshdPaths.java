package dev.delegator.sshdconfig;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where sshd and its config are. The drop-in goes to {@code <dir of config>/sshd_config.d/50-delegator.conf},
 * which Debian's default sshd_config includes ({@code Include /etc/ssh/sshd_config.d/*.conf}).
 *
 * @param config sshd's main config; default {@code /etc/ssh/sshd_config}
 * @param binary the sshd binary used for {@code -t} and {@code -T}; default {@code /usr/sbin/sshd}
 */
public record SshdPaths(Path config, Path binary) {
    public static final Path DEFAULT_CONFIG = Path.of("/etc/ssh/sshd_config");
    public static final Path DEFAULT_BINARY = Path.of("/usr/sbin/sshd");
    /** The drop-in's file name; 50 sorts it after distribution defaults and before local overrides. */
    public static final String DROP_IN_NAME = "50-delegator.conf";

    public SshdPaths {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(binary, "binary");
        if (!config.isAbsolute() || !binary.isAbsolute()) {
            throw new IllegalArgumentException("sshd config (" + config + ") and binary (" + binary + ") must be absolute paths");
        }
    }

    public static SshdPaths system() {
        return new SshdPaths(DEFAULT_CONFIG, DEFAULT_BINARY);
    }

    /** {@code <dir of config>/sshd_config.d/50-delegator.conf}. */
    public Path dropIn() {
        return config.toAbsolutePath().getParent().resolve("sshd_config.d").resolve(DROP_IN_NAME);
    }
}
