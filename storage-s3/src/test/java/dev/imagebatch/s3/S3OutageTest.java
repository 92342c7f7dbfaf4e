package dev.imagebatch.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageProcessingService;
import dev.imagebatch.ImageResult;
import dev.imagebatch.ProcessingListener;
import dev.imagebatch.ProcessingSettings;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.http.AddressPolicy;
import dev.imagebatch.http.OkHttpImageFetcher;
import dev.imagebatch.spi.ObjectKeys;
import dev.imagebatch.testing.Csv;
import dev.imagebatch.testing.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 server stops answering, or answers every request with 500, while a request runs; or it
 * answers some requests with 500 or some conditional writes with 412 all along. Each test has its
 * own servers, since it breaks them. What is shown:
 * <ul>
 *   <li>occasional 500s and lost 412 races are absorbed (the SDK's retries, the status store's
 *       re-read and retry): the request completes with every image exactly once;</li>
 *   <li>images that cannot be published end as {@code STORAGE_ERROR} (after the SDK's retries);</li>
 *   <li>the service keeps answering: status queries fail promptly with an {@link IOException}
 *       instead of hanging, the run finishes instead of hanging, and with the status store still
 *       up every query answers and the failures are recorded;</li>
 *   <li>nothing stored before the outage is lost, and once the server is back
 *       {@code resumeUnfinished()} completes a request whose status could not be written.</li>
 * </ul>
 */
class S3OutageTest {

    private static final int IMAGES = 16;

    private final List<S3TestServer> servers = new ArrayList<>();
    private final List<S3Client> clients = new ArrayList<>();
    private ImageServer images;
    private OkHttpImageFetcher fetcher;
    private final List<ImageResult> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        images = new ImageServer(100);
        fetcher = OkHttpImageFetcher.builder()
                .addressPolicy(AddressPolicy.publicOnly().allow("127.0.0.0/8")).maxAttempts(1).build();
    }

    @AfterEach
    void stop() {
        fetcher.close();
        images.close();
        clients.forEach(S3Client::close);
        servers.forEach(S3TestServer::close);
    }

    private FaultyBlobStore faults;

    private S3TestServer newServer() throws Exception {
        S3TestServer server = S3TestServer.start(store -> faults = new FaultyBlobStore(store));
        servers.add(server);
        return server;
    }

    /** How the server breaks down, and how it comes back. */
    enum Outage {
        SERVER_STOPPED, EVERY_REQUEST_500;

        void begin(S3TestServer server, FaultyBlobStore faults) throws Exception {
            if (this == SERVER_STOPPED) {
                server.stop();
            } else {
                faults.failAll(true);
            }
        }

        void end(S3TestServer server, FaultyBlobStore faults) throws Exception {
            if (this == SERVER_STOPPED) {
                server.restart();
            } else {
                faults.failAll(false);
            }
        }
    }

    /** A client of the kind a host would build, closed after the test. */
    private S3Client client(S3TestServer server) {
        S3Client client = server.client();
        clients.add(client);
        return client;
    }

    private ImageProcessingService service(S3StatusStore store, S3ResultPublisher publisher) {
        return ImageProcessingService.builder()
                .statusStore(store)
                .resultPublisher(publisher)
                .imageFetcher(fetcher)
                .listener(new ProcessingListener() {
                    @Override
                    public void onImageFinished(String requestId, ImageResult result) {
                        seen.add(result);
                    }
                })
                .settings(ProcessingSettings.builder().fetchConcurrency(2).workers(1).progressBatchSize(1).build())
                .build();
    }

    private String submit(ImageProcessingService service) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("serial_no,product_name,input_image_urls");
        for (int row = 1; row <= IMAGES / 2; row++) {
            lines.add(row + ",P" + row + ",\"" + images.url(2 * row - 1) + "," + images.url(2 * row) + "\"");
        }
        return service.submit(Csv.lines(lines.toArray(String[]::new)));
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void bothStoresDownThenBackAndTheRequestIsResumed(Outage outage) throws Exception {
        S3TestServer server = newServer();
        FaultyBlobStore serverFaults = faults;
        S3Client s3 = client(server);
        String bucket = server.newBucket();
        S3StatusStore store = S3StatusStore.builder(s3, bucket).prefix("p/").build();
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).prefix("p/").build();
        try (ImageProcessingService service = service(store, publisher)) {
            images.holdAfter(6);
            String id = submit(service);
            CompletableFuture<RequestStatus> firstRun = service.await(id);
            awaitStored(server.admin(), bucket, "p/status/" + id + "/results/", 5);

            outage.begin(server, serverFaults);
            images.release(); // the rest of the request now runs into the outage
            long start = System.nanoTime();
            assertThatThrownBy(() -> service.status(id))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("p/status/" + id + ".json");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a status query fails promptly")
                    .isLessThan(Duration.ofSeconds(10));
            assertThatThrownBy(() -> submit(service)).isInstanceOf(IOException.class);

            // The run does not hang: the images left end as STORAGE_ERROR, the progress and the
            // final state cannot be written, and the run gives up with the request still resumable.
            RequestStatus given = firstRun.get(120, TimeUnit.SECONDS);
            assertThat(given.state()).isEqualTo(RequestState.FAILED);
            assertThat(seen).filteredOn(r -> r.error().map(e -> e.code() == ErrorCode.STORAGE_ERROR).orElse(false))
                    .isNotEmpty();
            int fetchesBeforeRecovery = images.requests().size();

            outage.end(server, serverFaults);
            // Nothing stored before the outage was lost: every result in the bucket has its image.
            List<ImageResult> kept = store.images(id);
            assertThat(kept).hasSizeGreaterThanOrEqualTo(5).allMatch(ImageResult::succeeded);
            for (ImageResult result : kept) {
                assertImageStored(publisher, id, result);
            }
            assertThat(store.find(id).orElseThrow().status().state()).isEqualTo(RequestState.PROCESSING);

            assertThat(service.resumeUnfinished()).containsExactly(id);
            RequestStatus done = service.await(id).get(60, TimeUnit.SECONDS);
            assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
            assertThat(done.succeeded()).isEqualTo(IMAGES);
            List<ImageResult> all = store.images(id);
            assertThat(all).hasSize(IMAGES).allMatch(ImageResult::succeeded);
            for (ImageResult result : all) {
                assertImageStored(publisher, id, result);
            }
            assertThat(images.requests().size() - fetchesBeforeRecovery)
                    .as("only images without a stored result are fetched again")
                    .isEqualTo(IMAGES - kept.size());
        }
    }

    @Test
    void publisherDownWhileTheStatusStoreStaysUp() throws Exception {
        S3TestServer statusServer = newServer();
        S3TestServer objectServer = newServer();
        S3Client statusClient = client(statusServer);
        S3Client objectClient = client(objectServer);
        String statusBucket = statusServer.newBucket();
        String objectBucket = objectServer.newBucket();
        S3StatusStore store = S3StatusStore.builder(statusClient, statusBucket).build();
        S3ResultPublisher publisher = S3ResultPublisher.builder(objectClient, objectBucket).build();
        try (ImageProcessingService service = service(store, publisher)) {
            images.holdAfter(6);
            String id = submit(service);
            awaitStored(statusServer.admin(), statusBucket, "status/" + id + "/results/", 5);

            objectServer.stop();
            images.release();
            // Every query keeps answering from the status store while images fail.
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            RequestStatus status = service.status(id).orElseThrow();
            while (!status.state().isTerminal()) {
                assertThat(System.nanoTime()).as("the request finishes").isLessThan(deadline);
                Thread.sleep(100);
                status = service.status(id).orElseThrow();
                assertThat(service.images(id)).hasSizeLessThanOrEqualTo(IMAGES);
            }

            // The failures are recorded; the output CSV cannot be made (its input is read back from
            // the object store), so the request fails with a reason naming the object store.
            assertThat(status.state()).isEqualTo(RequestState.FAILED);
            assertThat(status.failureReason().orElseThrow()).contains("s3://" + objectBucket + "/");
            List<ImageResult> recorded = service.images(id);
            assertThat(recorded).hasSize(IMAGES);
            List<ImageResult> failed = recorded.stream().filter(r -> !r.succeeded()).toList();
            assertThat(failed).isNotEmpty().allSatisfy(r -> {
                assertThat(r.error().orElseThrow().code()).isEqualTo(ErrorCode.STORAGE_ERROR);
                assertThat(r.error().orElseThrow().message()).contains("s3://" + objectBucket + "/images/" + id + "/");
            });

            objectServer.restart();
            List<ImageResult> succeeded = recorded.stream().filter(ImageResult::succeeded).toList();
            assertThat(succeeded).hasSizeGreaterThanOrEqualTo(5);
            for (ImageResult result : succeeded) {
                assertImageStored(publisher, id, result);
            }
            List<String> keys = objectServer.admin().listObjectsV2Paginator(b -> b.bucket(objectBucket).prefix("images/"))
                    .contents().stream().map(S3Object::key).toList();
            assertThat(keys).hasSize(succeeded.size());
        }
    }

    @Test
    void occasional500sAndLostConditionalWriteRacesAreAbsorbed() throws Exception {
        S3TestServer server = newServer();
        S3Client s3 = client(server);
        String bucket = server.newBucket();
        S3StatusStore store = S3StatusStore.builder(s3, bucket).build();
        S3ResultPublisher publisher = S3ResultPublisher.builder(s3, bucket).build();
        faults.failEvery(4);
        faults.loseRaceEvery(2);
        try (ImageProcessingService service = service(store, publisher)) {
            String id = submit(service);
            RequestStatus done = service.await(id).get(120, TimeUnit.SECONDS);

            assertThat(done.state()).isEqualTo(RequestState.COMPLETED);
            assertThat(done.succeeded()).isEqualTo(IMAGES);
            assertThat(faults.injected500()).as("500s injected").isPositive();
            assertThat(faults.injected412()).as("lost races injected").isPositive();
            faults.failEvery(0);
            faults.loseRaceEvery(0);
            List<ImageResult> all = store.images(id);
            assertThat(all).hasSize(IMAGES).allMatch(ImageResult::succeeded);
            assertThat(all).extracting(r -> r.row() + "/" + r.index()).doesNotHaveDuplicates();
            for (ImageResult result : all) {
                assertImageStored(publisher, id, result);
            }
            assertThat(images.requests()).as("each image fetched once").hasSize(IMAGES);
        }
    }

    private static void assertImageStored(S3ResultPublisher publisher, String id, ImageResult result) throws IOException {
        String key = ObjectKeys.image(id, result.row(), result.index(), "jpg");
        int n = Integer.parseInt(result.inputUrl().replaceAll(".*/img/(\\d+)\\.jpg$", "$1"));
        try (InputStream in = publisher.open(key).orElseThrow(() -> new AssertionError("missing " + key))) {
            assertThat(TestImages.decode(in.readAllBytes()).getWidth()).isEqualTo(ImageServer.width(n) / 2);
        }
    }

    private static void awaitStored(S3Client s3, String bucket, String prefix, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).keyCount() < count) {
            assertThat(System.nanoTime()).as("results recorded in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
