package dev.delegator.demo;

import dev.delegator.localsshd.LocalSshd;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What one demo run created, written to {@code <run dir>/demo-state.properties} before each thing
 * is created (so a crash or a kill leaves a record that names it), and read back by cleanup and
 * by {@code delegator demo --clean}. Keys: {@code user.N} accounts to delete, {@code group.N}
 * groups to delete when empty, {@code pid.NAME} processes to end (only if their command line
 * still names the run directory, so a reused pid is never signalled).
 */
public final class DemoState {
    /** Key of the pid of the demo process while it runs (gone once a kept demo finished). */
    public static final String RUNNING = "running";

    /** The file name inside a run directory. */
    public static final String FILE = "demo-state.properties";

    private final Path runDir;
    private final TreeMap<String, String> values = new TreeMap<>();

    private DemoState(Path runDir) {
        this.runDir = runDir;
    }

    /** A new, empty state for a run directory that exists. */
    public static DemoState create(Path runDir) {
        DemoState s = new DemoState(runDir);
        s.put("runDir", runDir.toString());
        return s;
    }

    /** Reads a run directory's state file. */
    public static DemoState read(Path runDir) {
        DemoState s = new DemoState(runDir);
        Path f = runDir.resolve(FILE);
        if (Files.exists(f)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
            for (String k : p.stringPropertyNames()) {
                s.values.put(k, p.getProperty(k));
            }
        }
        return s;
    }

    public Path runDir() {
        return runDir;
    }

    /** Records an account the demo is about to create. */
    public synchronized void addUser(String name) {
        add("user.", name);
    }

    /** Records a group the demo is about to create. */
    public synchronized void addGroup(String name) {
        add("group.", name);
    }

    /** Records a process the demo started. */
    public synchronized void putPid(String what, long pid) {
        put("pid." + what, Long.toString(pid));
    }

    public synchronized void removePid(String what) {
        values.remove("pid." + what);
        save();
    }

    /** Records a private sshd's pid as {@code pid.NAME} from its start (each start attempt) until it is stopped. */
    public LocalSshd.Listener recording(String what) {
        return new LocalSshd.Listener() {
            @Override
            public void started(long pid) {
                putPid(what, pid);
            }

            @Override
            public void stopped(long pid) {
                removePid(what);
            }
        };
    }

    /**
     * Ends a process the demo started and recorded with {@link #putPid}: TERM, then KILL when it has
     * not gone within 5 s; then forgets its pid, so a later cleanup does not look for it.
     */
    public void stop(String what, Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removePid(what);
    }

    public synchronized void put(String key, String value) {
        values.put(key, value);
        save();
    }

    public synchronized void remove(String key) {
        values.remove(key);
        save();
    }

    /** True while the demo process that wrote this state still runs. */
    public synchronized boolean inProgress() {
        String pid = values.get(RUNNING);
        if (pid == null || !pid.matches("[0-9]{1,10}")) {
            return false;
        }
        return ProcessHandle.of(Long.parseLong(pid)).map(h -> h.isAlive() && h.info().command().map(c -> c.endsWith("java")).orElse(false))
                .orElse(false);
    }

    public synchronized Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public synchronized List<String> users() {
        return list("user.");
    }

    public synchronized List<String> groups() {
        return list("group.");
    }

    /** Every recorded process: name and pid. */
    public synchronized TreeMap<String, Long> pids() {
        TreeMap<String, Long> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("pid.")) {
                out.put(k.substring(4), Long.parseLong(v));
            }
        });
        return out;
    }

    private void add(String prefix, String name) {
        if (!list(prefix).contains(name)) {
            values.put(prefix + list(prefix).size(), name);
            save();
        }
    }

    private List<String> list(String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 0; values.containsKey(prefix + i); i++) {
            out.add(values.get(prefix + i));
        }
        return out;
    }

    private void save() {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        Properties p = new Properties();
        p.putAll(values);
        Path f = runDir.resolve(FILE);
        Path tmp = runDir.resolve(FILE + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "delegator demo: what this run created; 'delegator demo --clean' removes it");
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
    }
}
