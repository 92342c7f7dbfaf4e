package dev.imagebatch.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.ImageError;
import dev.imagebatch.ImageResult;
import dev.imagebatch.RequestState;
import dev.imagebatch.RequestStatus;
import dev.imagebatch.WebhookDelivery;
import dev.imagebatch.spi.RecordJson;
import dev.imagebatch.spi.RequestRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Object layout, racing writers in separate store instances, listing and failures. */
class S3StatusStoreTest {

    private static S3TestServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.shared();
        s3 = server.admin();
    }

    @BeforeEach
    void newBucket() {
        bucket = server.newBucket();
    }

    private S3StatusStore store() {
        return S3StatusStore.builder(s3, bucket).prefix("p/").build();
    }

    private static RequestRecord record(Instant createdAt) {
        return new RequestRecord(RequestStatus.accepted(UUID.randomUUID().toString(), 1000, createdAt,
                WebhookDelivery.NOT_REQUESTED), Optional.empty());
    }

    private static RequestRecord record() {
        return record(Instant.parse("2026-03-01T10:00:00.123Z"));
    }

    private static ImageResult ok(int row, int index) {
        return ImageResult.success(row, index, "https://shop.example/" + row + "/" + index + ".jpg",
                URI.create("https://cdn.example/images/" + row + "/" + index + ".jpg"));
    }

    private static ImageResult failed(int row, int index) {
        return ImageResult.failure(row, index, "https://shop.example/" + row + "/" + index + ".jpg",
                ImageError.of(ErrorCode.STORAGE_ERROR, "down"));
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    private String text(String key) {
        return new String(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void layoutIsOneRecordObjectAndOneObjectPerBatch() throws Exception {
        S3StatusStore store = store();
        RequestRecord record = record();
        String id = record.requestId();
        store.create(record);
        store.putImages(id, List.of(ok(1, 1), ok(1, 2)));
        store.putImages(id, List.of(failed(2, 1)));
        store.putImages(id, List.of());
        store.update(id, r -> r.withStatus(r.status().withCounts(2, 1, r.status().updatedAt().plusMillis(5))));

        assertThat(keys()).containsExactly(
                "p/status/" + id + ".json",
                "p/status/" + id + "/results/000000000001.jsonl",
                "p/status/" + id + "/results/000000000002.jsonl");
        assertThat(RecordJson.readRecord(text("p/status/" + id + ".json").getBytes(StandardCharsets.UTF_8))
                .status().succeeded()).isEqualTo(2);
        assertThat(text("p/status/" + id + "/results/000000000001.jsonl").split("\n"))
                .hasSize(2)
                .allSatisfy(line -> assertThat(RecordJson.readImage(line.getBytes(StandardCharsets.UTF_8)).succeeded()).isTrue());
        assertThat(s3.headObject(b -> b.bucket(bucket).key("p/status/" + id + ".json")).contentType())
                .isEqualTo("application/json");
        assertThat(store.images(id)).containsExactly(ok(1, 1), ok(1, 2), failed(2, 1));
    }

    @Test
    void racingWritersInSeparateStoresAndClientsLoseNoUpdate() throws Exception {
        RequestRecord record = record();
        String id = record.requestId();
        store().create(record);
        int writers = 3;
        int threadsPerWriter = 2;
        int updatesPerThread = 15;
        List<S3Client> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers * threadsPerWriter);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                S3Client client = server.client(); // as if each writer were its own process
                clients.add(client);
                S3StatusStore writer = S3StatusStore.builder(client, bucket).prefix("p/").build();
                for (int t = 0; t < threadsPerWriter; t++) {
                    int row = w * threadsPerWriter + t + 1;
                    Callable<Void> task = () -> {
                        for (int i = 1; i <= updatesPerThread; i++) {
                            writer.update(id, r -> r.withStatus(r.status().withCounts(
                                    r.status().succeeded() + 1, r.status().failed(), r.status().updatedAt())));
                            writer.putImages(id, List.of(ok(row, i)));
                        }
                        return null;
                    };
                    futures.add(pool.submit(task));
                }
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(S3Client::close);
        }
        int total = writers * threadsPerWriter * updatesPerThread;
        assertThat(store().find(id).orElseThrow().status().succeeded()).isEqualTo(total);
        assertThat(store().images(id)).hasSize(total);
    }

    @Test
    void aConflictingWriteIsRetriedOnTheNewVersion() throws Exception {
        S3StatusStore store = store();
        S3StatusStore other = store();
        RequestRecord record = record();
        String id = record.requestId();
        store.create(record);
        AtomicBoolean interfered = new AtomicBoolean();
        List<Integer> seen = new ArrayList<>();

        RequestRecord result = store.update(id, r -> {
            seen.add(r.status().failed());
            if (interfered.compareAndSet(false, true)) {
                try {
                    // Another writer changes the record between our read and our write.
                    other.update(id, o -> o.withStatus(o.status().withCounts(0, 5, o.status().updatedAt())));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return r.withStatus(r.status().withCounts(1, r.status().failed(), r.status().updatedAt()));
        });

        assertThat(seen).containsExactly(0, 5);
        assertThat(result.status().succeeded()).isEqualTo(1);
        assertThat(result.status().failed()).isEqualTo(5);
        assertThat(store.find(id)).contains(result);
    }

    @Test
    void givesUpAfterMaxAttemptsWhenOthersAlwaysWinAndKeepsTheirWrite() throws Exception {
        S3StatusStore store = S3StatusStore.builder(s3, bucket).prefix("p/").maxUpdateAttempts(3).build();
        S3StatusStore other = store();
        RequestRecord record = record();
        String id = record.requestId();
        store.create(record);
        int[] calls = {0};

        assertThatThrownBy(() -> store.update(id, r -> {
            calls[0]++;
            try {
                other.update(id, o -> o.withStatus(o.status().withCounts(0, o.status().failed() + 1, o.status().updatedAt())));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return r.withStatus(r.status().withCounts(100, r.status().failed(), r.status().updatedAt()));
        }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("s3://" + bucket + "/p/status/" + id + ".json")
                .hasMessageContaining("3 attempts");

        assertThat(calls[0]).isEqualTo(3);
        RequestStatus stored = store.find(id).orElseThrow().status();
        assertThat(stored.failed()).isEqualTo(3);
        assertThat(stored.succeeded()).isZero();
    }

    @Test
    void anUnchangedRecordIsNotRewritten() throws Exception {
        S3StatusStore store = store();
        RequestRecord record = record();
        store.create(record);
        String key = "p/status/" + record.requestId() + ".json";
        String etag = s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
        assertThat(store.update(record.requestId(), r -> r)).isEqualTo(record);
        assertThat(s3.headObject(b -> b.bucket(bucket).key(key)).eTag()).isEqualTo(etag);
    }

    @Test
    void aBatchWrittenAfterAnotherProcessWroteWinsEvenWithAStaleCounter() throws Exception {
        S3StatusStore first = store();
        S3StatusStore second = store();
        RequestRecord record = record();
        String id = record.requestId();
        first.create(record);
        second.putImages(id, List.of(failed(1, 1)));          // second's counter now says "next is 2"
        first.putImages(id, List.of(failed(1, 2)));           // first takes 2
        first.putImages(id, List.of(failed(1, 3)));           // and 3
        second.putImages(id, List.of(ok(1, 2), ok(1, 3)));   // must land above 3
        first.putImages(id, List.of(ok(1, 1)));               // and this above that

        assertThat(store().images(id)).containsExactly(ok(1, 1), ok(1, 2), ok(1, 3));
        assertThat(keys()).filteredOn(k -> k.contains("/results/")).hasSize(5)
                .last().isEqualTo("p/status/" + id + "/results/000000000005.jsonl");
    }

    @Test
    void createRefusesAnIdAnotherStoreCreated() throws Exception {
        RequestRecord record = record();
        store().create(record);
        RequestRecord changed = record.withStatus(record.status().withCounts(1, 0, record.status().updatedAt()));
        assertThatThrownBy(() -> store().create(changed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(record.requestId());
        assertThat(store().find(record.requestId())).contains(record);
    }

    @Test
    void unfinishedPagesThroughRecordsSkipsBrokenOnesAndIgnoresResults() throws Exception {
        S3StatusStore store = S3StatusStore.builder(s3, bucket).prefix("p/").listPageSize(2).build();
        List<RequestRecord> open = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RequestRecord r = record(Instant.parse("2026-03-01T10:00:00Z").plusSeconds(10 - i));
            store.create(r);
            store.putImages(r.requestId(), List.of(ok(1, 1), ok(1, 2)));
            open.add(r);
        }
        RequestRecord done = record();
        store.create(done);
        store.update(done.requestId(), r -> r.withStatus(r.status().finished(RequestState.COMPLETED,
                Optional.of(URI.create("s3://b/csv/x.csv")), Optional.empty(), r.status().updatedAt())));
        s3.putObject(b -> b.bucket(bucket).key("p/status/" + UUID.randomUUID() + ".json"), RequestBody.fromString("{not json"));
        s3.putObject(b -> b.bucket(bucket).key("p/status/README.txt"), RequestBody.fromString("hello"));
        s3.putObject(b -> b.bucket(bucket).key("other/status/" + UUID.randomUUID() + ".json"),
                RequestBody.fromBytes(RecordJson.write(record())));

        // oldest first: the records were created with decreasing createdAt
        assertThat(store.unfinished()).containsExactly(
                open.get(4).requestId(), open.get(3).requestId(), open.get(2).requestId(),
                open.get(1).requestId(), open.get(0).requestId());
    }

    @Test
    void imagesPagesThroughManyBatches() throws Exception {
        S3StatusStore store = S3StatusStore.builder(s3, bucket).prefix("p/").listPageSize(3).build();
        RequestRecord record = record();
        store.create(record);
        for (int i = 1; i <= 10; i++) {
            store.putImages(record.requestId(), List.of(failed(i, 1)));
        }
        store.putImages(record.requestId(), List.of(ok(4, 1)));
        List<ImageResult> images = store.images(record.requestId());
        assertThat(images).hasSize(10);
        assertThat(images.get(3)).isEqualTo(ok(4, 1));
    }

    @Test
    void aMalformedBatchIsAnIOExceptionNamingIt() throws Exception {
        S3StatusStore store = store();
        RequestRecord record = record();
        store.create(record);
        String key = "p/status/" + record.requestId() + "/results/000000000001.jsonl";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{\"row\":1}\n"));
        assertThatThrownBy(() -> store.images(record.requestId()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("s3://" + bucket + "/" + key + " line 1");
    }

    @Test
    void idsThatCannotBeKeysAreRefusedOrUnknown() throws Exception {
        S3StatusStore store = store();
        RequestRecord bad = new RequestRecord(RequestStatus.accepted("a/b", 1, Instant.EPOCH,
                WebhookDelivery.NOT_REQUESTED), Optional.empty());
        assertThatThrownBy(() -> store.create(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putImages("../x", List.of(ok(1, 1)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.find("..")).isEmpty();
        assertThat(store.find("x/../../y")).isEmpty();
        assertThat(store.images("a/b")).isEmpty();
        assertThatThrownBy(() -> store.update("a/b", r -> r)).isInstanceOf(IllegalStateException.class);
        assertThat(keys()).isEmpty();
    }

    @Test
    void failuresAreIOExceptionsNamingTheRequestWithTheCause() throws Exception {
        S3StatusStore missingBucket = S3StatusStore.builder(s3, "missing-" + UUID.randomUUID().toString().substring(0, 8)).build();
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> missingBucket.find(id))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("status/" + id + ".json")
                .hasMessageContaining("NoSuchBucket")
                .hasCauseInstanceOf(S3Exception.class);
        assertThatThrownBy(missingBucket::unfinished).isInstanceOf(IOException.class);

        try (S3Client dead = S3TestServer.client(URI.create("http://127.0.0.1:" + S3ResultPublisherTest.closedPort()))) {
            S3StatusStore store = S3StatusStore.builder(dead, bucket).build();
            RequestRecord record = record();
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.create(record))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(record.requestId())
                    .hasCauseInstanceOf(SdkClientException.class);
            assertThatThrownBy(() -> store.putImages(record.requestId(), List.of(ok(1, 1))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(record.requestId());
            assertThatThrownBy(() -> store.images(record.requestId())).isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void builderChecksItsSettings() {
        assertThatThrownBy(() -> S3StatusStore.builder(s3, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3StatusStore.builder(s3, bucket).prefix("a//b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3StatusStore.builder(s3, bucket).maxUpdateAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3StatusStore.builder(s3, bucket).conflictBackoff(Duration.ofSeconds(1), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(S3StatusStore.builder(s3, bucket).prefix("x").build()).hasToString("S3StatusStore[bucket=" + bucket + ", prefix=x/]");
    }
}
