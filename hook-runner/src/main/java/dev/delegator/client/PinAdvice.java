package dev.delegator.client;

/** What a host-key refusal tells the user to do, depending on where the pinned keys came from. */
public enum PinAdvice {
    /** The known_hosts was written by {@code delegator apply} from the manifest. */
    MANIFEST,
    /** The known_hosts was given explicitly (--known-hosts, --known-hosts-env): show the line to add. */
    KNOWN_HOSTS_LINE
}
