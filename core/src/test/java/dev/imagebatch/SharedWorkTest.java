package dev.imagebatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.memory.InMemoryImageFetcher;
import dev.imagebatch.memory.InMemoryResultPublisher;
import dev.imagebatch.memory.InMemoryStatusStore;
import dev.imagebatch.memory.InMemoryWorkStore;
import dev.imagebatch.internal.SharedWork;
import dev.imagebatch.spi.ChunkRecord;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.spi.RequestRecord;
import dev.imagebatch.spi.StatusStore;
import dev.imagebatch.testing.ForwardingStatusStore;
import dev.imagebatch.spi.Versioned;
import dev.imagebatch.spi.WorkPlan;
import dev.imagebatch.spi.WorkStore;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several services in one JVM share requests through in-memory stores: the protocol of
 * {@code SharedWork} without a network (the S3 tests are in storage-s3, the multi-process test of the commands in
 * examples). Includes a submission stopped at each of its writes.
 */
class SharedWorkTest {

    private static final int ROWS = 45;
    private static final int PER_ROW = 2;

    private final InMemoryStatusStore store = new InMemoryStatusStore();
    private final InMemoryResultPublisher publisher = new InMemoryResultPublisher();
    private final FailingPlanWrites work = new FailingPlanWrites(new InMemoryWorkStore());
    private final List<ImageProcessingService> services = new ArrayList<>();
    private final InMemoryImageFetcher fetcher;
    private final List<String> urls = new ArrayList<>();

    SharedWorkTest() {
        InMemoryImageFetcher.Builder images = InMemoryImageFetcher.builder();
        for (int n = 1; n <= ROWS * PER_ROW; n++) {
            String url = "https://shop.example/" + n + ".jpg";
            urls.add(url);
            images.serve(url, TestImages.jpeg(40 + n, 30, Color.RED, Color.WHITE), "image/jpeg");
        }
        fetcher = images.build();
    }

    @AfterEach
    void closeAll() {
        services.forEach(ImageProcessingService::close);
    }

    private ImageProcessingService instance(String name, boolean takesWork, Clock clock) {
        return instance(name, takesWork, clock, store, work, 4);
    }

    private ImageProcessingService instance(String name, boolean takesWork, Clock clock, StatusStore statusStore,
                                            WorkStore workStore, int chunkRows) {
        ImageProcessingService service = ImageProcessingService.builder()
                .statusStore(statusStore)
                .resultPublisher(publisher)
                .imageFetcher(fetcher)
                .workStore(workStore)
                .clock(clock)
                .settings(ProcessingSettings.builder().fetchConcurrency(2).workers(1).progressBatchSize(3).build())
                .scaleOut(ScaleOutSettings.builder().instanceId(name).chunkRows(chunkRows).takesWork(takesWork)
                        .leaseDuration(Duration.ofSeconds(2)).renewInterval(Duration.ofMillis(300))
                        .maxClockSkew(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(50))
                        .abandonedSubmitAfter(Duration.ofMillis(300)).build())
                .build();
        services.add(service);
        return service;
    }

    private byte[] csv() {
        List<String> lines = new ArrayList<>();
        lines.add("serial_no,product_name,input_image_urls");
        for (int row = 1; row <= ROWS; row++) {
            lines.add(row + ",P" + row + ",\"" + urls.get(2 * row - 2) + "," + urls.get(2 * row - 1) + "\"");
        }
        return String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void workersFinishARequestAcceptedByAnInstanceThatTakesNoWork() throws Exception {
        ImageProcessingService front = instance("front", false, Clock.systemUTC());
        instance("w1", true, Clock.systemUTC());
        instance("w2", true, Clock.systemUTC());

        String id = front.submit(new ByteArrayInputStream(csv()));
        RequestStatus done = front.await(id).get(60, TimeUnit.SECONDS);

        assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
        assertThat(done.succeeded()).isEqualTo(ROWS * PER_ROW);
        assertEveryImageOnceInTheOutput(id);
        WorkPlan plan = work.findPlan(id).orElseThrow().value();
        assertThat(plan.doneChunks()).hasSize(12);
        awaitFinished(id);
        for (int chunk = 0; chunk < plan.chunkCount(); chunk++) {
            assertThat(work.findChunk(id, chunk).orElseThrow().value().lease().owner()).isIn("w1", "w2");
        }
        for (String url : urls) {
            assertThat(fetcher.fetchCount(url)).as("fetches of %s", url).isEqualTo(1);
        }
    }

    /**
     * An instance whose clock runs an hour ahead sees every lease of the other as expired and takes
     * each chunk over; the other's writes then fail and it stops. The output still holds every image
     * exactly once, each from the chunk's last holder.
     */
    @Test
    void aHolderWhoseLeaseWasTakenOverCannotWriteAndTheOutputStaysWhole() throws Exception {
        ImageProcessingService slow = instance("slow", true, Clock.systemUTC());
        ImageProcessingService ahead = instance("ahead", true, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));

        String id = slow.submit(new ByteArrayInputStream(csv()));
        RequestStatus done = ahead.await(id).get(60, TimeUnit.SECONDS);

        assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
        assertThat(slow.status(id)).contains(ahead.status(id).orElseThrow());
        assertEveryImageOnceInTheOutput(id);
    }

