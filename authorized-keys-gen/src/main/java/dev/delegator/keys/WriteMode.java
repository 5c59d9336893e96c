package dev.delegator.keys;

/** Whether writing a key pair may replace files that are already there. */
public enum WriteMode {
    /** Refuse if the private key or the {@code .pub} file exists (the default everywhere). */
    CREATE_NEW,
    /** Replace existing files (each atomically); asked for explicitly, e.g. with {@code --force}. */
    OVERWRITE
}
