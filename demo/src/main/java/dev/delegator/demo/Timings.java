package dev.delegator.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs the demo's steps one after another, numbered and timed, and keeps the times for the summary. */
final class Timings {
    /** One finished step. */
    record Entry(String title, Duration took) {}

    private final Console console;
    private final List<Entry> entries = new ArrayList<>();
    private final long started = System.nanoTime();

    Timings(Console console) {
        this.console = console;
    }

    /** Announces the step, runs it, prints its duration. */
    <T> T step(String title, Supplier<T> work) {
        console.step(title);
        long t0 = System.nanoTime();
        T result = work.get();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        entries.add(new Entry(title, took));
        console.done(took);
        return result;
    }

    void step(String title, Runnable work) {
        step(title, () -> {
            work.run();
            return null;
        });
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    Duration total() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** The summary's timing lines. */
    void print() {
        int width = entries.stream().mapToInt(e -> e.title().length()).max().orElse(10);
        width = Math.min(width, 60);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String title = e.title().length() > width ? e.title().substring(0, width - 3) + "..." : e.title();
            console.detail(String.format(java.util.Locale.ROOT, "%2d  %-" + width + "s  %8s", i + 1, title, Console.seconds(e.took())));
        }
        console.detail(String.format(java.util.Locale.ROOT, "    %-" + width + "s  %8s", "total", Console.seconds(total())));
    }
}
