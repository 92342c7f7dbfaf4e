package dev.imagebatch.spi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Versioned records through which several service instances share the work of requests: one
 * {@link WorkPlan} per request and one {@link ChunkRecord} per claimed chunk, and an open marker
 * per request that still needs an instance (written before anything else of the request is stored,
 * so a submission that dies part way is still found). The store offers
 * only create-if-absent and compare-and-set; the claiming, lease and completion protocol built on
 * them lives in the engine (see {@code DESIGN.md}). Amazon S3 provides both with conditional
 * writes ({@code If-None-Match: *}, {@code If-Match: <etag>}).
 *
 * <p><b>Contract</b> (checked by the {@code WorkStoreContract} test in core's test-jar).
 * <ul>
 *   <li>Linearizable per record: of several writers creating the same record, or replacing it
 *       while holding the same version, exactly one succeeds; the others are told so (empty
 *       result), and their value is not stored. A read that follows a successful write (from any
 *       instance) sees it or a later one.</li>
 *   <li>Versions: a write that changes a record's value gives it a version it has not had before,
 *       so a writer holding an old version cannot overwrite a newer value. (A store may derive the
 *       version from the content, as S3's ETag does; the engine never writes a value twice, since
 *       every write changes a lease's generation or expiry, or adds results.)</li>
 *   <li>Fidelity: what is read back equals what was written.</li>
 *   <li>Failures: storage failures are {@link IOException}s; after one, the write may or may not
 *       have happened (a caller re-reads to find out). Ids must be usable in keys (UUIDs are).</li>
 *   <li>Thread-safety: safe for concurrent use by threads and processes. Nullness: never returns
 *       {@code null}.</li>
 * </ul>
 */
public interface WorkStore {

    /**
     * Marks {@code requestId} open, so that {@link #openRequests()} lists it until its plan is written
     * {@link WorkPlan#finished()}. Idempotent; written before the request's record and plan.
     */
    void markOpen(String requestId) throws IOException;

    /** Stores a new plan; empty if one exists for the request already. */
    Optional<String> createPlan(WorkPlan plan) throws IOException;

    /** The plan of {@code requestId}, with its version; empty if there is none. */
    Optional<Versioned<WorkPlan>> findPlan(String requestId) throws IOException;

    /**
     * Replaces the plan if its stored version is still {@code expectedVersion}.
     *
     * @return the new version; empty if the plan changed since (or vanished)
     */
    Optional<String> replacePlan(WorkPlan plan, String expectedVersion) throws IOException;

    /**
     * Ids of the requests {@linkplain #markOpen marked open} whose plan is not
     * {@link WorkPlan#finished()} (including those without a plan yet), in no particular order. A
     * plan written finished may stop being listed at once or later, never before.
     */
    List<String> openRequests() throws IOException;

    /** Stores a new chunk record; empty if the chunk has a record already. */
    Optional<String> createChunk(ChunkRecord chunk) throws IOException;

    /** The record of {@code chunk} of {@code requestId}, with its version; empty if none. */
    Optional<Versioned<ChunkRecord>> findChunk(String requestId, int chunk) throws IOException;

    /**
     * Replaces a chunk record if its stored version is still {@code expectedVersion}: the fencing
     * write of the protocol.
     *
     * @return the new version; empty if the record changed since (or vanished)
     */
    Optional<String> replaceChunk(ChunkRecord chunk, String expectedVersion) throws IOException;
}
