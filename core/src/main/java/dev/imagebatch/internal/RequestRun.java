package dev.imagebatch.internal;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.csv.CsvRowReader;
import dev.imagebatch.csv.InputCsv;
import dev.imagebatch.csv.InputRow;
import dev.imagebatch.spi.RequestRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one request from its persisted input to a terminal state, on one coordinating
 * thread. Rows stream through: only a bounded number of images is in flight at once, and only
 * the outcomes of URLs that occur more than once (not pixels or bytes) are kept for the whole
 * request, so memory stays flat as rows of unique URLs grow. Positions that already have a stored result (from before a restart) are skipped, unless
 * that result is a {@link ErrorCode#STORAGE_ERROR}: those are attempted again.
 */
public final class RequestRun implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRun.class);

    private final EngineContext ctx;
    private final String requestId;
    private final ImageWindow window;
    private final CompletableFuture<RequestStatus> completion = new CompletableFuture<>();
    private volatile boolean cancelRequested;
    private volatile boolean stopRequested;

    public RequestRun(EngineContext ctx, String requestId) {
        this.ctx = ctx;
        this.requestId = requestId;
        this.window = new ImageWindow(EngineContext.maxImagesInFlight(ctx.settings()), ctx.imageSlots(),
                () -> stopRequested);
    }

    public String requestId() {
        return requestId;
    }

    /** Completes with the terminal status, or exceptionally if the service stopped first. */
    public CompletableFuture<RequestStatus> completion() {
        return completion;
    }

    /** Asks the run to record every image not yet started as cancelled and end as {@code CANCELLED}. */
    public void cancel() {
        cancelRequested = true;
    }

    /** Asks the run to start nothing new, let images in flight finish, and leave the request resumable. */
    public void stop() {
        stopRequested = true;
    }

    @Override
    public void run() {
        RequestStatus status;
        try {
            status = process();
        } catch (Stopped stopped) {
            LOG.debug("Request {} left unfinished at shutdown; resume it later", requestId);
            completion.completeExceptionally(new IllegalStateException("the service closed before request "
                    + requestId + " finished; it stays PROCESSING and can be resumed"));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            completion.completeExceptionally(new IllegalStateException("interrupted while processing " + requestId, e));
            return;
        } catch (Exception | LinkageError e) {
            LOG.warn("Request {} failed", requestId, e);
            status = markFailed(e);
        }
        ctx.listener().onRequestFinished(status);
        ctx.webhooks().deliver(requestId);
        completion.complete(status);
    }

    private RequestStatus process() throws IOException, InterruptedException, Stopped {
        RequestRecord record = ctx.store().find(requestId)
                .orElseThrow(() -> new IOException("request " + requestId + " vanished from the status store"));
        ctx.listener().onRequestStarted(record.status());

        // Results stored before a restart are final, except storage errors: they say nothing about
        // the image, only that the storage failed then, so a resumed run attempts them again.
        Map<Long, ImageResult> stored = new HashMap<>();
        int succeeded = 0;
        for (ImageResult result : ctx.store().images(requestId)) {
            if (isStorageError(result)) {
                continue;
            }
            stored.put(Positions.of(result.row(), result.index()), result);
            succeeded += result.succeeded() ? 1 : 0;
        }
        ProgressRecorder progress = new ProgressRecorder(ctx.store(), requestId, ctx.clock(),
                ctx.settings().progressBatchSize(), ctx.settings().progressInterval(), ctx.listener(),
                succeeded, stored.size() - succeeded);

        // A URL repeated in the request is fetched and encoded once: its outcome is kept for the rest
        // of the request. Only repeated URLs are kept, so memory does not grow with unique images.
        RepeatedUrls repeated = RepeatedUrls.of(ctx.publisher(), requestId);
        Map<String, CompletableFuture<Outcome>> byUrl = new HashMap<>();
        for (ImageResult result : stored.values()) {
            if (repeated.contains(result.inputUrl())) {
                byUrl.putIfAbsent(result.inputUrl(), CompletableFuture.completedFuture(Outcome.of(result)));
            }
        }
        boolean[] abandoned = {false};
        try (InputStream in = RequestInput.open(ctx.publisher(), requestId); CsvRowReader rows = InputCsv.open(in)) {
            rowLoop:
            while (rows.hasNext()) {
                InputRow row = rows.next();
                List<URI> urls = row.imageUrls();
                for (int i = 0; i < urls.size(); i++) {
                    int index = i + 1;
                    if (stored.containsKey(Positions.of(row.rowNumber(), index))) {
                        continue;
                    }
                    String url = urls.get(i).toString();
                    if (cancelRequested) {
                        progress.record(ImageResult.failure(row.rowNumber(), index, url,
                                ImageError.of(ErrorCode.CANCELLED, "the request was cancelled")));
                        continue;
                    }
                    if (!window.acquire()) {
                        break rowLoop;
                    }
                    int rowNumber = row.rowNumber();
                    CompletableFuture<Outcome> started = repeated.contains(url)
                            ? byUrl.computeIfAbsent(url, u -> ctx.pipelines().pipeline().start(requestId, rowNumber, index, u))
                            : ctx.pipelines().pipeline().start(requestId, rowNumber, index, url);
                    started.whenComplete((outcome, failure) -> {
                        try {
                            if (failure != null) {
                                // The pipeline never fails its future; if it ever does, say so rather than lose the slot.
                                LOG.warn("Image {}/{} of request {} ended without an outcome", rowNumber, index, requestId, failure);
                                progress.record(ImageResult.failure(rowNumber, index, url,
                                        ImageError.of(ErrorCode.INTERNAL, failure.getClass().getSimpleName())));
                            } else if (outcome.abandoned()) {
                                abandoned[0] = true;
                            } else {
                                progress.record(outcome.toResult(rowNumber, index, url));
                            }
                        } finally {
                            window.release();
                        }
                    });
                }
            }
        }
        window.awaitIdle();
        progress.flush();
        if (stopRequested || abandoned[0]) {
            throw new Stopped();
        }
        if (cancelRequested) {
            return finish(RequestState.CANCELLED, Optional.empty(), progress.succeeded(), progress.failed());
        }
        OutputAssembler.Assembled output = new OutputAssembler(ctx.store(), ctx.publisher(),
                ctx.settings().neutralizeFormulas()).assemble(requestId);
        RequestState state = output.failed() == 0 ? RequestState.COMPLETED : RequestState.COMPLETED_WITH_ERRORS;
        return finish(state, Optional.of(output.csvUrl()), output.succeeded(), output.failed());
    }

    private static boolean isStorageError(ImageResult result) {
        return result.error().map(error -> error.code() == ErrorCode.STORAGE_ERROR).orElse(false);
    }

    private RequestStatus finish(RequestState state, Optional<URI> csvUrl, int succeeded, int failed) throws IOException {
        Instant now = now();
        RequestRecord done = ctx.store().update(requestId, r -> r.withStatus(
                r.status().withCounts(succeeded, failed, now).finished(state, csvUrl, Optional.empty(), now)));
        LOG.debug("Request {} finished: {} ({} succeeded, {} failed)", requestId, state, succeeded, failed);
        return done.status();
    }

    private RequestStatus markFailed(Throwable cause) {
        Instant now = now();
        String reason = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        try {
            return ctx.store().update(requestId, r -> r.withStatus(
                    r.status().finished(RequestState.FAILED, Optional.empty(), Optional.of(reason), now))).status();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not record that request {} failed: {}", requestId, e.toString());
            return RequestStatus.accepted(requestId, 0, now, dev.imagebatch.WebhookDelivery.NOT_REQUESTED)
                    .finished(RequestState.FAILED, Optional.empty(), Optional.of(reason), now);
        }
    }

    private Instant now() {
        return ctx.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The service is closing; the request stays resumable. */
    private static final class Stopped extends Exception {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
