package dev.imagebatch.internal;

import dev.imagebatch.ImageResult;
import dev.imagebatch.spi.StatusStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects image results of one request and writes them to the status store in batches (by count
 * or age), together with the request's counts. A failed write keeps the batch for the next try,
 * so nothing is lost while the store recovers.
 */
final class ProgressRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressRecorder.class);

    private final StatusStore store;
    private final String requestId;
    private final Clock clock;
    private final int batchSize;
    private final Duration interval;
    private final SafeListener listener;
    private final List<ImageResult> pending = new ArrayList<>();
    private int succeeded;
    private int failed;
    private Instant lastWrite;

    ProgressRecorder(StatusStore store, String requestId, Clock clock, int batchSize, Duration interval,
                     SafeListener listener, int succeeded, int failed) {
        this.store = store;
        this.requestId = requestId;
        this.clock = clock;
        this.batchSize = batchSize;
        this.interval = interval;
        this.listener = listener;
        this.succeeded = succeeded;
        this.failed = failed;
        this.lastWrite = clock.instant();
    }

    /** Adds a result; writes the batch when it is full or old enough. Never throws. */
    void record(ImageResult result) {
        synchronized (this) {
            pending.add(result);
            if (result.succeeded()) {
                succeeded++;
            } else {
                failed++;
            }
            if (pending.size() >= batchSize || !clock.instant().isBefore(lastWrite.plus(interval))) {
                try {
                    write();
                } catch (IOException e) {
                    LOG.warn("Could not write progress of request {} ({} results kept for the next try): {}",
                            requestId, pending.size(), e.toString());
                }
            }
        }
        listener.onImageFinished(requestId, result);
    }

    /** Writes whatever is pending. */
    synchronized void flush() throws IOException {
        write();
    }

    synchronized int succeeded() {
        return succeeded;
    }

    synchronized int failed() {
        return failed;
    }

    private void write() throws IOException {
        lastWrite = clock.instant();
        if (pending.isEmpty()) {
            return;
        }
        store.putImages(requestId, List.copyOf(pending));
        pending.clear();
        int s = succeeded;
        int f = failed;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        store.update(requestId, r -> r.withStatus(r.status().withCounts(s, f, now)));
    }
}
