package dev.delegator.client;

import dev.delegator.client.internal.Ed25519Crypto;
import dev.delegator.client.internal.RestrictedClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.SshClient;

/**
 * An SSH client being built and started on a background thread while the command line is still
 * being parsed, so the two overlap on a second core. The entry point of a command that will
 * connect {@link #begin() begins} one and hands it to the {@link DelegationRunner} it creates;
 * the first runner takes the client, and a second one (or one given {@link #none()}) builds its own.
 *
 * <p>Why: a short delegation is mostly a cold JVM's fixed costs, one after another. Parsing the
 * command line (picocli reads its annotations, about 50 ms) depends on the arguments; setting up
 * MINA's client and its crypto registry (about 50 ms) does not. Measured with bench/run-latency.sh:
 * about 20 ms less per short delegation on 2 cores. (Also running each key-exchange algorithm once
 * on the second thread, to load its classes early, gained nothing: it competed with the real key
 * exchange for the CPU.) A process that never runs a delegation (help, a usage error) just exits;
 * the thread is a daemon.
 *
 * <p>An object rather than process-wide state, so that a library embedding the runner, or tests
 * running in parallel, never take each other's client.
 */
public final class ClientPreparation {
    private final CompletableFuture<SshClient> pending;
    private final AtomicBoolean taken = new AtomicBoolean();

    private ClientPreparation(CompletableFuture<SshClient> pending) {
        this.pending = pending;
    }

    /** Starts preparing a client on a daemon thread. */
    public static ClientPreparation begin() {
        CompletableFuture<SshClient> client = new CompletableFuture<>();
        Thread t = new Thread(() -> prepare(client), "delegator-client-preparation");
        t.setDaemon(true);
        t.start();
        return new ClientPreparation(client);
    }

    /** Nothing prepared: the runner builds its client when it is created. */
    public static ClientPreparation none() {
        ClientPreparation none = new ClientPreparation(null);
        none.taken.set(true);
        return none;
    }

    /**
     * The prepared client (started, not yet configured with run options), or a new one when
     * preparing failed or another runner already took it.
     */
    SshClient take() {
        if (pending != null && taken.compareAndSet(false, true)) {
            try {
                return pending.get();
            } catch (ExecutionException e) {
                // preparing failed: build it here, where the failure is reported to the caller
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return newClient();
    }

    private static void prepare(CompletableFuture<SshClient> result) {
        try {
            result.complete(newClient());
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }

    private static SshClient newClient() {
        Ed25519Crypto.install();
        SshClient client = RestrictedClient.create();
        client.start();
        return client;
    }
}
