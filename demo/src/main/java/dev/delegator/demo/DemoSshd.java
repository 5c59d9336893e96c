package dev.delegator.demo;

import dev.delegator.localsshd.LocalSshd;
import java.nio.file.Path;

/**
 * The demo's private sshd: local-sshd's {@link LocalSshd}, the one the tests run too (127.0.0.1,
 * a free port, its own config, host key and log; never the machine's sshd or /etc/ssh), named as
 * the demo's and with root logins refused on top, since no demo step logs in as root. The root
 * demo and {@code --no-root} add who may log in and with which keys.
 */
final class DemoSshd {
    private DemoSshd() {}

    /** A builder for the sshd whose files live in {@code dir}. */
    static LocalSshd.Builder builder(Path dir) {
        return LocalSshd.builder(dir)
                .headline("the delegator demo's private sshd (never the machine's own); removed by the demo's cleanup")
                .hostKeyComment("delegator-demo")
                .configLine("PermitRootLogin no");
    }
}
