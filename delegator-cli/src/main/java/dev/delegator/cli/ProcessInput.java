package dev.delegator.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The process's arguments and environment read as the bytes they are, decoded strictly as UTF-8,
 * whatever the locale the JVM started in.
 *
 * <p>Java 17 decodes argv, the environment and file names with {@code sun.jnu.encoding}, which
 * comes from the locale: under {@code LC_ALL=C} or {@code env -i} (cron, systemd units, some hook
 * runners) that is ASCII, and {@code é} arrives as two U+FFFD that print as {@code ??}; a byte
 * that is not UTF-8 becomes U+FFFD in any locale. Either way the command would act on a different
 * value than the one given. So the arguments are taken from {@code /proc/self/cmdline} and the
 * environment from {@code /proc/self/environ} (the bytes the kernel passed at exec), decoded with
 * a decoder that reports malformed input instead of replacing it. What cannot be read exactly is
 * refused: exit {@link ExitCodes#USAGE}, one line naming the argument or variable.
 *
 * <p>File names go from Java to the kernel in {@code sun.jnu.encoding} too, so a JVM whose locale
 * is not UTF-8 cannot use a non-ASCII name at all: there, any non-ASCII argument or variable is
 * refused as well. The launcher ({@code ./delegator}) starts the JVM with {@code LC_ALL=C.UTF-8}
 * unless the locale already names UTF-8, so this only happens for a JVM started some other way or
 * a UTF-8 locale that is not installed.
 */
public final class ProcessInput {
    private ProcessInput() {}

    /** True when this JVM hands strings to the kernel as UTF-8 (file names, process arguments). */
    static boolean jvmSpeaksUtf8() {
        String jnu = System.getProperty("sun.jnu.encoding", "");
        return jnu.equalsIgnoreCase("UTF-8") || jnu.equalsIgnoreCase("UTF8");
    }

    /**
     * The arguments {@code main} was given, as the bytes the kernel holds for them: the last
     * {@code jvmArgs.length} entries of {@code /proc/self/cmdline}.
     *
     * @throws UserFacingException (exit 2) for an argument that is not UTF-8, or not ASCII in a JVM
     *                             that cannot pass other characters on exactly
     */
    public static String[] arguments(String[] jvmArgs) {
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | UnsupportedOperationException e) {
            cmdline = null;
        }
        return arguments(jvmArgs, cmdline, jvmSpeaksUtf8());
    }

    /** {@link #arguments(String[])} on given {@code cmdline} bytes (NUL-terminated entries; null when unknown). */
    static String[] arguments(String[] jvmArgs, byte[] cmdline, boolean utf8Jvm) {
        List<byte[]> entries = cmdline == null ? List.of() : split(cmdline);
        String[] out = new String[jvmArgs.length];
        boolean aligned = entries.size() > jvmArgs.length;
        for (int i = 0; aligned && i < jvmArgs.length; i++) {
            byte[] raw = entries.get(entries.size() - jvmArgs.length + i);
            // an ASCII entry reads the same in every charset: it must be the argument the JVM gave us
            if (ascii(raw) && !new String(raw, StandardCharsets.US_ASCII).equals(jvmArgs[i])) {
                aligned = false;
            }
        }
        for (int i = 0; i < jvmArgs.length; i++) {
            String what = "argument " + (i + 1);
            if (aligned) {
                byte[] raw = entries.get(entries.size() - jvmArgs.length + i);
                out[i] = decode(raw).orElseThrow(() -> notUtf8(what, raw));
            } else {
                // no raw bytes to read: trust only what no charset can have changed
                if (!jvmArgs[i].chars().allMatch(c -> c < 0x80)) {
                    throw new UserFacingException(ExitCodes.USAGE, what + " holds non-ASCII characters and /proc/self/cmdline"
                            + " cannot be read to check them; nothing was done");
                }
                out[i] = jvmArgs[i];
            }
            if (!utf8Jvm && !out[i].chars().allMatch(c -> c < 0x80)) {
                throw notInThisJvm(what);
            }
        }
        return out;
    }

    /**
     * The environment, from {@code /proc/self/environ}: looking up a variable whose value is not
     * UTF-8 (or not ASCII, in a JVM that is not UTF-8) throws the exit-2 {@link UserFacingException}
     * naming it; variables nobody asks for are never judged. Falls back to {@link System#getenv()}
     * (with the same checks on what it decoded) where /proc is not readable.
     */
    public static Map<String, String> environment() {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc/self/environ"));
        } catch (IOException | UnsupportedOperationException e) {
            environ = null;
        }
        return environment(environ, jvmSpeaksUtf8());
    }

    /** {@link #environment()} on given {@code environ} bytes (null: use System.getenv()). */
    static Map<String, String> environment(byte[] environ, boolean utf8Jvm) {
        Map<String, Optional<String>> values = new LinkedHashMap<>();
        if (environ == null) {
            System.getenv().forEach((k, v) -> values.put(k, v.indexOf('\uFFFD') >= 0 ? Optional.empty() : Optional.of(v)));
        } else {
            for (byte[] entry : split(environ)) {
                int eq = indexOf(entry, (byte) '=');
                if (eq <= 0) {
                    continue;
                }
                Optional<String> name = decode(java.util.Arrays.copyOfRange(entry, 0, eq));
                if (name.isEmpty()) {
                    continue; // a name nobody can ask for
                }
                values.putIfAbsent(name.get(), decode(java.util.Arrays.copyOfRange(entry, eq + 1, entry.length)));
            }
        }
        return new StrictEnvironment(values, utf8Jvm);
    }

    /** A read-only map whose {@code get} refuses a value it could not read exactly. */
    private static final class StrictEnvironment extends AbstractMap<String, String> {
        private final Map<String, Optional<String>> values;
        private final boolean utf8Jvm;

        StrictEnvironment(Map<String, Optional<String>> values, boolean utf8Jvm) {
            this.values = Collections.unmodifiableMap(values);
            this.utf8Jvm = utf8Jvm;
        }

        @Override
        public String get(Object key) {
            Optional<String> v = values.get(key);
            if (v == null) {
                return null;
            }
            String what = "environment variable " + key;
            if (v.isEmpty()) {
                throw new UserFacingException(ExitCodes.USAGE, what + " is not valid UTF-8; nothing was done");
            }
            if (!utf8Jvm && !v.get().chars().allMatch(c -> c < 0x80)) {
                throw notInThisJvm(what);
            }
            return v.get();
        }

        @Override
        public boolean containsKey(Object key) {
            return values.containsKey(key);
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            // every entry is read through get(), so iterating judges each value as a lookup would
            Map<String, String> all = new LinkedHashMap<>();
            for (String k : values.keySet()) {
                all.put(k, get(k));
            }
            return Collections.unmodifiableMap(all).entrySet();
        }
    }

    /** The strict UTF-8 reading of {@code raw}; empty when it is not UTF-8. */
    static Optional<String> decode(byte[] raw) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(raw.length);
        CoderResult r = d.decode(ByteBuffer.wrap(raw), out, true);
        if (r.isError() || d.flush(out).isError()) {
            return Optional.empty();
        }
        return Optional.of(out.flip().toString());
    }

    private static UserFacingException notUtf8(String what, byte[] raw) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        d.decode(in, CharBuffer.allocate(raw.length), true);
        int at = in.position();
        return new UserFacingException(ExitCodes.USAGE, what + " is not valid UTF-8 (byte 0x"
                + String.format("%02x", raw[Math.min(at, raw.length - 1)] & 0xff) + " at byte " + (at + 1) + "); nothing was done");
    }

    private static UserFacingException notInThisJvm(String what) {
        return new UserFacingException(ExitCodes.USAGE, what + " holds non-ASCII characters, which this JVM (locale charset "
                + System.getProperty("sun.jnu.encoding") + ") cannot pass on exactly; run it with an installed UTF-8 locale"
                + " (LC_ALL=C.UTF-8); nothing was done");
    }

    private static List<byte[]> split(byte[] nulTerminated) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < nulTerminated.length; i++) {
            if (nulTerminated[i] == 0) {
                out.add(java.util.Arrays.copyOfRange(nulTerminated, start, i));
                start = i + 1;
            }
        }
        if (start < nulTerminated.length) {
            out.add(java.util.Arrays.copyOfRange(nulTerminated, start, nulTerminated.length));
        }
        return out;
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static boolean ascii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }
}
