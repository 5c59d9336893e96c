package dev.delegator.manifest;

/**
 * An inclusive range of numeric ids ({@code uidRange: '61000-61999'}) from which apply
 * allocates delegate uids or gids: the lowest id in the range that is free on this host.
 * Allocation is stable across applies because an existing account keeps its id.
 */
public record IdRange(int first, int last) {
    public IdRange {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("id range " + first + "-" + last + " must be 1 <= first <= last");
        }
    }

    public boolean contains(int id) {
        return id >= first && id <= last;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
