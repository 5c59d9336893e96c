package dev.delegator.testkit;

import java.nio.file.Path;

/** A real system account a test created; see {@link TestUsers}. */
public record TestUser(String name, int uid, int gid, Path home) {}
