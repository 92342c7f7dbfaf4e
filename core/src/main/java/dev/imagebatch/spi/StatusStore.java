package dev.imagebatch.spi;

import dev.imagebatch.ImageResult;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Keeps request records and per-image results, so that any caller can query a request and a
 * restarted service can resume unfinished ones.
 *
 * <p><b>Contract</b> (checked by the {@code StatusStoreContract} test in core's test-jar).
 * <ul>
 *   <li>Thread-safety: safe for concurrent use. {@link #update} is an atomic read-modify-write:
 *       concurrent updates of one record are applied one after another and none is lost.
 *       {@link #putImages} from many threads loses no result.</li>
 *   <li>Atomicity: a reader never sees a torn record; it sees the record before or after a write.</li>
 *   <li>Blocking: every method blocks until the storage has answered.</li>
 *   <li>Fidelity: what is read back equals what was written; instants keep at least millisecond
 *       precision (the engine writes millisecond instants).</li>
 *   <li>Failures: storage failures are {@link IOException}s naming the request and keeping the cause;
 *       a failed write leaves the previous record in place. Misuse (creating an existing id,
 *       updating a missing one) is an {@link IllegalStateException}.</li>
 *   <li>Nullness: never returns {@code null}; absence is {@link Optional#empty()} or an empty list.</li>
 * </ul>
 */
public interface StatusStore {

    /**
     * Stores a new record.
     *
     * @throws IllegalStateException if a record with the same request id exists
     * @throws IOException           if the storage failed; no record was created
     */
    void create(RequestRecord record) throws IOException;

    /** The record of {@code requestId}, or empty if there is none. */
    Optional<RequestRecord> find(String requestId) throws IOException;

    /**
     * Atomically replaces the record of {@code requestId} with {@code change.apply(current)}. The
     * function may be called more than once (optimistic implementations retry on conflict), so it
     * must be free of side effects. It must keep the request id.
     *
     * @return the record as stored
     * @throws IllegalStateException if there is no record for {@code requestId}
     * @throws IOException           if the storage failed; the previous record stays
     */
    RequestRecord update(String requestId, UnaryOperator<RequestRecord> change) throws IOException;

    /**
     * Records per-image results, replacing any earlier result with the same row and index.
     *
     * @throws IOException if the storage failed; results of this call may be partly stored
     *                     (each result is stored whole or not at all)
     */
    void putImages(String requestId, Collection<ImageResult> results) throws IOException;

    /** Every image result stored for {@code requestId}, ordered by row then index; empty if none. */
    List<ImageResult> images(String requestId) throws IOException;

    /**
     * Ids of every request that still needs work, as {@link RequestRecord#needsWork()} defines it: its
     * state is {@link dev.imagebatch.RequestState#PROCESSING}, or it has finished with its webhook
     * still pending. A restarted service resumes the first and delivers the webhook of the second.
     */
    List<String> unfinished() throws IOException;
}
