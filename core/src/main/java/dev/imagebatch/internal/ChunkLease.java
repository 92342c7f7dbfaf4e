package dev.imagebatch.internal;

import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.ScaleOutSettings;
import dev.imagebatch.spi.ChunkRecord;
import dev.imagebatch.spi.Versioned;
import dev.imagebatch.spi.WorkStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's hold on one chunk: the chunk record as last written, and the results finished
 * since. Every write replaces the record only if it still has the version this instance wrote
 * last (the fencing token), and extends the lease; a write that finds another version means the
 * chunk was taken over, and from then on nothing more is written ({@link Lost}).
 *
 * <p>Results reach the shared chunk record first; only once that write succeeded are they copied
 * to the status store (for {@code images()} and the progress counts), so the status store never
 * holds a result the chunk record does not.
 */
final class ChunkLease {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkLease.class);

    private final EngineContext ctx;
    private final WorkStore work;
    private final ScaleOutSettings scale;
    private final Clock clock;
    private final List<ImageResult> pending = new ArrayList<>();
    private Versioned<ChunkRecord> current;
    private Instant lastWrite;
    private boolean lost;

    ChunkLease(EngineContext ctx, WorkStore work, ScaleOutSettings scale, Versioned<ChunkRecord> claimed) {
        this.ctx = ctx;
        this.work = work;
        this.scale = scale;
        this.clock = ctx.clock();
        this.current = claimed;
        this.lastWrite = clock.instant();
    }

    synchronized ChunkRecord record() {
        return current.value();
    }

    /** Whether a write found the chunk taken over. */
    synchronized boolean lost() {
        return lost;
    }

    /** Adds a finished image; writes the batch when it is full or old enough. Never throws. */
    void record(ImageResult result) {
        synchronized (this) {
            pending.add(result);
            boolean due = pending.size() >= ctx.settings().progressBatchSize()
                    || !clock.instant().isBefore(lastWrite.plus(ctx.settings().progressInterval()));
            if (due && !lost) {
                try {
                    write(false, leaseEnd());
                } catch (Lost e) {
                    // lost() now says so; the run stops starting images.
                } catch (IOException e) {
                    LOG.warn("Could not write progress of chunk {} of request {} ({} results kept for the next try): {}",
                            current.value().chunk(), current.value().requestId(), pending.size(), e.toString());
                }
            }
        }
        ctx.listener().onImageFinished(current.value().requestId(), result);
    }

    /** Writes pending results, if any, and extends the lease; nothing once the chunk is done. */
    synchronized void renew() throws IOException, Lost {
        if (!current.value().done()) {
            write(false, leaseEnd());
        }
    }

    /** Writes the remaining results and marks the chunk done. */
    synchronized void complete() throws IOException, Lost {
        write(true, leaseEnd());
    }

    /**
     * Writes the results so far and lets the lease lapse now, so another instance may take the
     * chunk over without waiting for the lease to run out (used when this service closes).
     */
    synchronized void release() throws IOException, Lost {
        write(false, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private Instant leaseEnd() {
        return clock.instant().plus(scale.leaseDuration()).truncatedTo(ChronoUnit.MILLIS);
    }

    private void write(boolean done, Instant until) throws IOException, Lost {
        if (lost) {
            throw new Lost();
        }
        ChunkRecord before = current.value();
        List<ImageResult> written = List.copyOf(pending);
        ChunkRecord next = before.withResults(written, done).withLease(before.lease().renewedUntil(until));
        Instant started = clock.instant();
        Optional<String> version = work.replaceChunk(next, current.version());
        if (version.isEmpty()) {
            lost = true;
            LOG.info("Chunk {} of request {} was taken over from {} (generation {}); its unsaved results are dropped",
                    before.chunk(), before.requestId(), before.lease().owner(), before.lease().generation());
            throw new Lost();
        }
        current = new Versioned<>(next, version.get());
        lastWrite = started;
        pending.clear();
        if (!written.isEmpty()) {
            copyToStatusStore(before.requestId(), written);
        }
    }

    /** Best effort: the finisher copies every chunk's results again before assembling. */
    private void copyToStatusStore(String requestId, List<ImageResult> results) {
        int succeeded = (int) results.stream().filter(ImageResult::succeeded).count();
        int failed = results.size() - succeeded;
        try {
            ctx.store().putImages(requestId, results);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            ctx.store().update(requestId, r -> r.status().state() != RequestState.PROCESSING ? r
                    : r.withStatus(r.status().withCounts(r.status().succeeded() + succeeded,
                            r.status().failed() + failed, now)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not copy {} result(s) of request {} to the status store: {}", results.size(), requestId, e.toString());
        }
    }

    /** The chunk was taken over by another instance; this one must write nothing more for it. */
    static final class Lost extends Exception {
        Lost() {
            super("the chunk was taken over by another instance", null, false, false);
        }
    }
}
