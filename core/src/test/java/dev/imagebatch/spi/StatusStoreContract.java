package dev.imagebatch.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StatusStore} must have. A backend's test extends this class and
 * implements {@link #newStore()}; it passes when the backend honours the SPI's contract.
 */
public abstract class StatusStoreContract {

    /** Concurrency used by the racing tests; backends with slow writes may lower it. */
    protected int racingThreads() {
        return 8;
    }

    /** Updates each racing thread makes. */
    protected int updatesPerThread() {
        return 25;
    }

    /** A new, empty store. Called once per test. */
    protected abstract StatusStore newStore() throws Exception;

    private StatusStore store;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    protected static RequestRecord newRecord(int totalImages) {
        Instant now = Instant.parse("2026-01-02T03:04:05.678Z");
        RequestStatus status = RequestStatus.accepted(UUID.randomUUID().toString(), totalImages, now,
                WebhookDelivery.NOT_REQUESTED);
        return new RequestRecord(status, Optional.empty());
    }

    @Test
    void findsWhatWasCreated() throws Exception {
        RequestRecord record = newRecord(3);
        store.create(record);
        assertThat(store.find(record.requestId())).contains(record);
    }

    @Test
    void findOfUnknownIdIsEmpty() throws Exception {
        assertThat(store.find(UUID.randomUUID().toString())).isEmpty();
        assertThat(store.images(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void roundTripsEveryField() throws Exception {
        RequestRecord record = newRecord(5);
        Instant later = Instant.parse("2026-01-02T03:05:00.001Z");
        RequestStatus full = record.status()
                .withCounts(3, 2, later)
                .finished(RequestState.COMPLETED_WITH_ERRORS, Optional.of(URI.create("https://cdn.example/csv/x.csv")),
                        Optional.of("reason with \"quotes\" and ünïcode"), later)
                .withWebhook(new WebhookDelivery(WebhookDelivery.State.DELIVERED, 2, 200,
                        Optional.of("HTTP 503"), Optional.of(later)), later);
        RequestRecord withWebhook = new RequestRecord(full, Optional.of(URI.create("https://hooks.example/x?token=abc")));
        store.create(withWebhook);
        assertThat(store.find(withWebhook.requestId())).contains(withWebhook);
    }

    @Test
    void refusesToCreateTheSameIdTwice() throws Exception {
        RequestRecord record = newRecord(1);
        store.create(record);
        assertThatThrownBy(() -> store.create(record)).isInstanceOf(IllegalStateException.class);
        assertThat(store.find(record.requestId())).contains(record);
    }

    @Test
    void updateReplacesTheRecordAndReturnsIt() throws Exception {
        RequestRecord record = newRecord(4);
        store.create(record);
        Instant later = record.status().createdAt().plusSeconds(1);
        RequestRecord updated = store.update(record.requestId(),
                r -> r.withStatus(r.status().withCounts(1, 1, later)));
        assertThat(updated.status().succeeded()).isEqualTo(1);
        assertThat(updated.status().updatedAt()).isEqualTo(later);
        assertThat(store.find(record.requestId())).contains(updated);
    }

    @Test
    void updateOfUnknownIdIsAnIllegalState() {
        assertThatThrownBy(() -> store.update(UUID.randomUUID().toString(), r -> r))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentUpdatesLoseNothing() throws Exception {
        int threads = racingThreads();
        int perThread = updatesPerThread();
        RequestRecord record = newRecord(threads * perThread);
        store.create(record);
        runConcurrently(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                store.update(record.requestId(), r -> r.withStatus(
                        r.status().withCounts(r.status().succeeded() + 1, r.status().failed(), r.status().updatedAt())));
            }
            return null;
        });
        assertThat(store.find(record.requestId()).orElseThrow().status().succeeded()).isEqualTo(threads * perThread);
    }

    @Test
    void imagesComeBackOrderedByRowThenIndex() throws Exception {
        RequestRecord record = newRecord(4);
        store.create(record);
        store.putImages(record.requestId(), List.of(success(2, 1), success(1, 2)));
        store.putImages(record.requestId(), List.of(failure(10, 1), success(1, 1)));
        assertThat(store.images(record.requestId()))
                .extracting(r -> r.row() + "/" + r.index())
                .containsExactly("1/1", "1/2", "2/1", "10/1");
    }

    @Test
    void imageResultsRoundTripExactly() throws Exception {
        RequestRecord record = newRecord(2);
        store.create(record);
        List<ImageResult> results = List.of(success(1, 1), failure(1, 2),
                ImageResult.failure(2, 1, "https://shop.example/x.jpg", ImageError.of(ErrorCode.TIMEOUT, "read timed out")));
        store.putImages(record.requestId(), results);
        assertThat(store.images(record.requestId())).containsExactlyElementsOf(results);
    }

    @Test
    void laterResultForTheSamePositionReplacesTheEarlier() throws Exception {
        RequestRecord record = newRecord(1);
        store.create(record);
        store.putImages(record.requestId(), List.of(failure(1, 1)));
        store.putImages(record.requestId(), List.of(success(1, 1)));
        assertThat(store.images(record.requestId())).containsExactly(success(1, 1));
    }

    @Test
    void concurrentImageResultsLoseNothing() throws Exception {
        int threads = racingThreads();
        int perThread = updatesPerThread();
        RequestRecord record = newRecord(threads * perThread);
        store.create(record);
        runConcurrently(threads, t -> {
            for (int i = 1; i <= perThread; i++) {
                store.putImages(record.requestId(), List.of(success(t + 1, i)));
            }
            return null;
        });
        assertThat(store.images(record.requestId())).hasSize(threads * perThread);
    }

    @Test
    void imagesOfOneRequestDoNotLeakIntoAnother() throws Exception {
        RequestRecord first = newRecord(1);
        RequestRecord second = newRecord(1);
        store.create(first);
        store.create(second);
        store.putImages(first.requestId(), List.of(success(1, 1)));
        assertThat(store.images(second.requestId())).isEmpty();
    }

    @Test
    void unfinishedListsOnlyProcessingRequests() throws Exception {
        RequestRecord open = newRecord(1);
        RequestRecord done = newRecord(1);
        RequestRecord cancelled = newRecord(1);
        store.create(open);
        store.create(done);
        store.create(cancelled);
        store.update(done.requestId(), r -> r.withStatus(r.status().finished(RequestState.COMPLETED,
                Optional.of(URI.create("memory:/csv/x.csv")), Optional.empty(), r.status().updatedAt())));
        store.update(cancelled.requestId(), r -> r.withStatus(r.status().finished(RequestState.CANCELLED,
                Optional.empty(), Optional.empty(), r.status().updatedAt())));
        assertThat(store.unfinished()).containsExactly(open.requestId());
    }

    @Test
    void unfinishedAlsoListsFinishedRequestsWhoseWebhookIsStillPending() throws Exception {
        RequestRecord pending = newRecord(1);
        RequestRecord delivered = newRecord(1);
        for (RequestRecord record : List.of(pending, delivered)) {
            store.create(new RequestRecord(record.status().withWebhook(WebhookDelivery.PENDING, record.status().updatedAt()),
                    Optional.of(URI.create("https://hooks.example/h"))));
            store.update(record.requestId(), r -> r.withStatus(r.status().finished(RequestState.COMPLETED,
                    Optional.of(URI.create("memory:/csv/x.csv")), Optional.empty(), r.status().updatedAt())));
        }
        store.update(delivered.requestId(), r -> r.withStatus(r.status().withWebhook(new WebhookDelivery(
                WebhookDelivery.State.DELIVERED, 1, 204, Optional.empty(), Optional.of(r.status().updatedAt())),
                r.status().updatedAt())));
        assertThat(store.unfinished()).containsExactly(pending.requestId());
    }

    private static ImageResult success(int row, int index) {
        return ImageResult.success(row, index, "https://shop.example/" + row + "-" + index + ".jpg",
                URI.create("https://cdn.example/images/" + row + "/" + index + ".jpg"));
    }

    private static ImageResult failure(int row, int index) {
        return ImageResult.failure(row, index, "https://shop.example/" + row + "-" + index + ".jpg",
                ImageError.httpStatus(404));
    }

    /** A task of one racing thread. */
    protected interface ThreadTask {
        Object run(int thread) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads at once and rethrows the first failure. */
    protected static void runConcurrently(int threads, ThreadTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Object> call = () -> task.run(thread);
                futures.add(pool.submit(call));
            }
            for (Future<Object> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
