package dev.delegator.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a private key or a known_hosts text comes from: a file, or the contents of an
 * environment variable (CI secrets arrive that way; never from argv, where {@code ps} shows them).
 * {@link #toString()} names the origin and never the contents.
 */
public sealed interface Material permits Material.FromFile, Material.FromEnv {

    /** Human-readable origin for messages: the path, or "environment variable NAME". */
    String origin();

    /** The bytes. */
    byte[] read() throws IOException;

    /**
     * Empty when a key's bytes can be read from here; else one line naming the file once, e.g.
     * {@code cannot read private key /x/id_ed25519: no such file}. An environment variable was
     * read already: always empty.
     */
    default Optional<String> unreadableKey() {
        if (!(this instanceof FromFile f)) {
            return Optional.empty();
        }
        Path p = f.path();
        String why = !Files.exists(p) ? "no such file" : Files.isDirectory(p) ? "is a directory"
                : !Files.isReadable(p) ? "permission denied" : null;
        return why == null ? Optional.empty() : Optional.of(cannotReadKey(p.toString(), why));
    }

    /** The one wording of an unreadable key, whether found before connecting or while reading it. */
    public static String cannotReadKey(String origin, String why) {
        return "cannot read private key " + origin + ": " + why;
    }

    static Material file(Path path) {
        return new FromFile(path);
    }

    static Material env(String variable, String contents) {
        return new FromEnv(variable, contents);
    }

    /** A file, read at connect time. */
    record FromFile(Path path) implements Material {
        public FromFile {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String origin() {
            return path.toString();
        }

        @Override
        public byte[] read() throws IOException {
            return Files.readAllBytes(path);
        }
    }

    /** The contents of an environment variable, captured when the request was built. */
    record FromEnv(String variable, String contents) implements Material {
        public FromEnv {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(contents, "contents");
            if (contents.isBlank()) {
                throw new IllegalArgumentException("environment variable " + variable + " is empty");
            }
        }

        @Override
        public String origin() {
            return "environment variable " + variable;
        }

        @Override
        public byte[] read() {
            return contents.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "FromEnv[" + variable + "]";
        }
    }
}
