package dev.imagebatch.spi;

import dev.imagebatch.ImageResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One chunk of a {@link WorkPlan}: who holds it, and the per-image results recorded so far. The
 * results live in the record itself, so they are written under the same version check as the
 * lease: a holder that lost the chunk can no longer add results.
 *
 * @param requestId the request
 * @param chunk     the chunk's number in the plan, from 0
 * @param lease     the current holder
 * @param done      whether every image of the chunk has its result here
 * @param results   results recorded so far, at most one per row and index
 */
public record ChunkRecord(String requestId, int chunk, Lease lease, boolean done, List<ImageResult> results) {

    public ChunkRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(lease, "lease");
        if (chunk < 0) {
            throw new IllegalArgumentException("chunk must be >= 0, got " + chunk);
        }
        results = List.copyOf(results);
    }

    /** A first claim of {@code chunk}: no results yet. */
    public static ChunkRecord claimed(String requestId, int chunk, Lease lease) {
        return new ChunkRecord(requestId, chunk, lease, false, List.of());
    }

    /** A copy with another lease. */
    public ChunkRecord withLease(Lease newLease) {
        return new ChunkRecord(requestId, chunk, newLease, done, results);
    }

    /** A copy with {@code more} results appended, and marked done if {@code nowDone} (a done chunk stays done). */
    public ChunkRecord withResults(Collection<ImageResult> more, boolean nowDone) {
        List<ImageResult> all = new ArrayList<>(results.size() + more.size());
        all.addAll(results);
        all.addAll(more);
        return new ChunkRecord(requestId, chunk, lease, done || nowDone, all);
    }
}
