package dev.delegator.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The demo's terminal output: numbered steps with a timing, indented detail lines, one line per
 * proof with a tick or a cross. Colour only when stdout is a terminal and {@code NO_COLOR} is
 * unset (https://no-color.org); in a log the same lines appear without escape codes.
 */
public final class Console {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String CYAN = "\u001b[36m";

    private final PrintWriter out;
    private final boolean colour;
    private final String tick;
    private final String cross;
    private final String ellipsis;
    private int step;

    /**
     * @param out where the lines go
     * @param colour ANSI colours on
     * @param unicode ✓, ✗ and … (else {@code ok}, {@code FAIL} and {@code ...}: a terminal or log without UTF-8)
     */
    public Console(PrintWriter out, boolean colour, boolean unicode) {
        this.out = out;
        this.colour = colour;
        this.tick = unicode ? "✓" : "ok";
        this.cross = unicode ? "✗" : "FAIL";
        this.ellipsis = unicode ? "…" : "...";
    }

    /** True when the platform charset (from the locale) can show ✓, ✗ and …. */
    public static boolean unicodeOutput() {
        return java.nio.charset.Charset.defaultCharset().newEncoder().canEncode("✓✗…");
    }

    /** "…" or "..." to match the output. */
    public String ellipsis() {
        return ellipsis;
    }

    /** Colour when stdout is a terminal ({@link System#console()}) and NO_COLOR is unset or empty. */
    public static boolean colourWanted(java.util.Map<String, String> env) {
        String noColour = env.get("NO_COLOR");
        return System.console() != null && (noColour == null || noColour.isEmpty());
    }

    private String paint(String code, String text) {
        return colour ? code + text + RESET : text;
    }

    /** A heading line. */
    public void title(String text) {
        out.println(paint(BOLD, text));
        out.flush();
    }

    /** Starts step N: {@code [3] starting a private sshd ...}. */
    public void step(String text) {
        step++;
        out.println(paint(BOLD, String.format(Locale.ROOT, "[%d] %s", step, text)));
        out.flush();
    }

    /** The end of the current step with its duration. */
    public void done(Duration took) {
        out.println("    " + paint(GREEN, "done") + " " + paint(DIM, "(" + seconds(took) + ")"));
        out.flush();
    }

    /** A detail line of the current step. */
    public void detail(String text) {
        out.println("    " + text);
        out.flush();
    }

    /** A line that came from elsewhere (a command's output, the remote deploy). */
    public void quoted(String text) {
        out.println("    " + paint(CYAN, "| ") + text);
        out.flush();
    }

    /** A proof that held. */
    public void tick(String text) {
        out.println("    " + paint(GREEN, tick) + " " + text);
        out.flush();
    }

    /** A proof that failed. */
    public void cross(String text) {
        out.println("    " + paint(RED, cross) + " " + text);
        out.flush();
    }

    /** A plain line. */
    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A failure line: {@code ✗ demo failed: reason}. */
    public void failure(String text) {
        out.println(paint(RED, cross + " " + text));
        out.flush();
    }

    /** {@code 1.23 s}. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }
}
