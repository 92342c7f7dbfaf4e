package dev.imagebatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.memory.InMemoryImageFetcher;
import dev.imagebatch.memory.InMemoryResultPublisher;
import dev.imagebatch.memory.InMemoryStatusStore;
import dev.imagebatch.memory.InMemoryWorkStore;
import dev.imagebatch.spi.ChunkRecord;
import dev.imagebatch.spi.ObjectKeys;
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
 * {@code SharedWork} without a network (the S3 and multi-process tests are in storage-s3).
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
        ImageProcessingService service = ImageProcessingService.builder()
                .statusStore(store)
                .resultPublisher(publisher)
                .imageFetcher(fetcher)
                .workStore(work)
                .clock(clock)
                .settings(ProcessingSettings.builder().fetchConcurrency(2).workers(1).progressBatchSize(3).build())
                .scaleOut(ScaleOutSettings.builder().instanceId(name).chunkRows(4).takesWork(takesWork)
                        .leaseDuration(Duration.ofSeconds(2)).renewInterval(Duration.ofMillis(300))
                        .maxClockSkew(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(50)).build())
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

    /** A work store whose plan writes fail on demand: the given number of those adding a done chunk, or marking the plan finished. */
    private static final class FailingPlanWrites implements WorkStore {
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
        public List<String> openPlans() throws IOException {
            return delegate.openPlans();
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
