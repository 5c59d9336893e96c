package dev.delegator.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Linux capabilities a verb may be granted ({@code verbs: NAME: {capabilities: [...]}}), named
 * as capabilities(7) does without the {@code CAP_} prefix, lower-case ({@code dac_read_search}).
 * One rule for the loader, the {@link Verb} record and the README's list: a name must be one the
 * kernel knows, and not on the dangerous list, whose every entry gives back root (or the means
 * to take it, or to undo the sandbox) and so would make the grant pointless.
 */
public final class Capabilities {
    /** Every capability of capabilities(7) up to Linux 6.x, in the kernel's numbering order. */
    public static final Set<String> KNOWN = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(java.util.List.of(
            "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
            "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
            "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
            "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write", "audit_control", "setfcap",
            "mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf",
            "checkpoint_restore")));

    /** The refused capabilities, each with why (the README lists the same text). */
    public static final Map<String, String> DANGEROUS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("sys_admin", "mounts, namespaces, quotas and much more: root in all but name");
        d.put("sys_ptrace", "ptrace of any process, root's included: run code as root");
        d.put("sys_module", "loads kernel modules: code in the kernel");
        d.put("sys_rawio", "raw I/O ports and /dev/mem: reads and writes kernel memory");
        d.put("dac_override", "writes any file (/etc/shadow, /etc/sudoers.d): becomes root");
        d.put("fowner", "chmod and utime of any file: makes /etc/shadow writable");
        d.put("chown", "gives itself any file: takes over root's files");
        d.put("fsetid", "keeps setuid and setgid bits on files it changes");
        d.put("setuid", "switches to any uid, root's included");
        d.put("setgid", "switches to any group (shadow, disk, sudo)");
        d.put("setpcap", "changes capability sets and securebits: undoes the bounding set");
        d.put("setfcap", "sets file capabilities on any program: a program with every capability for later");
        d.put("linux_immutable", "clears the immutable and append-only flags: rewrites protected logs");
        d.put("mknod", "creates device nodes: raw access to disks");
        d.put("net_admin", "firewall, routes and interfaces: undoes the network sandbox");
        d.put("sys_boot", "reboots the host or loads a new kernel (kexec)");
        d.put("sys_chroot", "chroot: with a setuid program, a root escape");
        d.put("sys_time", "sets the clock: expired keys and certificates work again");
        d.put("sys_resource", "overrides resource limits and quotas: undoes the sandbox's limits");
        d.put("sys_pacct", "switches process accounting off or to another file: hides activity");
        d.put("kill", "signals any process, root's included");
        d.put("ipc_owner", "reads and writes every process's System V shared memory");
        d.put("audit_control", "switches the audit system off or rewrites its rules");
        d.put("mac_admin", "changes the AppArmor or SELinux policy");
        d.put("mac_override", "overrides the AppArmor or SELinux policy");
        d.put("syslog", "reads kernel addresses: defeats kernel address randomisation");
        d.put("bpf", "loads BPF programs: reads kernel memory and traffic");
        d.put("perfmon", "perf events of the whole system: reads kernel memory");
        d.put("checkpoint_restore", "chooses pids and reads other processes' mapped files");
        DANGEROUS = Collections.unmodifiableMap(d);
    }

    private Capabilities() {}

    /** Why {@code name} cannot be granted, or empty when it can. */
    public static Optional<String> problem(String name) {
        if (!KNOWN.contains(name)) {
            String hint = name.toLowerCase(java.util.Locale.ROOT).replaceFirst("^cap_", "");
            return Optional.of("'" + name + "' is not a capability" + (KNOWN.contains(hint) && !hint.equals(name) ? "; write '" + hint + "'" : "")
                    + "; grantable: " + String.join(", ", grantable()));
        }
        String why = DANGEROUS.get(name);
        if (why != null) {
            return Optional.of("'" + name + "' is refused: " + why);
        }
        return Optional.empty();
    }

    /** The known capabilities not on the dangerous list, by name. */
    public static Set<String> grantable() {
        Set<String> out = new TreeSet<>(KNOWN);
        out.removeAll(DANGEROUS.keySet());
        return out;
    }
}