    @Test
    void aCancelledRequestIsNotWorkedOnAndItsWebhookStateIsSettledByOneFinisher() throws Exception {
        ImageProcessingService front = instance("front", false, Clock.systemUTC());
        String id = front.submit(new ByteArrayInputStream(csv()));
        assertThat(front.cancel(id)).isTrue();
        instance("w1", true, Clock.systemUTC());

        awaitFinished(id);
        assertThat(front.status(id).orElseThrow().state()).isEqualTo(RequestState.CANCELLED);
        assertThat(fetcher.totalFetches()).isZero();
        assertThat(work.findPlan(id).orElseThrow().value().finisher().orElseThrow().owner()).isEqualTo("w1");
        assertThat(publisher.get(ObjectKeys.outputCsv(id))).isEmpty();
    }

    /**
     * The writes recording done chunks fail (as if their writers died just before them), and so does
     * the finisher's last write: polling instances add the done chunks to the plan, and a second
     * finisher takes over once the first one's lease expired.
     */
    @Test
    void doneChunksMissingFromThePlanAndAnAbandonedFinishAreRecoveredByOtherInstances() throws Exception {
        work.failDoneChunkWrites.set(4);
        work.failFinishedWrites.set(1);
        ImageProcessingService front = instance("front", false, Clock.systemUTC());
        instance("w1", true, Clock.systemUTC());
        instance("w2", true, Clock.systemUTC());

        String id = front.submit(new ByteArrayInputStream(csv()));
        RequestStatus done = front.await(id).get(60, TimeUnit.SECONDS);

        assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
        assertEveryImageOnceInTheOutput(id);
        awaitFinished(id);
        assertThat(work.failDoneChunkWrites.get()).isZero();
        assertThat(work.failFinishedWrites.get()).isZero();
        assertThat(work.findPlan(id).orElseThrow().value().finisher().orElseThrow().generation()).isEqualTo(2);
    }

    // ---- a submission that stops part way: marker, record and plan are written in this order

    @Test
    void aSubmissionWhoseOpenMarkerCannotBeWrittenLeavesNoRequest() throws Exception {
        SubmitCrash crash = new SubmitCrash(SubmitCrash.Step.MARKER, false);
        ImageProcessingService front = instance("front", false, Clock.systemUTC(), crash.store(), crash, 4);
        instance("w1", true, Clock.systemUTC());

        assertThatThrownBy(() -> front.submit(new ByteArrayInputStream(csv()))).isInstanceOf(IOException.class);
        Thread.sleep(200); // polling rounds of w1, which must find nothing to do
        assertThat(work.openRequests()).isEmpty();
        assertThat(store.unfinished()).isEmpty();
        assertThat(fetcher.totalFetches()).isZero();
    }

    /** The submitter dies once the marker is written: the request is recorded failed and closed. */
    @Test
    void aSubmissionThatDiedAfterItsMarkerIsRecordedFailedAndClosed() throws Exception {
        SubmitCrash crash = new SubmitCrash(SubmitCrash.Step.MARKER, true);
        ImageProcessingService front = instance("front", false, Clock.systemUTC(), crash.store(), crash, 4);
        instance("w1", true, Clock.systemUTC());

        assertThatThrownBy(() -> front.submit(new ByteArrayInputStream(csv()))).isInstanceOf(IOException.class);
        String id = crash.requestId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (store.find(id).isEmpty()) {
            assertThat(System.nanoTime()).as("a record created by the polling instance").isLessThan(deadline);
            Thread.sleep(20);
        }
        RequestStatus failed = front.await(id).get(20, TimeUnit.SECONDS);

        assertThat(failed.state()).isEqualTo(RequestState.FAILED);
        assertThat(failed.failureReason()).contains(SharedWork.ABANDONED);
        awaitClosed(id);
        assertThat(work.findPlan(id).orElseThrow().value().finished()).isTrue();
        assertThat(fetcher.totalFetches()).isZero();
    }

