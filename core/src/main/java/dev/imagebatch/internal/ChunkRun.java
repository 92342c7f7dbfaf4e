package dev.imagebatch.internal;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import dev.imagebatch.csv.CsvRowReader;
import dev.imagebatch.csv.InputCsv;
import dev.imagebatch.csv.InputRow;
import dev.imagebatch.spi.ChunkRecord;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.WorkPlan;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes the rows of one claimed chunk: images that already have a result in the chunk record
 * (written by an earlier holder) are skipped, the others go through the image pipeline and their
 * results into the {@link ChunkLease}. The run stops starting images as soon as the lease is lost
 * or the service stops; when every image has its result, the chunk is written done.
 */
final class ChunkRun {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkRun.class);

    /** How a run ended. */
    enum End {
        /** Every image has its result in the chunk record, which is marked done. */
        DONE,
        /** Another instance took the chunk over; nothing more was written. */
        LOST,
        /** The service is closing; the results so far are written and the lease released. */
        STOPPED
    }

    private final EngineContext ctx;
    private final WorkPlan plan;
    private final ChunkLease lease;
    private final AtomicBoolean stopRequested;
    private final ImageWindow window;

    ChunkRun(EngineContext ctx, WorkPlan plan, ChunkLease lease, AtomicBoolean stopRequested) {
        this.ctx = ctx;
        this.plan = plan;
        this.lease = lease;
        this.stopRequested = stopRequested;
        this.window = new ImageWindow(EngineContext.maxImagesInFlight(ctx.settings()), ctx.imageSlots(),
                () -> stopRequested.get() || lease.lost());
    }

    End run() throws IOException, InterruptedException {
        ChunkRecord claimed = lease.record();
        String requestId = claimed.requestId();
        int chunk = claimed.chunk();
        long generation = claimed.lease().generation();
        if (!claimed.results().isEmpty()) {
            // An earlier holder may have died between its chunk write and this copy.
            ctx.store().putImages(requestId, claimed.results());
        }
        Set<Long> recorded = new HashSet<>();
        Map<String, CompletableFuture<Outcome>> byUrl = new HashMap<>();
        for (ImageResult result : claimed.results()) {
            recorded.add(Positions.of(result.row(), result.index()));
            byUrl.putIfAbsent(result.inputUrl(), CompletableFuture.completedFuture(Outcome.of(result)));
        }
        AtomicBoolean abandoned = new AtomicBoolean();
        int first = plan.firstRow(chunk);
        int last = plan.lastRow(chunk);
        try (InputStream in = RequestInput.open(ctx.publisher(), requestId); CsvRowReader rows = InputCsv.open(in)) {
            rowLoop:
            while (rows.hasNext()) {
                InputRow row = rows.next();
                if (row.rowNumber() < first) {
                    continue;
                }
                if (row.rowNumber() > last) {
                    break;
                }
                List<URI> urls = row.imageUrls();
                for (int i = 0; i < urls.size(); i++) {
                    int index = i + 1;
                    int rowNumber = row.rowNumber();
                    if (recorded.contains(Positions.of(rowNumber, index))) {
                        continue;
                    }
                    if (!window.acquire()) {
                        break rowLoop;
                    }
                    String url = urls.get(i).toString();
                    String key = ObjectKeys.image(requestId, rowNumber, index, generation, "jpg");
                    byUrl.computeIfAbsent(url, u -> ctx.pipelines().pipeline().start(key, u))
                            .whenComplete((outcome, failure) -> {
                                try {
                                    if (failure != null) {
                                        LOG.warn("Image {}/{} of request {} ended without an outcome", rowNumber, index,
                                                requestId, failure);
                                        lease.record(ImageResult.failure(rowNumber, index, url,
                                                ImageError.of(ErrorCode.INTERNAL, failure.getClass().getSimpleName())));
                                    } else if (outcome.abandoned()) {
                                        abandoned.set(true);
                                    } else {
                                        lease.record(outcome.toResult(rowNumber, index, url));
                                    }
                                } finally {
                                    window.release();
                                }
                            });
                }
            }
        }
        window.awaitIdle();
        try {
            if (stopRequested.get() || abandoned.get()) {
                lease.release();
                return End.STOPPED;
            }
            lease.complete();
            return End.DONE;
        } catch (ChunkLease.Lost e) {
            return End.LOST;
        }
    }
}
