package dev.delegator.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;

/**
 * Builds and starts the SSH client on a background thread while the command line is still being
 * parsed, so the two overlap on a second core.
 *
 * <p>Why: a short delegation is mostly a cold JVM's fixed costs, one after another. Parsing the
 * command line (picocli reads its annotations, about 50 ms) depends on the arguments; setting up
 * MINA's client and its crypto registry (about 50 ms) does not. So the entry point of a command that
 * will connect calls {@link #begin()} first, and the runner {@link #take() takes} the started client.
 * Measured with bench/run-latency.sh: about 20 ms less per short delegation on 2 cores. (Also
 * running each key-exchange algorithm once on the second thread, to load its classes early, gained
 * nothing: it competed with the real key exchange for the CPU.) A process that never runs a
 * delegation (help, a usage error) just exits; the thread is a daemon.
 */
public final class ClientPreparation {
    /** Marks the preparation as taken: later runners build their own client. */
    private static final CompletableFuture<SshClient> TAKEN = CompletableFuture.completedFuture(null);
    private static final AtomicReference<CompletableFuture<SshClient>> PENDING = new AtomicReference<>();

    private ClientPreparation() {}

    /** Starts preparing a client, once per process; later calls do nothing. */
    public static void begin() {
        CompletableFuture<SshClient> client = new CompletableFuture<>();
        if (PENDING.compareAndSet(null, client)) {
            Thread t = new Thread(() -> prepare(client), "delegator-client-preparation");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * The prepared client (started, not yet configured with run options), or a new one when none was
     * begun, preparing it failed, or another runner already took it.
     */
    static SshClient take() {
        CompletableFuture<SshClient> prepared = PENDING.getAndSet(TAKEN);
        if (prepared != null && prepared != TAKEN) {
            try {
                return prepared.get();
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
