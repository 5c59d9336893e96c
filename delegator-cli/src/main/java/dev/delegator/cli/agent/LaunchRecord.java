package dev.delegator.cli.agent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM command line the launcher ({@code ./delegator}, {@code /usr/bin/delegator}) may exec
 * directly while the agent runs: the file {@code launch} in the agent's directory, 0600, five
 * lines: the launcher's absolute path, the java binary, the class path (one jar), the class-data
 * archive option (or an empty line) and the JVM options; beside it {@code light-client.pl}, the
 * Perl client the launcher runs instead of a JVM (it execs the recorded JVM itself for whatever it
 * does not handle). Written when this process started an agent; the launcher's fast path checks
 * owner, age and the archive before using them.
 */
final class LaunchRecord {
    static final String FILE = "launch";
    /** The light client beside the record (README "Connection reuse": the launcher runs it with perl). */
    static final String CLIENT = "light-client.pl";

    private LaunchRecord() {}

    /** This JVM's options without class-data training, recording or archive options (the agent's and the record's). */
    static List<String> jvmOptions() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!(a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-XX:DumpLoadedClassList") || a.startsWith("-XX:AOT")
                    || a.startsWith("-Xshare") || a.startsWith("-Xlog") || a.contains("DisplayVMOutput"))) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The archive option of this JVM, or of the archive its training run makes (the launcher
     * builds {@code P.jsa} from {@code P.train}); empty without one.
     */
    static String archiveOption() {
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-XX:SharedArchiveFile=") || a.startsWith("-XX:AOTCache=")) {
                return a;
            }
            if (a.startsWith("-XX:DumpLoadedClassList=") && a.endsWith(".train")) {
                return "-XX:SharedArchiveFile=" + a.substring("-XX:DumpLoadedClassList=".length(), a.length() - 6) + ".jsa";
            }
            if (a.startsWith("-XX:AOTConfiguration=") && a.endsWith(".train")) {
                return "-XX:AOTCache=" + a.substring("-XX:AOTConfiguration=".length(), a.length() - 6) + ".jsa";
            }
        }
        return "";
    }

    /** Writes the record when this process was started by the launcher with one jar; nothing otherwise. */
    static void write(Path dir, Map<String, String> env) {
        String launcher = env.get("DELEGATOR_LAUNCHER");
        String cp = System.getProperty("java.class.path", "");
        List<String> opts = jvmOptions();
        String archive = archiveOption();
        if (launcher == null || !launcher.startsWith("/") || cp.contains(java.io.File.pathSeparator) || !cp.endsWith(".jar")
                || opts.stream().anyMatch(o -> o.chars().anyMatch(Character::isWhitespace)) || archive.chars().anyMatch(Character::isWhitespace)) {
            return;
        }
        String text = launcher + "\n" + Path.of(System.getProperty("java.home"), "bin", "java") + "\n" + Path.of(cp).toAbsolutePath()
                + "\n" + archive + "\n" + String.join(" ", opts) + "\n";
        try {
            // the client first: a record names a directory whose client is this build's
            replace(dir, CLIENT, lightClient());
            replace(dir, FILE, text);
        } catch (IOException e) {
            // no record: the launcher takes its full start, as without an agent
        }
    }

    private static void replace(Path dir, String name, String text) throws IOException {
        Path tmp = Files.createTempFile(dir, name, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The Perl light client the launcher runs while the agent is up (resource {@code light-client.pl}),
     * with the protocol's constants taken from {@link Frames}, so they are written down once.
     */
    static String lightClient() throws IOException {
        String template;
        try (java.io.InputStream in = LaunchRecord.class.getResourceAsStream(CLIENT)) {
            if (in == null) {
                throw new IOException("the build has no " + CLIENT);
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder names = new StringBuilder();
        for (String name : Frames.ENVIRONMENT) {
            names.append(names.length() == 0 ? "" : ", ").append('\'').append(name).append('\'');
        }
        return template.replace("@VERSION@", Frames.VERSION)
                .replace("@ENVIRONMENT@", names)
                .replace("@CLIENT_FRAMES@", Frames.REQUEST + ", " + Frames.STDIN + ", " + Frames.STDIN_EOF + ", " + Frames.CANCEL)
                .replace("@AGENT_FRAMES@", Frames.ACCEPT + ", " + Frames.DECLINE + ", " + Frames.STDOUT + ", " + Frames.STDERR + ", "
                        + Frames.EXIT + ", " + Frames.ACK)
                .replace("@SIZES@", Frames.MAX + ", " + Frames.WINDOW + ", " + Frames.CHUNK);
    }
}