    /**
     * The submitter dies after the record (or its plan write fails): a polling instance creates the
     * plan from the stored input with its own chunk size, and the request completes.
     */
    @Test
    void aSubmissionThatDiedAfterItsRecordIsPlannedAndProcessedByAPollingInstance() throws Exception {
        SubmitCrash crash = new SubmitCrash(SubmitCrash.Step.PLAN, false);
        ImageProcessingService front = instance("front", false, Clock.systemUTC(), crash.store(), crash, 4);
        instance("w1", true, Clock.systemUTC(), store, work, 7);
        instance("w2", true, Clock.systemUTC(), store, work, 9);

        String id = front.submit(new ByteArrayInputStream(csv())); // the request is durable: the id is valid
        RequestStatus done = front.await(id).get(60, TimeUnit.SECONDS);

        assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
        assertEveryImageOnceInTheOutput(id);
        WorkPlan plan = work.findPlan(id).orElseThrow().value();
        assertThat(plan.rows()).isEqualTo(ROWS);
        assertThat(plan.chunkRows()).as("the chunk size of the instance that planned it").isIn(7, 9);
        awaitClosed(id);
        for (String url : urls) {
            assertThat(fetcher.fetchCount(url)).as("fetches of %s", url).isEqualTo(1);
        }
    }

    @Test
    void aSubmissionThatDiedAfterItsPlanIsProcessed() throws Exception {
        SubmitCrash crash = new SubmitCrash(SubmitCrash.Step.PLAN, true);
        ImageProcessingService front = instance("front", false, Clock.systemUTC(), crash.store(), crash, 4);
        instance("w1", true, Clock.systemUTC());

        String id = front.submit(new ByteArrayInputStream(csv()));
        assertThat(front.await(id).get(60, TimeUnit.SECONDS).state()).isEqualTo(RequestState.COMPLETED);
        assertThat(work.findPlan(id).orElseThrow().value().chunkRows()).isEqualTo(4);
        assertEveryImageOnceInTheOutput(id);
        awaitClosed(id);
    }

    /**
     * A submitter so slow between its marker and its record that a polling instance gave the
     * request up: its record creation then fails, so the caller is told, and the request stays failed.
     */
    @Test
    void aSubmitterOvertakenByTheAbandonedCheckFailsAndTheRequestHasOneRecord() throws Exception {
        SubmitCrash slow = new SubmitCrash(SubmitCrash.Step.NONE, false);
        slow.holdRecordUntilAnotherExists = true;
        ImageProcessingService front = instance("front", false, Clock.systemUTC(), slow.store(), slow, 4);
        instance("w1", true, Clock.systemUTC());

        assertThatThrownBy(() -> front.submit(new ByteArrayInputStream(csv())))
                .isInstanceOf(IOException.class).hasMessageContaining("abandoned");
        String id = slow.requestId();
        assertThat(store.find(id).orElseThrow().status().state()).isEqualTo(RequestState.FAILED);
        awaitClosed(id);
        assertThat(fetcher.totalFetches()).isZero();
    }

