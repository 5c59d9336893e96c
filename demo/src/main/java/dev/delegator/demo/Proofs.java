package dev.delegator.demo;

import dev.delegator.client.DelegationProber;
import dev.delegator.client.DelegationTarget;
import dev.delegator.client.Material;
import dev.delegator.client.PinAdvice;
import dev.delegator.client.ProbeCheck;
import dev.delegator.client.ProbePlan;
import dev.delegator.client.ProbeReport;
import dev.delegator.client.RunOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shows that the caller's key is good for the deploy and nothing else, each as one ticked or
 * crossed line. The key's proofs are {@code delegator verify}'s own ({@link DelegationProber}: one
 * implementation), tried with the real key at the SSH protocol level: what someone holding a
 * leaked key would try.
 */
final class Proofs {
    /** One proof's result. */
    record Proof(boolean held, String text, List<String> evidence) {}

    private Proofs() {}

    /**
     * Everything {@code delegator verify} tries with the key on the delegate at 127.0.0.1:{@code port},
     * and a login from 127.0.0.2 ({@code from=} allows 127.0.0.1 and ::1 only).
     *
     * @param key how the lines name the key ("the caller's key")
     * @param verb a declared verb, tried with an argument the dispatcher refuses
     */
    static List<Proof> keyDoesNothingElse(String delegation, int port, String delegate, Path keyFile, Path knownHosts,
            List<String> verbs, String verb, String key) {
        DelegationTarget target = new DelegationTarget(delegation, "127.0.0.1", port, delegate, Material.file(keyFile),
                Material.file(knownHosts), PinAdvice.MANIFEST);
        List<Proof> out = new ArrayList<>();
        try (DelegationProber prober = new DelegationProber(RunOptions.defaults())) {
            ProbeReport report = prober.probe(target, ProbePlan.of(verbs, Optional.of(verb)));
            if (report.connectionFailure().isPresent()) {
                out.add(new Proof(false, "connecting with " + key + ": "
                        + report.connectionFailure().get().message().orElse("failed"), List.of()));
                return out;
            }
            for (ProbeCheck c : report.checks()) {
                out.add(proof(c, key));
            }
            out.add(proof(prober.fromAddress(target, "127.0.0.2"), key));
        }
        return out;
    }

    /** Prints {@code proof} as a ticked or crossed line with its evidence below; returns it. */
    static Proof show(Console console, Proof proof) {
        if (proof.held()) {
            console.tick(proof.text());
        } else {
            console.cross(proof.text());
        }
        for (String e : proof.evidence()) {
            console.quoted("  " + e);
        }
        return proof;
    }

    private static Proof proof(ProbeCheck c, String key) {
        boolean held = c.verdict() != ProbeCheck.Verdict.GRANTED;
        return new Proof(held, c.tried() + " with " + key + (held ? " is refused" : " is NOT refused"), List.of(c.answer()));
    }

    /** The published page belongs to the delegate, not to the caller. */
    static Proof ranAsDelegate(Path page, String delegate, String caller) {
        String owner;
        try {
            owner = Files.readAttributes(page, PosixFileAttributes.class).owner().getName();
        } catch (IOException e) {
            return new Proof(false, "the deploy ran as " + delegate + ": " + page + " is missing", List.of());
        }
        boolean held = owner.equals(delegate) && !owner.equals(caller);
        return new Proof(held, "the deploy ran as the delegate " + delegate + ", not as the caller " + caller
                + " (" + page.getFileName() + " is owned by " + owner + ")", List.of());
    }
}
