package dev.delegator.manifest;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a delegation's key stops working ({@code expiry-time=} on its authorized_keys line).
 * A fixed instant ({@code expires: 2027-01-31} = 00:00 UTC that day), or a duration
 * ({@code expires: 90d}) counted from the first apply of the delegation on the delegate host,
 * which apply records so a re-apply does not push the expiry forward.
 */
public sealed interface Expiry {
    /** The instant the key expires, given when the delegation was first applied on this host. */
    Instant resolve(Instant firstApplied);

    /** A fixed expiry instant. */
    record At(Instant instant) implements Expiry {
        public At {
            Objects.requireNonNull(instant, "instant");
        }

        @Override
        public Instant resolve(Instant firstApplied) {
            return instant;
        }
    }

    /** A lifetime counted from the first apply. */
    record After(Duration duration) implements Expiry {
        public After {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("expiry duration (" + duration + ") must be positive");
            }
        }

        @Override
        public Instant resolve(Instant firstApplied) {
            return firstApplied.plus(duration);
        }
    }
}