    private void awaitClosed(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (work.openRequests().contains(id)) {
            assertThat(System.nanoTime()).as("request closed in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void scaleOutSettingsWithoutAWorkStoreAreRefused() {
        ImageProcessingService.Builder builder = ImageProcessingService.builder().statusStore(store)
                .resultPublisher(publisher).scaleOut(ScaleOutSettings.defaults());
        org.assertj.core.api.Assertions.assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("workStore");
    }

    private void assertEveryImageOnceInTheOutput(String id) throws Exception {
        Csv.Parsed output = Csv.parse(publisher.open(ObjectKeys.outputCsv(id)).orElseThrow());
        assertThat(output.records()).hasSize(ROWS);
        Set<String> outputs = new HashSet<>();
        for (CSVRecord row : output.records()) {
            String[] in = row.get("input_image_urls").split(",");
            String[] out = row.get("output_image_urls").split(", ", -1);
            assertThat(out).hasSameSizeAs(in);
            for (int i = 0; i < out.length; i++) {
                assertThat(out[i]).contains("images/" + id + "/" + row.get("serial_no") + "/" + (i + 1) + "-g");
                assertThat(publisher.get(out[i].substring(out[i].indexOf("images/")))).isPresent();
                assertThat(outputs.add(out[i])).isTrue();
            }
        }
        assertThat(store.images(id)).hasSize(ROWS * PER_ROW);
    }

    private void awaitFinished(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!work.findPlan(id).orElseThrow().value().finished()) {
            assertThat(System.nanoTime()).as("plan finished in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /**
     * The stores as a submitting instance sees them, stopping its submission at one step: the write
     * of that step fails, either before it happens or after it happened (a crash right after it).
     * Every later step of the submission then never happens, as when the submitter dies.
     */
    private final class SubmitCrash extends FailingPlanWrites {
        enum Step { NONE, MARKER, PLAN }

        private final Step step;
        private final boolean afterWriting;
        private volatile String requestId;
        volatile boolean holdRecordUntilAnotherExists;

        SubmitCrash(Step step, boolean afterWriting) {
            super(work);
            this.step = step;
            this.afterWriting = afterWriting;
        }

        String requestId() {
            return requestId;
        }

        @Override
        public void markOpen(String id) throws IOException {
            requestId = id;
            if (step == Step.MARKER && !afterWriting) {
                throw new IOException("injected failure before marking " + id + " open");
            }
            super.markOpen(id);
            if (step == Step.MARKER) {
                throw new IOException("injected crash after marking " + id + " open");
            }
        }

        @Override
        public Optional<String> createPlan(WorkPlan plan) throws IOException {
            if (step == Step.PLAN && !afterWriting) {
                throw new IOException("injected failure before planning " + plan.requestId());
            }
            Optional<String> version = super.createPlan(plan);
            if (step == Step.PLAN) {
                throw new IOException("injected crash after planning " + plan.requestId());
            }
            return version;
        }

        /** The status store, whose record creation can wait until a polling instance created one. */
        StatusStore store() {
            return new ForwardingStatusStore(store) {
                @Override
                public void create(RequestRecord record) throws IOException {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (holdRecordUntilAnotherExists && store.find(record.status().requestId()).isEmpty()) {
                        if (System.nanoTime() > deadline) {
                            throw new IOException("no other record appeared");
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                    super.create(record);
                }
            };
        }
    }

    /** A work store whose plan writes fail on demand: the given number of those adding a done chunk, or marking the plan finished. */
    private static class FailingPlanWrites implements WorkStore {
        final AtomicInteger failDoneChunkWrites = new AtomicInteger();
        final AtomicInteger failFinishedWrites = new AtomicInteger();
        private final WorkStore delegate;

        FailingPlanWrites(WorkStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<String> replacePlan(WorkPlan plan, String expectedVersion) throws IOException {
            WorkPlan before = delegate.findPlan(plan.requestId()).orElseThrow().value();
            boolean addsDone = plan.doneChunks().size() > before.doneChunks().size();
            if ((addsDone && failDoneChunkWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0)
                    || (plan.finished() && failFinishedWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0)) {
                throw new IOException("injected failure writing the plan of " + plan.requestId());
            }
            return delegate.replacePlan(plan, expectedVersion);
        }

        @Override
        public Optional<String> createPlan(WorkPlan plan) throws IOException {
            return delegate.createPlan(plan);
        }

        @Override
        public Optional<Versioned<WorkPlan>> findPlan(String requestId) throws IOException {
            return delegate.findPlan(requestId);
        }

        @Override
        public void markOpen(String requestId) throws IOException {
            delegate.markOpen(requestId);
        }

        @Override
        public List<String> openRequests() throws IOException {
            return delegate.openRequests();
        }

        @Override
        public Optional<String> createChunk(ChunkRecord chunk) throws IOException {
            return delegate.createChunk(chunk);
        }

        @Override
        public Optional<Versioned<ChunkRecord>> findChunk(String requestId, int chunk) throws IOException {
            return delegate.findChunk(requestId, chunk);
        }

        @Override
        public Optional<String> replaceChunk(ChunkRecord chunk, String expectedVersion) throws IOException {
            return delegate.replaceChunk(chunk, expectedVersion);
        }
    }
}
