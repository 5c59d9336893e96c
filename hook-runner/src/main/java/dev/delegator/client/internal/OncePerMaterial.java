package dev.delegator.client.internal;

import dev.delegator.client.Material;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A value computed from a key or known_hosts {@link Material} once per runner, even when the hosts
 * of a fan-out all ask at the same moment: the first computes, the others wait for its result (or
 * its failure).
 *
 * <p>Why: a fan-out starts every host at once on a cold JVM, so a plain cache missed for all of them
 * and 16 threads decoded the same ed25519 key (BouncyCastle recomputes the public point, in the
 * interpreter) and parsed the same known_hosts: over a third of the fan-out threads' CPU on 16
 * hosts (bench/fanout.sh with async-profiler).
 *
 * @param <X> the checked exception the computation may throw
 */
public final class OncePerMaterial<T, X extends Exception> {
    /** The computation; may throw {@code X}. */
    public interface Computation<T, X extends Exception> {
        T compute() throws X;
    }

    private final Map<Material, CompletableFuture<T>> values = new ConcurrentHashMap<>();
    private final Class<X> failure;

    public OncePerMaterial(Class<X> failure) {
        this.failure = failure;
    }

    /** The value for {@code material}: computed now by {@code how}, or the one computed (or computing) before. */
    public T get(Material material, Computation<T, X> how) throws X {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> first = values.putIfAbsent(material, mine);
        if (first == null) {
            first = mine;
            try {
                mine.complete(how.compute());
            } catch (Exception | Error e) {
                mine.completeExceptionally(e);
            }
        }
        try {
            return first.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (failure.isInstance(cause)) {
                throw failure.cast(cause);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
