package dev.imagebatch.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link WorkStore} must have. A backend's test extends this class and
 * implements {@link #newStore()}; it passes when the backend honours the SPI's contract.
 */
public abstract class WorkStoreContract {

    private static final Instant UNTIL = Instant.parse("2026-01-02T03:04:05.678Z");

    /** Writers racing for one record in the racing tests. */
    protected int racingThreads() {
        return 8;
    }

    /** A new, empty store. Called once per test. */
    protected abstract WorkStore newStore() throws Exception;

    private WorkStore store;
    private ExecutorService pool;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
        pool = Executors.newFixedThreadPool(racingThreads());
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static Lease lease(String owner, long generation) {
        return new Lease(owner, generation, UNTIL);
    }

    @Test
    void aPlanIsCreatedOnceAndReadBackEqual() throws Exception {
        WorkPlan plan = WorkPlan.of(newId(), 95, 20);
        Optional<String> version = store.createPlan(plan);
        assertThat(version).isPresent();
        assertThat(store.createPlan(WorkPlan.of(plan.requestId(), 3, 1))).isEmpty();
        assertThat(store.findPlan(plan.requestId())).contains(new Versioned<>(plan, version.get()));
        assertThat(store.findPlan(newId())).isEmpty();
    }

    @Test
    void aPlanIsReplacedOnlyAtTheVersionLastWritten() throws Exception {
        WorkPlan plan = WorkPlan.of(newId(), 40, 10);
        String v1 = store.createPlan(plan).orElseThrow();
        WorkPlan next = plan.withChunkDone(2).withFinisher(lease("a", 1));
        String v2 = store.replacePlan(next, v1).orElseThrow();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(store.replacePlan(plan.withChunkDone(3), v1)).as("a stale version").isEmpty();
        assertThat(store.findPlan(plan.requestId()).orElseThrow()).isEqualTo(new Versioned<>(next, v2));
        assertThat(store.replacePlan(WorkPlan.of(newId(), 1, 1), v2)).as("a missing plan").isEmpty();
    }

    @Test
    void openRequestsListsTheMarkedRequestsWhosePlanIsNotFinished() throws Exception {
        WorkPlan open = WorkPlan.of(newId(), 10, 5);
        WorkPlan closing = WorkPlan.of(newId(), 10, 5);
        String planless = newId();
        store.createPlan(WorkPlan.of(newId(), 10, 5)).orElseThrow(); // never marked open: not listed
        for (String id : List.of(open.requestId(), closing.requestId(), planless)) {
            store.markOpen(id);
        }
        store.markOpen(planless); // idempotent
        store.createPlan(open).orElseThrow();
        String v = store.createPlan(closing).orElseThrow();
        assertThat(store.openRequests()).containsExactlyInAnyOrder(open.requestId(), closing.requestId(), planless);
        store.replacePlan(closing.asFinished(), v).orElseThrow();
        assertThat(store.openRequests()).containsExactlyInAnyOrder(open.requestId(), planless);
    }

    @Test
    void aChunkRecordKeepsItsLeaseAndResults() throws Exception {
        String id = newId();
        ChunkRecord claimed = ChunkRecord.claimed(id, 3, lease("worker-1", 1));
        String v1 = store.createChunk(claimed).orElseThrow();
        assertThat(store.createChunk(ChunkRecord.claimed(id, 3, lease("worker-2", 1)))).isEmpty();
        assertThat(store.findChunk(id, 3)).contains(new Versioned<>(claimed, v1));
        assertThat(store.findChunk(id, 4)).isEmpty();

        List<ImageResult> results = List.of(
                ImageResult.success(61, 1, "https://example.com/a.jpg", URI.create("s3://b/images/x/61/1-g1.jpg")),
                ImageResult.failure(61, 2, "https://example.com/b.jpg", new ImageError(ErrorCode.HTTP_STATUS, "HTTP 404", 404)));
        ChunkRecord done = claimed.withResults(results, true);
        String v2 = store.replaceChunk(done, v1).orElseThrow();
        assertThat(store.findChunk(id, 3)).contains(new Versioned<>(done, v2));
    }

    @Test
    void aStaleHolderCannotOverwriteTheChunkAfterATakeOver() throws Exception {
        String id = newId();
        ChunkRecord first = ChunkRecord.claimed(id, 0, lease("old", 1));
        String v1 = store.createChunk(first).orElseThrow();
        ChunkRecord takenOver = first.withLease(first.lease().takenOverBy("new", UNTIL));
        String v2 = store.replaceChunk(takenOver, v1).orElseThrow();

        ImageResult late = ImageResult.success(1, 1, "https://example.com/a.jpg", URI.create("s3://b/old.jpg"));
        assertThat(store.replaceChunk(first.withResults(List.of(late), true), v1)).isEmpty();
        assertThat(store.findChunk(id, 0)).contains(new Versioned<>(takenOver, v2));
    }

    @Test
    void ofRacingClaimsOfOneChunkExactlyOneWins() throws Exception {
        String id = newId();
        String v1 = store.createChunk(ChunkRecord.claimed(id, 7, lease("expired", 1))).orElseThrow();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<String>>> creates = new ArrayList<>();
        List<Future<Optional<String>>> takeovers = new ArrayList<>();
        for (int i = 0; i < racingThreads(); i++) {
            String owner = "w" + i;
            creates.add(pool.submit(racing(go, () -> store.createChunk(ChunkRecord.claimed(id, 8, lease(owner, 1))))));
            takeovers.add(pool.submit(racing(go, () -> store.replaceChunk(ChunkRecord.claimed(id, 7, lease(owner, 2)), v1))));
        }
        go.countDown();
        assertThat(winners(creates)).isEqualTo(1);
        assertThat(winners(takeovers)).isEqualTo(1);
        // The stored holder is the one whose write was answered with its version.
        for (int chunk : new int[] {7, 8}) {
            Versioned<ChunkRecord> stored = store.findChunk(id, chunk).orElseThrow();
            assertThat(stored.value().lease().owner()).startsWith("w");
        }
    }

    @Test
    void ofRacingPlanUpdatesAtOneVersionExactlyOneWinsAndNoneIsLostWhenRetried() throws Exception {
        WorkPlan plan = WorkPlan.of(newId(), racingThreads() * 2, 2);
        store.createPlan(plan).orElseThrow();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < racingThreads(); i++) {
            int chunk = i;
            attempts.add(pool.submit(racing(go, () -> {
                int tries = 0;
                while (true) {
                    tries++;
                    Versioned<WorkPlan> current = store.findPlan(plan.requestId()).orElseThrow();
                    if (store.replacePlan(current.value().withChunkDone(chunk), current.version()).isPresent()) {
                        return tries;
                    }
                }
            })));
        }
        go.countDown();
        for (Future<Integer> attempt : attempts) {
            attempt.get();
        }
        WorkPlan stored = store.findPlan(plan.requestId()).orElseThrow().value();
        assertThat(stored.doneChunks()).hasSize(racingThreads());
        assertThat(stored.allChunksDone()).isTrue();
    }

    @Test
    void everyChangedValueGetsANewVersion() throws Exception {
        String id = newId();
        ChunkRecord record = ChunkRecord.claimed(id, 0, lease("a", 1));
        Set<String> seen = new HashSet<>();
        String version = store.createChunk(record).orElseThrow();
        seen.add(version);
        for (int i = 1; i <= 5; i++) {
            // A renewal changes only the expiry; the holder before it must still be fenced off.
            record = record.withLease(record.lease().renewedUntil(UNTIL.plusMillis(i)));
            version = store.replaceChunk(record, version).orElseThrow();
            assertThat(seen.add(version)).as("version %s is new", version).isTrue();
        }
    }

    private static <T> Callable<T> racing(CountDownLatch go, Callable<T> call) {
        return () -> {
            go.await();
            return call.call();
        };
    }

    private static int winners(List<Future<Optional<String>>> futures) throws Exception {
        int won = 0;
        for (Future<Optional<String>> f : futures) {
            won += f.get().isPresent() ? 1 : 0;
        }
        return won;
    }
}
