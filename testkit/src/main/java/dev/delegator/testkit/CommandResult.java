package dev.delegator.testkit;

import java.nio.charset.StandardCharsets;

/** What an external command did: exit status and its captured output. */
public record CommandResult(int exitCode, byte[] stdoutBytes, String stderr) {
    /** stdout decoded as UTF-8. */
    public String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout: " + stdout() + "\nstderr: " + stderr;
    }
}
