package dev.imagebatch.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Who holds a piece of shared work and until when. The expiry is the holder's wall-clock promise
 * to renew before then; others may take the work over only once it has passed (plus the allowed
 * clock skew). A lease decides liveness only: correctness comes from the version checks of
 * {@link WorkStore}, which make a stale holder's writes fail.
 *
 * @param owner      the holding instance's id
 * @param generation 1 for the first holder, one more on every take-over
 * @param until      when the lease lapses unless renewed
 */
public record Lease(String owner, long generation, Instant until) {

    public Lease {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(until, "until");
        if (owner.isBlank()) {
            throw new IllegalArgumentException("owner must not be blank");
        }
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1, got " + generation);
        }
    }

    /** The same holder and generation with a new expiry. */
    public Lease renewedUntil(Instant newUntil) {
        return new Lease(owner, generation, newUntil);
    }

    /** A new holder taking this lease over: the next generation. */
    public Lease takenOverBy(String newOwner, Instant newUntil) {
        return new Lease(newOwner, generation + 1, newUntil);
    }
}
