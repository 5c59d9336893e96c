package dev.delegator.keys;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real OpenSSH {@code ssh-keygen} for differential tests. */
final class SshKeygen {
    private SshKeygen() {}

    record Result(int status, String out, String err) {
        String both() {
            return out + err;
        }
    }

    /** Skips locally, fails in CI (CI=true) when ssh-keygen is not installed (testkit's rule). */
    static void require() {
        dev.delegator.testkit.Prerequisites.requireCommand("ssh-keygen");
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/ssh-keygen");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path errFile = Files.createTempFile("ssh-keygen", ".err");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ssh-keygen " + String.join(" ", args) + " did not finish");
        }
        String err = Files.readString(errFile);
        Files.delete(errFile);
        return new Result(p.exitValue(), out, err);
    }

    static Result runOk(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        if (r.status() != 0) {
            fail("ssh-keygen " + String.join(" ", args) + " exited " + r.status() + ": " + r.both());
        }
        return r;
    }
}
